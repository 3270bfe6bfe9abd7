from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OutboxMessage(models.Model):
    """A task to publish, written in the transaction whose commit it follows.

    Published once the broker takes it (`published_at`); until then the relay retries it. A
    publisher holds the message for a while (`claimed_until`) so two never send it together."""

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    kwargs = models.JSONField(_("keyword arguments"), default=dict)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(published_at__isnull=True),
                name="outbox_unpublished",
            )
        ]

    def __str__(self):
        return f"{self.task_name}{tuple(self.args)}"


class OutageWindow(models.Model):
    """A stretch of time in which the server could not serve examinees (it records these
    itself, never from a client's clock): exam saves and submissions hit by one get more time."""

    class Source(models.TextChoices):
        HEARTBEAT = "heartbeat", _("Heartbeat gap")
        WEB = "web", _("Web request failures")

    started_at = models.DateTimeField(pgettext_lazy("outage", "started at"))
    ended_at = models.DateTimeField(_("ended at"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("outage window")
        verbose_name_plural = _("outage windows")
        ordering = ["started_at"]
        indexes = [models.Index(fields=["ended_at"], name="outage_ended")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gte=models.F("started_at")), name="outage_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M:%S} – {self.ended_at:%H:%M:%S} ({self.source})"


class Heartbeat(models.Model):
    """When beat last reached the database; a long gap is an outage window."""

    name = models.CharField(_("name"), max_length=50, primary_key=True)
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} {self.last_seen:%Y-%m-%d %H:%M:%S}"

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DispatchMeeting(models.Model):
    """合规管理调度: the principal hears the compliance head on the quarter's compliance work and
    sets the next quarter's priorities (market regulator guidance 四(十)). Several meetings may
    be held in a quarter; the quarter counts once."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="dispatch_meetings",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    held_on = models.DateField(_("held on"))
    attendees = models.ManyToManyField(
        "organisations.Staff", verbose_name=_("attendees"), related_name="dispatch_meetings"
    )
    minutes = models.TextField(_("minutes"))
    decisions = models.TextField(_("decisions"))
    priorities = models.TextField(_("next quarter's priorities"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    locked_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("dispatch meeting")
        verbose_name_plural = _("dispatch meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "year", "quarter"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="dispatch_meeting_quarter_1_to_4",
            )
        ]

    def __str__(self):
        return f"{self.year} Q{self.quarter} · {self.held_on}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


def _attachment_path(instance, filename):
    return f"dispatch/{instance.meeting_id}/{filename}"


class DispatchAttachment(models.Model):
    meeting = models.ForeignKey(
        DispatchMeeting,
        verbose_name=_("dispatch meeting"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DutyType(models.TextChoices):
    SELF_INSPECTION = "self_inspection", _("Compliance self-inspection")
    RISK_SCREENING = "risk_screening", _("Risk screening")
    TRAINING = "training", _("Training given")
    CONSULTATION = "consultation", _("Consultation answered")
    REPORT = "report", _("Report to the head or principal")


class DutyEntry(models.Model):
    """履职记录: one duty a compliance staff member performed, recorded by them."""

    author = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="duty_entries",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="duty_entries",
    )
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("department concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duty_entries",
    )
    kind = models.CharField(_("type"), max_length=20, choices=DutyType.choices)
    occurred_on = models.DateField(_("date"))
    description = models.TextField(_("description"))
    opinion = models.TextField(
        _("written opinion or findings"),
        blank=True,
        help_text=_("The written opinion of a self-inspection, the findings of a risk screening."),
    )
    zero_risk = models.BooleanField(_("zero-risk report"), default=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("duty log entry")
        verbose_name_plural = _("duty log entries")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "occurred_on"])]

    def __str__(self):
        return f"{self.occurred_on} {self.get_kind_display()}"


def _attachment_path(instance, filename):
    return f"duties/{instance.entry_id}/{filename}"


class DutyAttachment(models.Model):
    entry = models.ForeignKey(
        DutyEntry,
        verbose_name=_("duty log entry"),
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

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EnterpriseFigures(models.Model):
    """One enterprise's aggregates for a year, computed in SQL (GROUP BY organisation) by
    `services.figures_refresh` and read by the regulator's oversight page, so the page costs the
    same for 500 enterprises whatever their staff. Counts only: no person is named."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    figures = models.JSONField(_("figures"), default=dict)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("enterprise figures")
        verbose_name_plural = _("enterprise figures")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "organisation"], name="oversight_figures_once_per_year"
            )
        ]

    def __str__(self):
        return f"{self.organisation_id} · {self.year}"


def _report_path(instance, filename):
    return f"self_inspections/{instance.organisation_id}/{instance.year}/{filename}"


class SelfInspection(models.Model):
    """《合规管理工作自查报告》: an enterprise's annual self-inspection report, uploaded by its
    compliance head and submitted to the regulators whose jurisdiction it is in. Submitting
    again replaces the file; the first submission's time decides whether it was late."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year reported on"))
    file = models.FileField(_("file"), upload_to=_report_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by_role = models.CharField(_("role of the submitter"), max_length=30)
    first_submitted_at = models.DateTimeField(_("first submitted at"))
    submitted_at = models.DateTimeField(_("submitted at"))
    replaced_count = models.PositiveSmallIntegerField(_("times replaced"), default=0)

    class Meta:
        verbose_name = _("self-inspection report")
        verbose_name_plural = _("self-inspection reports")
        ordering = ["-year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "organisation"], name="oversight_self_inspection_once_per_year"
            )
        ]

    def __str__(self):
        return f"{self.organisation} · {self.year}"


class SelfInspectionDue(models.Model):
    """The date a regulator sets for the self-inspection reports on a year of the enterprises in
    its jurisdiction (the SASAC plan set 20 December for 2023). A year with none set falls back
    to `deadlines.default_due_on`."""

    regulator = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("regulator"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year reported on"))
    due_on = models.DateField(_("due on"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"))

    class Meta:
        verbose_name = _("self-inspection due date")
        verbose_name_plural = _("self-inspection due dates")
        constraints = [
            models.UniqueConstraint(
                fields=["regulator", "year"], name="oversight_self_inspection_due_once_per_year"
            )
        ]

    def __str__(self):
        return f"{self.regulator_id} · {self.year} · {self.due_on}"

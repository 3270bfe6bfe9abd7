from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .kinds import KIND_CHOICES, Category, Severity


class LedgerIsAppendOnly(Exception):
    """Ledger entries are never changed or removed; a correction is a reversing entry."""


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise LedgerIsAppendOnly

    def delete(self):
        raise LedgerIsAppendOnly


class LedgerEntry(models.Model):
    """One event that counts towards a person's compliance record. Append-only (the database
    refuses UPDATE and DELETE); a correction is a reversing entry that names this one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    staff = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    department_name = models.CharField(_("department at the time"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("appraisal year"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=KIND_CHOICES)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices, blank=True)
    source_type = models.ForeignKey(
        ContentType, verbose_name=_("source type"), on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(_("source id"))
    # a repeated event after its entry was reversed is a new generation (see services)
    generation = models.PositiveSmallIntegerField(_("generation"), default=1)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2, default=0)
    summary = models.CharField(_("summary"), max_length=300)
    occurred_at = models.DateTimeField(_("occurred at"))
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    reason = models.TextField(_("reason"), blank=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "source_type", "source_id", "kind", "generation"],
                condition=Q(reverses__isnull=True),
                name="records_entry_once_per_source_and_kind",
            ),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | ~Q(reason=""),
                name="records_reversal_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "year"]),
            models.Index(fields=["organisation", "year"]),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d} {self.user} {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise LedgerIsAppendOnly
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerIsAppendOnly


class ScoringPolicy(models.Model):
    """考核规则: an organisation's rules for scoring a year (organisation empty: the platform's
    default). Never changed in place: a change is a new version for that year."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scoring_policies",
        help_text=_("Empty: the platform's default policy."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    rules = models.JSONField(_("rules"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scoring policy")
        verbose_name_plural = _("scoring policies")
        ordering = ["organisation_id", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "version"],
                condition=Q(organisation__isnull=False),
                name="records_policy_version_once",
            ),
            models.UniqueConstraint(
                fields=["year", "version"],
                condition=Q(organisation__isnull=True),
                name="records_default_policy_version_once",
            ),
        ]

    def __str__(self):
        owner = self.organisation.name if self.organisation_id else _("Platform default")
        return f"{owner} · {self.year} v{self.version}"

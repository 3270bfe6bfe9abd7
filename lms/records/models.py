from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .kinds import KIND_CHOICES, Category, Grade, Severity


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


class ViolationNature(models.Model):
    """A kind of misconduct an organisation keeps in its list (违规性质)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="violation_natures",
    )
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("violation nature")
        verbose_name_plural = _("violation natures")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="records_nature_unique_per_organisation"
            )
        ]

    def __str__(self):
        return self.name


class Violation(models.Model):
    """违规行为记录: reported by an administrator, answered by the person (申辩) within the
    statement period, confirmed or dismissed by the compliance head. Confirmed: in the ledger."""

    class Status(models.TextChoices):
        AWAITING_STATEMENT = "awaiting_statement", _("Awaiting the person's statement")
        AWAITING_DECISION = "awaiting_decision", _("Awaiting the head's decision")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    OPEN_STATUSES = (Status.AWAITING_STATEMENT, Status.AWAITING_DECISION)

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="violations",
    )
    staff = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="violations",
    )
    occurred_on = models.DateField(_("date of the violation"))
    nature = models.ForeignKey(
        ViolationNature, verbose_name=_("nature"), on_delete=models.PROTECT, related_name="+"
    )
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices)
    harm = models.TextField(_("harm and loss"), blank=True)
    loss_amount = models.DecimalField(
        _("loss (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    description = models.TextField(pgettext_lazy("violation", "description"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    statement_due = models.DateField(_("statement due"))
    statement = models.TextField(_("statement"), blank=True)
    statement_at = models.DateTimeField(_("statement given at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_STATEMENT
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    # confirmed: no key or compliance position before this day (the policy's months, see gates)
    barred_until = models.DateField(_("barred from key positions until"), null=True, blank=True)

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self):
        return f"{self.occurred_on} {self.staff} {self.nature}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


def _evidence_path(instance, filename):
    return f"violations/{instance.violation_id}/{filename}"


class ViolationEvidence(models.Model):
    violation = models.ForeignKey(
        Violation, verbose_name=_("violation"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=_evidence_path)
    name = models.CharField(_("file name"), max_length=255)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.name


class ClosedYear(models.Model):
    """年度合规考核 closed by the compliance head: each person's appraisal is frozen in
    `Appraisal` rows and never recomputed."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="closed_years",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    policy = models.ForeignKey(
        ScoringPolicy,
        verbose_name=_("scoring policy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the built-in default rules."),
    )
    rules = models.JSONField(_("rules applied"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("closed year")
        verbose_name_plural = _("closed years")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="records_year_closed_once"
            )
        ]

    def __str__(self):
        return f"{self.organisation} {self.year}"


class Appraisal(models.Model):
    """A person's frozen appraisal of a closed year, with a hash of the entries it used."""

    closed_year = models.ForeignKey(
        ClosedYear,
        verbose_name=_("closed year"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    staff = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices)
    breakdown = models.JSONField(_("breakdown"), default=dict)
    entries_hash = models.CharField(_("hash of the entries"), max_length=64)
    reason = models.TextField(_("reason for the amendment"), blank=True)
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("amended by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True, null=True)

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        constraints = [
            models.UniqueConstraint(
                fields=["closed_year", "staff", "version"], name="records_appraisal_version_once"
            )
        ]

    def __str__(self):
        return f"{self.staff} {self.closed_year.year} {self.grade}"


class Award(models.Model):
    """表彰奖励 / 惩戒 decided by the compliance head, for a person or a department. A person's
    award enters the ledger with its points."""

    class Kind(models.TextChoices):
        PUBLIC_PRAISE = "praise", _("Public commendation")
        ADVANCED_PERSON = "advanced", _("Compliance person of the year")
        MODEL_DEPARTMENT = "model_department", _("Model compliance department")
        BACKBONE = "backbone", _("Compliance mainstay")
        PUBLIC_CRITICISM = "criticism", _("Public criticism")
        WARNING = "warning", _("Warning")
        DEMERIT = "demerit", _("Demerit")
        DEMOTION = "demotion", _("Demotion")
        PAY_CUT = "pay_cut", _("Performance pay cut")

    PENALTIES = (
        Kind.PUBLIC_CRITICISM,
        Kind.WARNING,
        Kind.DEMERIT,
        Kind.DEMOTION,
        Kind.PAY_CUT,
    )

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="awards",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    staff = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=0)
    violation = models.ForeignKey(
        Violation,
        verbose_name=_("violation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="penalties",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"))

    class Meta:
        verbose_name = _("commendation or penalty")
        verbose_name_plural = _("commendations and penalties")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(staff__isnull=False) | Q(department__isnull=False),
                name="records_award_has_a_recipient",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.staff or self.department}"

    @property
    def is_penalty(self) -> bool:
        return self.kind in self.PENALTIES


class YearScore(models.Model):
    """A person's live score for an open year, kept for the 合规考核 page of a large
    organisation (`scores.py`): refreshed after each ledger entry of theirs commits, for the
    whole organisation when its policy changes, and nightly (department moves). Derived data:
    the ledger stays the record; a closed year is read from its frozen appraisals."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("appraisal year"))
    staff = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("year score")
        verbose_name_plural = _("year scores")
        constraints = [
            models.UniqueConstraint(fields=["staff", "year"], name="records_year_score_once")
        ]
        indexes = [models.Index(fields=["organisation", "year", "department", "grade"])]

    def __str__(self):
        return f"{self.staff} · {self.year}"

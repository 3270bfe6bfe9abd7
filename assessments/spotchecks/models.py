"""Regulator spot-check campaigns: scope, the committed draw, drawn firms and people, rectification.

A campaign moves draft → committed → drawn → running → closed. From the commit on its scope and
sizes are frozen: the services refuse any change and any second commit or draw, and audit the
attempt.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.organisations import regions
from lms.organisations.models import ComplianceRole, Organisation

DRAWABLE_ROLES = (
    ComplianceRole.PRINCIPAL,
    ComplianceRole.CHIEF_COMPLIANCE_OFFICER,
    ComplianceRole.COMPLIANCE_HEAD,
    ComplianceRole.ADMIN_FULL_TIME,
    ComplianceRole.ADMIN_PART_TIME,
)


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMMITTED = "committed", _("Seed committed")
        DRAWN = "drawn", _("Drawn")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    class CountMode(models.TextChoices):
        NUMBER = "number", _("A number of enterprises")
        PERCENT = "percent", _("A percentage of the scope")

    class Weighting(models.TextChoices):
        NONE = "none", _("None: every enterprise equally likely")
        RISK_GRADE = "risk_grade", _("By risk grade (A 1, B 2, C 3, D 4)")

    class VerdictRule(models.TextChoices):
        ALL_PASS = "all_pass", _("Everyone drawn passes")
        MIN_PERCENT = "min_percent", _("At least a percentage of those drawn pass")

    regulator = models.ForeignKey(
        Organisation,
        verbose_name=_("regulator"),
        on_delete=models.PROTECT,
        related_name="spot_check_campaigns",
        limit_choices_to={"kind": Organisation.Kind.REGULATOR},
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    scope_sectors = models.JSONField(
        _("sectors"), default=list, blank=True, help_text=_("Empty: every sector.")
    )
    scope_region_prefix = models.CharField(
        _("region code prefix"),
        max_length=6,
        blank=True,
        help_text=_("e.g. 3301 for the city, 330106 for one district. Empty: the whole area."),
    )
    scope_risk_grades = models.JSONField(
        _("risk grades"), default=list, blank=True, help_text=_("Empty: every grade.")
    )
    scope_include = models.ManyToManyField(
        Organisation,
        verbose_name=_("also include"),
        blank=True,
        related_name="+",
        help_text=_("Enterprises in your jurisdiction added to the scope whatever the filters."),
    )
    scope_exclude = models.ManyToManyField(
        Organisation,
        verbose_name=_("exclude"),
        blank=True,
        related_name="+",
        help_text=_("Enterprises taken out of the scope."),
    )
    enterprise_count_mode = models.CharField(
        _("how many enterprises"),
        max_length=10,
        choices=CountMode.choices,
        default=CountMode.NUMBER,
    )
    enterprise_count_value = models.PositiveIntegerField(
        _("number or percentage"), default=1, validators=[MinValueValidator(1)]
    )
    roles = models.JSONField(
        _("people per role"),
        default=dict,
        help_text=_("How many people of each compliance role are drawn in each enterprise."),
    )
    inspectors_per_enterprise = models.PositiveSmallIntegerField(
        _("inspectors per enterprise"), default=1
    )
    weighting = models.CharField(
        _("weighting"), max_length=12, choices=Weighting.choices, default=Weighting.NONE
    )
    blueprint = models.ForeignKey(
        "assessments.Blueprint",
        verbose_name=_("exam paper (blueprint on a sealed bank)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opens_at = models.DateTimeField(_("exam opens at"))
    closes_at = models.DateTimeField(_("exam closes at"))
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), null=True, blank=True
    )
    pass_mark = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    verdict_rule = models.CharField(
        _("verdict rule"), max_length=12, choices=VerdictRule.choices, default=VerdictRule.ALL_PASS
    )
    verdict_min_percent = models.PositiveSmallIntegerField(
        _("at least this % pass"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    rectification_days = models.PositiveSmallIntegerField(
        _("days to rectify"), default=30, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    exam = models.OneToOneField(
        "assessments.Exam",
        verbose_name=_("exam"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spot_check_campaign",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(pgettext_lazy("event", "started at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("spot-check campaign")
        verbose_name_plural = _("spot-check campaigns")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="spotcheck_campaign_window_closes_after_open",
            )
        ]

    def __str__(self):
        return self.title

    # --- the scope and sizes in words (the campaign page) ---------------------------------
    def sector_names(self) -> list[str]:
        labels = dict(Organisation.Sector.choices)
        return [str(labels.get(s, s)) for s in self.scope_sectors or []]

    def risk_grade_names(self) -> list[str]:
        labels = dict(Organisation.RiskGrade.choices)
        return [str(labels.get(g, g)) for g in self.scope_risk_grades or []]

    def region_name(self) -> str:
        return regions.name_of(self.scope_region_prefix) if self.scope_region_prefix else ""

    def role_counts(self) -> list[tuple[str, int]]:
        """(the role's name, how many people of it are drawn in each enterprise)."""
        labels = dict(ComplianceRole.choices)
        return [(str(labels.get(r, r)), n) for r, n in (self.roles or {}).items()]

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT

    def clean(self):
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The exam window must close after it opens.")
        if self.scope_region_prefix and not (
            self.scope_region_prefix.isdigit() and len(self.scope_region_prefix) <= 6
        ):
            errors["scope_region_prefix"] = _("A region code prefix is 1 to 6 digits.")
        if any(s not in Organisation.Sector.values for s in self.scope_sectors or []):
            errors["scope_sectors"] = _("Unknown sector.")
        if any(g not in Organisation.RiskGrade.values for g in self.scope_risk_grades or []):
            errors["scope_risk_grades"] = _("Unknown risk grade.")
        if (
            self.enterprise_count_mode == self.CountMode.PERCENT
            and self.enterprise_count_value
            and self.enterprise_count_value > 100
        ):
            errors["enterprise_count_value"] = _("A percentage is at most 100.")
        roles = self.roles or {}
        if not isinstance(roles, dict) or any(r not in DRAWABLE_ROLES for r in roles):
            errors["roles"] = _("Unknown compliance role.")
        elif any(not isinstance(n, int) or n < 0 for n in roles.values()):
            errors["roles"] = _("The number of people per role is a whole number, 0 or more.")
        elif sum(roles.values()) < 1:
            errors["roles"] = _("Draw at least one person in each enterprise.")
        if self.regulator_id and not self.regulator.is_regulator:
            errors["regulator"] = _("Only a regulator runs spot-check campaigns.")
        if self.blueprint_id and self.regulator_id:
            bank = self.blueprint.bank
            if bank.organisation_id != self.regulator_id:
                errors["blueprint"] = _("Choose a paper drawn from your own sealed question bank.")
        if errors:
            raise ValidationError(errors)


class InspectorRecusal(models.Model):
    """An inspector linked to an enterprise (family, former job, shareholding …) is never drawn
    for it. A former or current staff membership of the enterprise counts without a record."""

    inspector = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("inspector"),
        on_delete=models.CASCADE,
        related_name="spot_check_recusals",
    )
    enterprise = models.ForeignKey(
        Organisation,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.ENTERPRISE},
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("inspector recusal")
        verbose_name_plural = _("inspector recusals")
        constraints = [
            models.UniqueConstraint(
                fields=["inspector", "enterprise"], name="spotcheck_recusal_unique"
            )
        ]

    def __str__(self):
        return f"{self.inspector} ↛ {self.enterprise}"


class Draw(models.Model):
    """The committed seed, the frozen population and, once revealed, the seed and selection.

    One per campaign (a second commit or draw is impossible by construction)."""

    campaign = models.OneToOneField(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="draw"
    )
    algorithm = models.CharField(_("algorithm"), max_length=50)
    seed_hash = models.CharField(_("seed hash (SHA-256)"), max_length=64)
    committed_at = models.DateTimeField(_("committed at"))
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("committed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    snapshot = models.JSONField(_("population snapshot"))
    population_hash = models.CharField(_("population hash (SHA-256)"), max_length=64)
    population_size = models.PositiveIntegerField(_("enterprises in scope"))
    seed = models.CharField(_("seed"), max_length=64, help_text=_("Secret until the draw."))
    revealed_at = models.DateTimeField(_("seed revealed at"), null=True, blank=True)
    result = models.JSONField(_("selection"), null=True, blank=True)

    class Meta:
        verbose_name = _("draw")
        verbose_name_plural = _("draws")

    def __str__(self):
        return f"{self.campaign} · {self.seed_hash[:12]}"

    @property
    def is_revealed(self) -> bool:
        return self.revealed_at is not None

    def public_record(self) -> dict:
        """What anyone needs to re-run the draw. Only ids: no names, no personal data."""
        return {
            "algorithm": self.algorithm,
            "seed_hash": self.seed_hash,
            "committed_at": self.committed_at.isoformat(),
            "seed": self.seed if self.is_revealed else None,
            "revealed_at": self.revealed_at.isoformat() if self.revealed_at else None,
            "population_hash": self.population_hash,
            "snapshot": self.snapshot,
            "result": self.result,
        }


class Outcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    PASSED = "passed", pgettext_lazy("a person's result", "Passed")
    FAILED = "failed", pgettext_lazy("a person's result", "Failed")
    NO_SHOW = "no_show", pgettext_lazy("a person's result", "Did not sit (failed)")


class DrawnEnterprise(models.Model):
    class Verdict(models.TextChoices):
        PENDING = "pending", _("Pending")
        PASS = "pass", _("Meets requirements")
        FAIL = "fail", _("Falls short")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="enterprises"
    )
    enterprise = models.ForeignKey(
        Organisation,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="spot_checks",
    )
    verdict = models.CharField(
        _("verdict"), max_length=10, choices=Verdict.choices, default=Verdict.PENDING
    )
    passed_count = models.PositiveIntegerField(_("passed"), default=0)
    drawn_count = models.PositiveIntegerField(_("drawn"), default=0)
    risk_grade_before = models.CharField(_("risk grade before"), max_length=1, blank=True)
    risk_grade_after = models.CharField(_("risk grade after"), max_length=1, blank=True)

    class Meta:
        verbose_name = _("drawn enterprise")
        verbose_name_plural = _("drawn enterprises")
        ordering = ["campaign", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "enterprise"], name="spotcheck_enterprise_once_per_campaign"
            )
        ]

    def __str__(self):
        return f"{self.campaign} · {self.enterprise}"

    @property
    def organisation(self):
        return self.enterprise


class DrawnPerson(models.Model):
    drawn_enterprise = models.ForeignKey(
        DrawnEnterprise,
        verbose_name=_("drawn enterprise"),
        on_delete=models.CASCADE,
        related_name="people",
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="people"
    )
    staff = models.ForeignKey(
        "organisations.Staff", verbose_name=_("staff member"), on_delete=models.PROTECT
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT
    )
    role = models.CharField(_("compliance role"), max_length=30, choices=ComplianceRole.choices)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    percent = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    attempt = models.ForeignKey(
        "assessments.Attempt",
        verbose_name=_("attempt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("drawn person")
        verbose_name_plural = _("drawn people")
        ordering = ["drawn_enterprise", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "staff"], name="spotcheck_person_once")
        ]
        indexes = [models.Index(fields=["campaign", "user"])]

    def __str__(self):
        return f"{self.user} · {self.campaign}"


class DrawnInspector(models.Model):
    drawn_enterprise = models.ForeignKey(
        DrawnEnterprise,
        verbose_name=_("drawn enterprise"),
        on_delete=models.CASCADE,
        related_name="inspectors",
    )
    staff = models.ForeignKey(
        "organisations.Staff", verbose_name=_("inspector"), on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("drawn inspector")
        verbose_name_plural = _("drawn inspectors")
        constraints = [
            models.UniqueConstraint(
                fields=["drawn_enterprise", "staff"], name="spotcheck_inspector_once"
            )
        ]

    def __str__(self):
        return f"{self.staff} → {self.drawn_enterprise.enterprise}"


class Rectification(models.Model):
    """A notice to an enterprise that fell short: report by the deadline, regulator decides."""

    class Status(models.TextChoices):
        AWAITING_REPORT = "awaiting", _("Awaiting report")
        SUBMITTED = "submitted", _("Report submitted")
        RETURNED = "returned", _("Returned for more work")
        ACCEPTED = "accepted", _("Accepted")

    # the enterprise still owes a report (none yet, or the last one was returned)
    OWED_STATUSES = (Status.AWAITING_REPORT, Status.RETURNED)

    drawn_enterprise = models.OneToOneField(
        DrawnEnterprise,
        verbose_name=_("drawn enterprise"),
        on_delete=models.CASCADE,
        related_name="rectification",
    )
    notice = models.TextField(_("notice"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.AWAITING_REPORT
    )
    reviewer_comment = models.TextField(_("regulator's comments"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return str(self.drawn_enterprise)

    @property
    def organisation(self):
        return self.drawn_enterprise.enterprise

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.ACCEPTED

    def is_overdue(self, *, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status in self.OWED_STATUSES and self.deadline < today


class RectificationReport(models.Model):
    rectification = models.ForeignKey(
        Rectification,
        verbose_name=_("rectification"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    text = models.TextField(_("report"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("rectification report")
        verbose_name_plural = _("rectification reports")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self):
        return f"{self.rectification} · {self.submitted_at:%Y-%m-%d}"


def _attachment_path(instance, filename):
    return f"spotchecks/rectifications/{instance.report.rectification_id}/{filename}"


class RectificationAttachment(models.Model):
    report = models.ForeignKey(
        RectificationReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import credit_code, regions

region_code_validator = RegexValidator(
    r"^\d{6}$", _("A region code is the six-digit administrative division code, e.g. 330100.")
)
CREDIT_CODE_MESSAGES = {
    "length": _("A unified social credit code has exactly 18 characters."),
    "character": _(
        "A unified social credit code uses only digits and capital letters other than "
        "I, O, S, V and Z."
    ),
    "region": _("Characters 3 to 8 of a unified social credit code are the region code digits."),
    "check": _("The check character (the 18th) is wrong: please check the code for a typo."),
}


def validate_credit_code(value: str) -> None:
    try:
        credit_code.validate(value)
    except credit_code.CreditCodeError as exc:
        raise ValidationError(
            CREDIT_CODE_MESSAGES[exc.reason], code=f"credit_code_{exc.reason}"
        ) from exc


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        REGULATOR = "regulator", _("Regulator")

    class Sector(models.TextChoices):
        ONLINE_PLATFORM = "online_platform", _("Online trading platform")
        STATE_OWNED = "state_owned", _("State-owned enterprise")
        OTHER = "other", _("Other")

    class RegulatorType(models.TextChoices):
        MARKET = "market", _("Market regulation administration")
        STATE_ASSETS = "state_assets", _("State-owned assets supervision commission")
        OTHER = "other", _("Other")

    class RiskGrade(models.TextChoices):
        A = "A", _("A (low risk)")
        B = "B", _("B (general risk)")
        C = "C", _("C (elevated risk)")
        D = "D", _("D (high risk)")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        help_text=_("18 characters, checked with its GB 32100 check character."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ENTERPRISE)
    sector = models.CharField(
        _("sector"), max_length=20, choices=Sector.choices, default=Sector.OTHER, blank=True
    )
    regulator_type = models.CharField(
        _("regulator type"), max_length=20, choices=RegulatorType.choices, blank=True
    )
    region_code = models.CharField(
        _("region code"),
        max_length=6,
        validators=[region_code_validator],
        help_text=_("Six-digit administrative division code; taken from the credit code if empty."),
        blank=True,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subsidiaries",
        help_text=_("The group this organisation belongs to, if it is a subsidiary."),
    )
    is_key_subsidiary = models.BooleanField(
        _("key subsidiary"),
        default=False,
        help_text=_(
            "An important subsidiary (重要子企业): it must have its own chief compliance officer "
            "(SASAC plan 二(二)6)."
        ),
    )
    risk_grade = models.CharField(
        _("risk grade"), max_length=1, choices=RiskGrade.choices, default=RiskGrade.B
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "sector", "region_code"])]

    def __str__(self):
        return self.name

    def get_region_code_display(self) -> str:
        """The region's name (浙江省杭州市西湖区), for lists and inspect views."""
        return regions.name_of(self.region_code) if self.region_code else ""

    @property
    def is_regulator(self) -> bool:
        return self.kind == self.Kind.REGULATOR

    def clean(self):
        errors = {}
        self.credit_code = credit_code.normalise(self.credit_code)
        if not self.region_code and self.credit_code:
            region = credit_code.region_of(self.credit_code)
            if region.isdigit():
                self.region_code = region
        if self.kind == self.Kind.REGULATOR:
            self.sector = ""
            if not self.regulator_type:
                errors["regulator_type"] = _("Choose what kind of regulator this is.")
        else:
            self.regulator_type = ""
            if not self.sector:
                errors["sector"] = _("Choose the enterprise's sector.")
        if self.parent_id:
            if self.pk and self.parent_id == self.pk:
                errors["parent"] = _("An organisation cannot be its own parent.")
            elif self.pk and self.pk in _ancestor_ids(self.parent):
                errors["parent"] = _("An organisation cannot be placed under its own subsidiary.")
            elif self.parent.kind != self.kind:
                errors["parent"] = _("A parent must be of the same kind (enterprise or regulator).")
        if errors:
            raise ValidationError(errors)


def _ancestor_ids(node) -> set[int]:
    """Ids of node and every ancestor through `parent`; stops on a cycle."""
    seen: set[int] = set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        node = node.parent
    return seen


class Jurisdiction(models.Model):
    """The enterprises a regulator may spot-check: by region code prefix and sector, or listed."""

    regulator = models.OneToOneField(
        Organisation,
        verbose_name=_("regulator"),
        on_delete=models.CASCADE,
        related_name="jurisdiction",
        limit_choices_to={"kind": Organisation.Kind.REGULATOR},
    )
    region_prefixes = models.CharField(
        _("region code prefixes"),
        max_length=500,
        blank=True,
        help_text=_(
            "Comma-separated prefixes of region codes, e.g. 3301 for a city, 33 for a province."
        ),
    )
    sectors = models.JSONField(
        _("sectors"),
        default=list,
        blank=True,
        help_text=_("Only enterprises of these sectors within the regions; empty means all."),
    )
    enterprises = models.ManyToManyField(
        Organisation,
        verbose_name=_("listed enterprises"),
        blank=True,
        related_name="listed_in_jurisdictions",
        limit_choices_to={"kind": Organisation.Kind.ENTERPRISE},
        help_text=_("Enterprises supervised by name, with their subsidiaries."),
    )

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")

    def __str__(self):
        return str(self.regulator)

    def get_region_prefixes_display(self) -> str:
        """The regions by name (浙江省杭州市、广东省), for lists and inspect views."""
        return regions.names_of_prefixes(self.region_prefixes)

    def get_sectors_display(self) -> str:
        labels = dict(Organisation.Sector.choices)
        named = "、".join(str(labels.get(s, s)) for s in self.sectors or [])
        return named or str(_("All sectors"))

    @property
    def prefix_list(self) -> list[str]:
        return [p.strip() for p in self.region_prefixes.split(",") if p.strip()]

    def clean(self):
        bad = [p for p in self.prefix_list if not (p.isdigit() and 1 <= len(p) <= 6)]
        if bad:
            raise ValidationError(
                {
                    "region_prefixes": _("Prefixes are 1 to 6 digits: %(bad)s")
                    % {"bad": ", ".join(bad)}
                }
            )
        valid_sectors = set(Organisation.Sector.values)
        if any(s not in valid_sectors for s in self.sectors or []):
            raise ValidationError({"sectors": _("Unknown sector.")})
        if self.regulator_id and not self.regulator.is_regulator:
            raise ValidationError({"regulator": _("Only a regulator has a jurisdiction.")})


class Department(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="departments",
    )
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    is_business_department = models.BooleanField(
        _("business or functional department"),
        default=True,
        help_text=_(
            "Needs one or two part-time compliance administrators (SASAC plan 二(二)8). Untick "
            "for a unit that does not, such as the compliance department itself."
        ),
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="department_unique_name_per_organisation"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.parent_id:
            return
        if self.parent.organisation_id != self.organisation_id:
            raise ValidationError(
                {"parent": _("The parent department must belong to the same organisation.")}
            )
        if self.pk and self.pk in _ancestor_ids(self.parent):
            raise ValidationError(
                {
                    "parent": _(
                        "A department cannot be placed under itself or one of its own sub-departments."
                    )
                }
            )


class ComplianceRole(models.TextChoices):
    PRINCIPAL = "principal", _("Principal")
    CHIEF_COMPLIANCE_OFFICER = "cco", _("Chief compliance officer")
    COMPLIANCE_HEAD = "head", _("Compliance head")
    ADMIN_FULL_TIME = "admin_full", _("Compliance administrator (full-time)")
    ADMIN_PART_TIME = "admin_part", _("Compliance administrator (part-time)")
    REGULATOR_OFFICER = "regulator_officer", _("Regulator officer")
    REGULATOR_INSPECTOR = "regulator_inspector", _("Regulator inspector")
    NONE = "none", pgettext_lazy("compliance role", "No compliance role")


ENTERPRISE_COMPLIANCE_ROLES = frozenset(
    {
        ComplianceRole.PRINCIPAL,
        ComplianceRole.CHIEF_COMPLIANCE_OFFICER,
        ComplianceRole.COMPLIANCE_HEAD,
        ComplianceRole.ADMIN_FULL_TIME,
        ComplianceRole.ADMIN_PART_TIME,
    }
)
REGULATOR_ROLES = frozenset({ComplianceRole.REGULATOR_OFFICER, ComplianceRole.REGULATOR_INSPECTOR})


class Position(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    name = models.CharField(_("name"), max_length=100)
    compliance_role = models.CharField(
        _("compliance role"),
        max_length=30,
        choices=ComplianceRole.choices,
        default=ComplianceRole.NONE,
    )
    is_key = models.BooleanField(_("key position"), default=False)
    is_high_risk = models.BooleanField(_("high-risk position"), default=False)
    is_management = models.BooleanField(_("management position"), default=False)
    needs_pre_appointment_exam = models.BooleanField(
        _("needs a pre-appointment exam"),
        default=False,
        help_text=_(
            "Appointment to this position needs a passed, still valid pre-appointment exam."
        ),
    )

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="position_unique_name_per_organisation"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.organisation_id:
            return
        if self.organisation.is_regulator and self.compliance_role in ENTERPRISE_COMPLIANCE_ROLES:
            raise ValidationError(
                {
                    "compliance_role": _(
                        "A regulator's position cannot have an enterprise compliance role."
                    )
                }
            )
        if not self.organisation.is_regulator and self.compliance_role in REGULATOR_ROLES:
            raise ValidationError(
                {"compliance_role": _("Only a regulator's position can have a regulator role.")}
            )


class Staff(models.Model):
    """A person's membership of one organisation."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("staff status", "Active")
        ON_LEAVE = "on_leave", _("On leave")
        LEFT = "left", _("Left")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="staff",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("position"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    employee_number = models.CharField(_("employee number"), max_length=50)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["organisation", "employee_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_number"],
                name="staff_unique_employee_number_per_organisation",
                violation_error_message=_(
                    "This employee number is already used in this organisation."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="staff_one_membership_per_organisation",
                violation_error_message=_("This person is already a member of this organisation."),
            ),
        ]
        indexes = [models.Index(fields=["employee_number"])]

    def __str__(self):
        return f"{self.user} ({self.employee_number})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def compliance_role(self) -> str:
        return self.position.compliance_role if self.position_id else ComplianceRole.NONE

    def is_new_hire(self, *, today=None) -> bool:
        if not self.hire_date:
            return False
        today = today or timezone.localdate()
        return 0 <= (today - self.hire_date).days <= settings.NEW_HIRE_DAYS

    def clean(self):
        errors = {}
        if self.hire_date and self.hire_date > timezone.localdate():
            errors["hire_date"] = _("The hire date cannot be in the future.")
        if self.department_id and self.department.organisation_id != self.organisation_id:
            errors["department"] = _("The department belongs to another organisation.")
        if self.position_id and self.position.organisation_id != self.organisation_id:
            errors["position"] = _("The position belongs to another organisation.")
        if errors:
            raise ValidationError(errors)


class Appointment(models.Model):
    """A person named to a position. Approval may be gated (e.g. by a pre-appointment exam)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="appointments"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="appointments"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("request", "requested by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    refusal_reason = models.TextField(_("refusal reason"), blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "position"],
                condition=Q(status="requested"),
                name="appointment_one_open_request_per_position",
                violation_error_message=_("An appointment to this position is already requested."),
            ),
        ]

    def __str__(self):
        return f"{self.staff.user} → {self.position}"

    def clean(self):
        if (
            self.position_id
            and self.staff_id
            and (self.position.organisation_id != self.staff.organisation_id)
        ):
            raise ValidationError(
                {"position": _("The position belongs to another organisation than the person.")}
            )


class RosterImportJob(models.Model):
    """A confirmed roster import, run by a Celery task: the admin's progress page follows it.

    One job per uploaded file (its token), so a confirmation sent twice imports once."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", pgettext_lazy("job status", "Failed")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="roster_import_jobs",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("request", "requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    token = models.CharField(_("upload token"), max_length=64, unique=True)
    file_name = models.CharField(_("file name"), max_length=255)
    language = models.CharField(_("language"), max_length=16, blank=True)
    # the uploader's address, for the audit entries the worker writes on their behalf
    requested_from = models.GenericIPAddressField(_("requested from"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_processed = models.PositiveIntegerField(
        _("rows processed"),
        default=0,
        help_text=_("An estimate: the rows' share of the import's work done so far."),
    )
    created = models.PositiveIntegerField(pgettext_lazy("roster import rows", "created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(pgettext_lazy("event", "started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} → {self.organisation} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, round(100 * self.rows_processed / self.rows_total))

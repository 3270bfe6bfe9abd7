"""Reads, already scoped to what the caller may see. Views and other apps read through these."""

from collections import defaultdict

from django.db.models import Count, Q, QuerySet

from lms.audit.models import AuditEntry

from . import coverage
from .access import (
    HEAD_ROLES,
    access_for,
    active_staff_q,
    jurisdiction_filter,
    positions_ranking_below_q,
    staff_ranking_below_q,
    subsidiary_ids,
)
from .models import (
    Appointment,
    ComplianceRole,
    Department,
    Jurisdiction,
    Organisation,
    Position,
    RosterImportJob,
    Staff,
)


def enterprises() -> QuerySet[Organisation]:
    """Every enterprise on the platform, unscoped: for system jobs, never for a person's page."""
    return Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE)


def organisations_visible_to(user) -> QuerySet[Organisation]:
    access = access_for(user)
    qs = Organisation.objects.all()
    if access.is_platform_admin:
        return qs
    q = Q(pk__in=access.member_org_ids)
    if access.regulator_ids:
        q |= jurisdiction_filter(access.regulator_ids)
    return qs.filter(q)


def organisations_manageable_by(user) -> QuerySet[Organisation]:
    """Organisations whose records (not roster) the user may edit: platform administrators only."""
    access = access_for(user)
    return Organisation.objects.all() if access.is_platform_admin else Organisation.objects.none()


def enterprises_in_jurisdiction(*, regulator: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(jurisdiction_filter([regulator.pk]), is_active=True)


def regulator_may_see_enterprise(*, user, enterprise: Organisation) -> bool:
    access = access_for(user)
    if not access.regulator_ids:
        return False
    return Organisation.objects.filter(
        jurisdiction_filter(access.regulator_ids), pk=enterprise.pk
    ).exists()


def jurisdictions_visible_to(user) -> QuerySet[Jurisdiction]:
    access = access_for(user)
    if access.is_platform_admin:
        return Jurisdiction.objects.all()
    return Jurisdiction.objects.filter(regulator_id__in=access.regulator_ids)


def staff_visible_to(user) -> QuerySet[Staff]:
    """Learners see themselves; administrators their roster; regulators their jurisdiction."""
    access = access_for(user)
    qs = Staff.objects.select_related("user", "organisation", "department", "position")
    if access.is_platform_admin:
        return qs
    q = Q(user_id=access.user_id) if access.user_id else Q(pk__in=[])
    q |= _roster_q(access)
    if access.regulator_ids:
        q |= Q(
            organisation__in=Organisation.objects.filter(jurisdiction_filter(access.regulator_ids))
        )
        q |= Q(organisation_id__in=access.regulator_ids)
    return qs.filter(q)


def staff_active(staff: QuerySet[Staff] | None = None) -> QuerySet[Staff]:
    """The active among `staff` (everyone if None), by the one rule in `access.active_staff_q`."""
    staff = Staff.objects.all() if staff is None else staff
    return staff.filter(active_staff_q())


def compliance_heads_of(*, organisation_id: int) -> list:
    """The people who answer for an organisation's compliance (its compliance heads and chief
    compliance officer, active), to be told of what concerns the organisation as a whole."""
    return [
        staff.user
        for staff in staff_active(
            Staff.objects.filter(
                organisation_id=organisation_id, position__compliance_role__in=HEAD_ROLES
            )
        )
        .select_related("user")
        .order_by("pk")
    ]


def staff_manageable_by(user) -> QuerySet[Staff]:
    access = access_for(user)
    qs = Staff.objects.select_related("user", "organisation", "department", "position")
    if access.is_platform_admin:
        return qs
    return qs.filter(_roster_q(access))


def staff_changeable_by(user) -> QuerySet[Staff]:
    """The people whose record (position, department, status) the user may change: in their
    roster scope, ranking strictly below them there (rank.py), and never themselves."""
    access = access_for(user)
    if access.user_id is None:
        return Staff.objects.none()
    return (
        staff_manageable_by(user)
        .exclude(user_id=access.user_id)
        .filter(staff_ranking_below_q(access))
    )


def _roster_q(access) -> Q:
    return Q(organisation_id__in=access.admin_org_ids) | Q(
        department_id__in=access.admin_department_ids
    )


def departments_manageable_by(user) -> QuerySet[Department]:
    access = access_for(user)
    qs = Department.objects.select_related("organisation", "parent")
    if access.is_platform_admin:
        return qs
    return qs.filter(
        Q(organisation_id__in=access.admin_org_ids) | Q(pk__in=access.admin_department_ids)
    )


def positions_manageable_by(user) -> QuerySet[Position]:
    access = access_for(user)
    if access.is_platform_admin:
        return Position.objects.select_related("organisation")
    # Part-time administrators assign existing positions but do not define them.
    org_ids = access.admin_org_ids | _department_org_ids(access)
    return Position.objects.select_related("organisation").filter(organisation_id__in=org_ids)


def positions_definable_by(user) -> QuerySet[Position]:
    access = access_for(user)
    if access.is_platform_admin:
        return Position.objects.select_related("organisation")
    return Position.objects.select_related("organisation").filter(
        organisation_id__in=access.admin_org_ids
    )


def _department_org_ids(access) -> set[int]:
    if not access.admin_department_ids:
        return set()
    return set(
        Department.objects.filter(pk__in=access.admin_department_ids).values_list(
            "organisation_id", flat=True
        )
    )


def roster_organisations_for(user) -> QuerySet[Organisation]:
    """Organisations into which the user may import or add staff."""
    access = access_for(user)
    if access.is_platform_admin:
        return Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE)
    return Organisation.objects.filter(pk__in=access.admin_org_ids)


def roster_import_jobs_of(user) -> QuerySet[RosterImportJob]:
    """The roster imports the user started; platform administrators see every one."""
    qs = RosterImportJob.objects.select_related("organisation")
    if access_for(user).is_platform_admin:
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(requested_by=user)


def roster_import_job_progress(*, job: RosterImportJob) -> dict:
    return {
        "status": job.status,
        "done": job.rows_processed,
        "total": job.rows_total,
        "percent": job.percent,
        "finished": job.finished,
    }


def staff_organisations_for(user) -> QuerySet[Organisation]:
    """Organisations in which the user may add people: their roster organisations and, for a
    part-time administrator, the organisations of the departments they look after."""
    access = access_for(user)
    if access.is_platform_admin:
        return Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE)
    return Organisation.objects.filter(pk__in=access.admin_org_ids | _department_org_ids(access))


def appointments_visible_to(user) -> QuerySet[Appointment]:
    access = access_for(user)
    qs = Appointment.objects.select_related(
        "staff__user", "staff__organisation", "position", "requested_by", "decided_by"
    )
    if access.is_platform_admin:
        return qs
    return qs.filter(Q(staff__in=staff_manageable_by(user)) | Q(staff__user_id=access.user_id))


def appointments_decidable_by(user) -> QuerySet[Appointment]:
    """Appointments the user may approve or refuse: full administrators (not part-time) of the
    organisation, or platform administrators, who outrank both the person and the position's
    role; never their own."""
    access = access_for(user)
    if access.user_id is None:
        return Appointment.objects.none()
    qs = appointments_visible_to(user).filter(
        staff_ranking_below_q(access, "staff__"), positions_ranking_below_q(access, "position__")
    )
    if access.is_platform_admin:
        return qs.exclude(staff__user_id=access.user_id)
    return qs.filter(staff__organisation_id__in=access.admin_org_ids).exclude(
        staff__user_id=access.user_id
    )


def appointments_to_decide_count(user) -> int:
    return appointments_decidable_by(user).filter(status=Appointment.Status.REQUESTED).count()


def memberships_of(user) -> QuerySet[Staff]:
    """A person's own memberships, for their home page."""
    return (
        Staff.objects.filter(user=user)
        .select_related("organisation", "department", "position")
        .order_by("status", "organisation__name")
    )


def staff_for_login(*, employee_number: str) -> QuerySet[Staff]:
    """Active memberships with this employee number, to resolve a sign-in by 工号."""
    return staff_active().filter(employee_number=employee_number).select_related("user")


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    """Platform administrators read everything but the confidential entries (reports of
    violations), which only the organisation's compliance head and CCO read; compliance heads
    their organisation's log."""
    from lms.audit.services import confidential_object_types

    access = access_for(user)
    qs = AuditEntry.objects.select_related("actor", "organisation")
    if access.is_platform_admin:
        return qs.exclude(
            Q(object_type__in=confidential_object_types())
            & ~Q(organisation_id__in=access.head_org_ids)
        )
    return qs.filter(organisation_id__in=access.head_org_ids)


def compliance_staff_in_post(*, organisation_id: int) -> list[Staff]:
    """The organisation's active people holding a compliance role (principal, chief compliance
    officer, compliance head, administrators), highest role first: the staffing of its
    compliance reports."""
    from .access import DEPARTMENT_ADMIN_ROLES, ORG_ADMIN_ROLES
    from .models import ComplianceRole
    from .rank import rank_of

    roles = {ComplianceRole.PRINCIPAL, *ORG_ADMIN_ROLES, *DEPARTMENT_ADMIN_ROLES}
    staff = list(
        staff_active()
        .filter(organisation_id=organisation_id, position__compliance_role__in=roles)
        .select_related("user", "position", "department")
    )
    return sorted(
        staff,
        key=lambda s: (
            -rank_of(s.position.compliance_role if s.position is not None else ""),
            s.user.full_name,
            s.pk,
        ),
    )


def principals_of(*, organisation_id: int) -> list:
    """The organisation's active principals (主要负责人: people in a position whose compliance
    role is principal), to be told of what the principal must do."""
    from .models import ComplianceRole

    return [
        staff.user
        for staff in staff_active(
            Staff.objects.filter(
                organisation_id=organisation_id,
                position__compliance_role=ComplianceRole.PRINCIPAL,
            )
        )
        .select_related("user")
        .order_by("pk")
    ]


# --- for the compliance file (lms.archive): the caller has already checked who may read -------


def appointments_of_staff(*, staff_ids) -> QuerySet[Appointment]:
    """The appointments of these memberships, oldest first, with their positions and deciders."""
    return (
        Appointment.objects.filter(staff_id__in=staff_ids)
        .select_related("position", "requested_by", "decided_by")
        .order_by("staff_id", "requested_at", "pk")
    )


def compliance_staff_of(*, organisation_id: int) -> QuerySet[Staff]:
    """The active people of an organisation whose position carries a compliance role (an
    inspection asks for their files), by name."""
    from .models import ENTERPRISE_COMPLIANCE_ROLES

    return (
        staff_active()
        .filter(
            organisation_id=organisation_id,
            position__compliance_role__in=list(ENTERPRISE_COMPLIANCE_ROLES),
        )
        .select_related("user", "organisation", "department", "position")
        .order_by("user__full_name", "pk")
    )


# --- aggregates per organisation, for a regulator's oversight (no personal data) -------------
STAFFING_ROLES: tuple[str, ...] = (
    ComplianceRole.CHIEF_COMPLIANCE_OFFICER.value,
    ComplianceRole.COMPLIANCE_HEAD.value,
    ComplianceRole.ADMIN_FULL_TIME.value,
    ComplianceRole.ADMIN_PART_TIME.value,
)


def staffing_by_organisation(*, organisation_ids) -> dict[int, dict[str, int]]:
    """Per organisation: active staff, active holders of each compliance role, departments and
    departments with an active part-time administrator. Counts only, three GROUP BY queries
    however many organisations (`organisation_ids` may be a query)."""
    result: dict[int, dict[str, int]] = defaultdict(
        lambda: (
            {"staff": 0, "departments": 0, "departments_covered": 0}
            | dict.fromkeys(STAFFING_ROLES, 0)
        )
    )
    active = Staff.objects.filter(active_staff_q(), organisation_id__in=organisation_ids)
    for row in active.values("organisation_id").annotate(
        n=Count("pk"),
        **{role: Count("pk", filter=Q(position__compliance_role=role)) for role in STAFFING_ROLES},
    ):
        counts: dict = dict(row)
        figures = result[counts["organisation_id"]]
        figures["staff"] = counts["n"]
        for role in STAFFING_ROLES:
            figures[role] = counts[role]
    covered = active.filter(
        position__compliance_role=ComplianceRole.ADMIN_PART_TIME, department__isnull=False
    ).values("department_id")
    for row in (
        Department.objects.filter(organisation_id__in=organisation_ids)
        .values("organisation_id")
        .annotate(n=Count("pk"), covered=Count("pk", filter=Q(pk__in=covered)))
    ):
        result[row["organisation_id"]]["departments"] = row["n"]
        result[row["organisation_id"]]["departments_covered"] = row["covered"]
    return dict(result)


def regulators_with_jurisdiction() -> list[int]:
    """The ids of the regulators that have a jurisdiction, unscoped: for system jobs and for
    sums over every regulator (an enterprise's due dates), never listed on a person's page."""
    return list(Jurisdiction.objects.values_list("regulator_id", flat=True))


def regulated_enterprises() -> QuerySet[Organisation]:
    """Active enterprises in at least one regulator's jurisdiction, unscoped: for system jobs
    (the late self-inspection notices), never for a person's page."""
    regulator_ids = list(Jurisdiction.objects.values_list("regulator_id", flat=True))
    return Organisation.objects.filter(jurisdiction_filter(regulator_ids), is_active=True)


# --- the group: coverage and the read-only roll-up ---------------------------------------------


def group_organisations_for(user) -> QuerySet[Organisation]:
    """Enterprises whose group figures (coverage, the roll-up) the user reads: those they
    administer and every subsidiary below them. Read-only: acting stays per organisation."""
    access = access_for(user)
    qs = Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE, is_active=True)
    if access.is_platform_admin:
        return qs
    return qs.filter(pk__in=access.admin_org_ids | access.group_read_org_ids)


def subsidiaries_readable_by(user) -> QuerySet[Organisation]:
    """The subsidiaries the user reads as their group's administrator (not their own
    organisations), for the group roll-up."""
    access = access_for(user)
    qs = Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE, is_active=True)
    if access.is_platform_admin:
        return qs.filter(parent__isnull=False)
    return qs.filter(pk__in=access.group_read_org_ids)


def group_readable(user, *, organisation_id: int) -> bool:
    """Whether the user reads this organisation's figures as its group's administrator (or its
    own administrator). For the read-only group panels of other apps."""
    return access_for(user).may_read_group_of(organisation_id)


def group_subsidiary_for(user, *, organisation_id: int) -> Organisation | None:
    """One subsidiary the user reads as their group's administrator (None: not theirs)."""
    return subsidiaries_readable_by(user).filter(pk=organisation_id).first()


def coverage_of(user, *, organisation: Organisation) -> coverage.GroupCoverage | None:
    """The staffing coverage of an organisation and every subsidiary below it (None: not the
    user's to read). A fixed number of queries per level of the group."""
    if not group_organisations_for(user).filter(pk=organisation.pk).exists():
        return None
    ids = {organisation.pk} | subsidiary_ids([organisation.pk])
    organisations = Organisation.objects.filter(pk__in=ids, is_active=True)
    active = staff_active().filter(organisation_id__in=ids)
    ccos = dict(
        active.filter(position__compliance_role=ComplianceRole.CHIEF_COMPLIANCE_OFFICER)
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
    )
    part_time = dict(
        active.filter(
            position__compliance_role=ComplianceRole.ADMIN_PART_TIME, department__isnull=False
        )
        .values_list("department_id")
        .annotate(n=Count("pk"))
    )
    departments: dict[int, list[coverage.DepartmentFacts]] = {}
    for department in Department.objects.filter(organisation_id__in=ids).only(
        "pk", "name", "organisation_id", "is_business_department"
    ):
        departments.setdefault(department.organisation_id, []).append(
            coverage.DepartmentFacts(
                id=department.pk,
                name=department.name,
                is_business=department.is_business_department,
                part_time_admins=part_time.get(department.pk, 0),
            )
        )
    facts = [
        coverage.OrganisationFacts(
            id=org.pk,
            name=org.name,
            # The chosen organisation is the root of its roll-up, whatever sits above it.
            parent_id=None if org.pk == organisation.pk else org.parent_id,
            is_key_subsidiary=org.is_key_subsidiary,
            chief_compliance_officers=ccos.get(org.pk, 0),
            departments=tuple(departments.get(org.pk, [])),
            is_group_level=org.parent_id is None,
        )
        for org in organisations
    ]
    return coverage.group_coverage(organisation.pk, facts)


def staff_user_ids(staff_ids) -> list[int]:
    """The accounts of these memberships (whatever their status), for a listener of
    `roster_changed` that keeps something per person."""
    return list(Staff.objects.filter(pk__in=list(staff_ids)).values_list("user_id", flat=True))


def organisation_names(ids) -> dict[int, str]:
    """Organisation id → name, for ids the caller has already scoped."""
    return dict(Organisation.objects.filter(pk__in=list(ids)).values_list("pk", "name"))

"""Who may see what: the one place that turns a user's memberships into scopes.

Every selector that returns objects across organisations starts from `access_for(user)`.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from . import roles
from .models import ComplianceRole, Department, Organisation, Staff

ORG_ADMIN_ROLES = frozenset(
    {
        ComplianceRole.CHIEF_COMPLIANCE_OFFICER,
        ComplianceRole.COMPLIANCE_HEAD,
        ComplianceRole.ADMIN_FULL_TIME,
    }
)
HEAD_ROLES = frozenset({ComplianceRole.CHIEF_COMPLIANCE_OFFICER, ComplianceRole.COMPLIANCE_HEAD})
DEPARTMENT_ADMIN_ROLES = frozenset({ComplianceRole.ADMIN_PART_TIME})


@dataclass(frozen=True)
class Access:
    user_id: int | None
    is_platform_admin: bool = False
    member_org_ids: frozenset[int] = field(default_factory=frozenset)
    admin_org_ids: frozenset[int] = field(default_factory=frozenset)
    head_org_ids: frozenset[int] = field(default_factory=frozenset)
    admin_department_ids: frozenset[int] = field(default_factory=frozenset)
    regulator_ids: frozenset[int] = field(default_factory=frozenset)
    inspector_regulator_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        return bool(self.is_platform_admin or self.admin_org_ids or self.admin_department_ids)

    @property
    def is_regulator(self) -> bool:
        return bool(self.regulator_ids)


ANONYMOUS = Access(user_id=None)


def is_platform_admin(user) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=roles.PLATFORM_ADMIN).exists()


def access_for(user) -> Access:
    """Compute (once per user object) the organisations and departments a user acts for."""
    if not user or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_hegui_access", None)
    if cached is not None:
        return cached
    memberships = list(
        Staff.objects.filter(user=user, status=Staff.Status.ACTIVE, organisation__is_active=True)
        .select_related("position", "organisation")
        .only("organisation_id", "department_id", "position__compliance_role", "organisation__kind")
    )
    member, admin, head, dept_roots, regulators, inspector_of = (
        set(),
        set(),
        set(),
        set(),
        set(),
        set(),
    )
    for m in memberships:
        member.add(m.organisation_id)
        role = m.position.compliance_role if m.position_id else ComplianceRole.NONE
        if m.organisation.kind == Organisation.Kind.REGULATOR:
            regulators.add(m.organisation_id)
            if role == ComplianceRole.REGULATOR_INSPECTOR:
                inspector_of.add(m.organisation_id)
            continue
        if role in ORG_ADMIN_ROLES:
            admin.add(m.organisation_id)
        if role in HEAD_ROLES:
            head.add(m.organisation_id)
        if role in DEPARTMENT_ADMIN_ROLES and m.department_id:
            dept_roots.add(m.department_id)
    access = Access(
        user_id=user.pk,
        is_platform_admin=is_platform_admin(user),
        member_org_ids=frozenset(member),
        admin_org_ids=frozenset(admin),
        head_org_ids=frozenset(head),
        admin_department_ids=frozenset(department_subtree_ids(dept_roots)),
        regulator_ids=frozenset(regulators),
        inspector_regulator_ids=frozenset(inspector_of),
    )
    user._hegui_access = access
    return access


def department_subtree_ids(root_ids) -> set[int]:
    """The given departments and all their descendants (one query per tree level)."""
    found = set(root_ids)
    frontier = set(root_ids)
    while frontier:
        frontier = set(
            Department.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found |= frontier
    return found


def jurisdiction_filter(regulator_ids) -> Q:
    """A Q over Organisation matching the enterprises in these regulators' jurisdictions."""
    from .models import Jurisdiction

    q = Q(pk__in=[])
    for j in Jurisdiction.objects.filter(regulator_id__in=regulator_ids).prefetch_related(
        "enterprises"
    ):
        region_q = Q()
        for prefix in j.prefix_list:
            region_q |= Q(region_code__startswith=prefix)
        if j.prefix_list:
            if j.sectors:
                region_q &= Q(sector__in=j.sectors)
            q |= region_q
        listed = [e.pk for e in j.enterprises.all()]
        if listed:
            q |= Q(pk__in=listed) | Q(parent_id__in=listed)
    return q & Q(kind=Organisation.Kind.ENTERPRISE)


def is_enterprise_member(user) -> bool:
    """Whether the user learns anywhere: an active member of at least one enterprise."""
    access = access_for(user)
    return bool(access.member_org_ids - access.regulator_ids)

"""Who may see what, and who may act on whom: the one place that turns a user's memberships
into scopes and ranks.

Every selector that returns objects across organisations starts from `access_for(user)`. The
rank rule (rank.py) is applied here, for the services, and by the selectors `staff_changeable_by`
and `appointments_decidable_by`, for forms and lists. A service called with no actor is the
platform itself (the demo seed, a management command) and is not ranked.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from . import rank, roles
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
    # Subsidiaries (through Organisation.parent, transitively) of the organisations the user
    # administers: read-only. Never a reason to act on anyone there (ranks stay per organisation).
    group_read_org_ids: frozenset[int] = field(default_factory=frozenset)
    # (organisation id, compliance rank there) for each active membership
    org_ranks: tuple[tuple[int, int], ...] = ()

    def rank_in(self, organisation_id: int | None) -> int:
        """The user's compliance rank in an organisation (see rank.py); 0 where not a member."""
        if self.is_platform_admin:
            return rank.PLATFORM_ADMIN_RANK
        if organisation_id is None:
            return 0
        return dict(self.org_ranks).get(organisation_id, 0)

    @property
    def is_admin(self) -> bool:
        return bool(self.is_platform_admin or self.admin_org_ids or self.admin_department_ids)

    @property
    def is_regulator(self) -> bool:
        return bool(self.regulator_ids)

    @property
    def compliance_org_ids(self) -> frozenset[int]:
        """The enterprises where the user holds a compliance role, the principal (主要负责人)
        down to a part-time administrator: those whose compliance reports they read."""
        return frozenset(org for org, value in self.org_ranks if value > 0) - self.regulator_ids

    @property
    def principal_org_ids(self) -> frozenset[int]:
        """The enterprises whose principal (主要负责人) the user is: they read the compliance
        reports made for the principal (dispatch, duty summaries), and act on nobody for it."""
        principal = rank.rank_of(ComplianceRole.PRINCIPAL)
        return (
            frozenset(org for org, value in self.org_ranks if value == principal)
            - self.regulator_ids
        )

    @property
    def is_group_reader(self) -> bool:
        return bool(self.is_platform_admin or self.group_read_org_ids)

    def may_read_group_of(self, organisation_id: int) -> bool:
        """Whether the user reads this organisation's group figures: their own (as its
        administrator) or a subsidiary's below it. Read-only."""
        if self.is_platform_admin:
            return True
        return organisation_id in self.admin_org_ids or organisation_id in self.group_read_org_ids

    def may_run_group_campaign(self, organisation_id: int | None) -> bool:
        """Whether the user runs a campaign (a commitment letter, a curriculum) across this
        organisation and every subsidiary below it: its compliance head or chief compliance
        officer (or the platform administrator). Administrators below them read the group but
        do not run it; a subsidiary never runs its parent's group."""
        if self.is_platform_admin:
            return True
        return organisation_id is not None and organisation_id in self.head_org_ids

    @property
    def readable_figure_org_ids(self) -> frozenset[int]:
        """The organisations whose per-organisation figures the user reads: their own as an
        administrator and, read-only, their subsidiaries'."""
        return self.admin_org_ids | self.head_org_ids | self.group_read_org_ids


ANONYMOUS = Access(user_id=None)


def active_staff_q(prefix: str = "") -> Q:
    """Who counts as active, written once: on the roster as 在岗, with an account that may sign
    in, in an organisation that is active. `prefix` reaches a membership through a relation
    (``"staff__"`` from an enrolment)."""
    return Q(
        **{
            f"{prefix}status": Staff.Status.ACTIVE,
            f"{prefix}user__is_active": True,
            f"{prefix}organisation__is_active": True,
        }
    )


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
        Staff.objects.filter(active_staff_q(), user=user)
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
    ranks: dict[int, int] = {}
    for m in memberships:
        member.add(m.organisation_id)
        role = m.position.compliance_role if m.position is not None else ComplianceRole.NONE
        ranks[m.organisation_id] = rank.rank_of(role)
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
        group_read_org_ids=frozenset(subsidiary_ids(admin) - admin),
        org_ranks=tuple(sorted(ranks.items())),
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


def subsidiary_ids(root_ids) -> set[int]:
    """Every organisation below the given ones through `Organisation.parent`, transitively (not
    the given ones themselves; one query per level; stops on a cycle)."""
    found: set[int] = set()
    frontier = set(root_ids)
    while frontier:
        frontier = (
            set(
                Organisation.objects.filter(
                    parent_id__in=frontier, kind=Organisation.Kind.ENTERPRISE
                ).values_list("pk", flat=True)
            )
            - found
            - set(root_ids)
        )
        found |= frontier
    return found


def group_org_ids(organisation_id: int) -> set[int]:
    """An organisation and every subsidiary below it: the reach of a group-wide campaign."""
    return {organisation_id} | subsidiary_ids([organisation_id])


def ancestor_ids(organisation_ids) -> set[int]:
    """Every organisation above the given ones through `Organisation.parent` (not the given ones
    themselves; one query per level; stops on a cycle). A group-wide campaign of one of them
    reaches the given organisations."""
    start = set(organisation_ids)
    found: set[int] = set()
    frontier = start
    while frontier:
        frontier = (
            set(
                Organisation.objects.filter(pk__in=frontier, parent__isnull=False).values_list(
                    "parent_id", flat=True
                )
            )
            - found
            - start
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


# --- rank: who may act on whom ---------------------------------------------------------------
def _roles_below_in_orgs(access: Access, org_field: str, role_field: str, none_field: str) -> Q:
    """Rows whose organisation (`org_field`) is one where the user has a rank, and whose role
    (`role_field`, or no position at all: `none_field` is null) ranks below it there."""
    by_rank: dict[int, list[int]] = {}
    for organisation_id, value in access.org_ranks:
        by_rank.setdefault(value, []).append(organisation_id)
    q = Q(pk__in=[])
    for value, org_ids in by_rank.items():
        below = Q(**{f"{role_field}__in": rank.roles_below(value)})
        if none_field:
            below |= Q(**{f"{none_field}__isnull": True})
        q |= Q(**{f"{org_field}__in": org_ids}) & below
    return q


def staff_ranking_below_q(access: Access, prefix: str = "") -> Q:
    """A Q over Staff (through `prefix`, e.g. "staff__") matching people who rank strictly below
    the user in their organisation. Platform administrators outrank everyone."""
    if access.is_platform_admin:
        return Q()
    return _roles_below_in_orgs(
        access,
        f"{prefix}organisation_id",
        f"{prefix}position__compliance_role",
        f"{prefix}position",
    )


def positions_ranking_below_q(access: Access, prefix: str = "") -> Q:
    """A Q over Position (through `prefix`, e.g. "position__") matching positions whose role
    ranks strictly below the user in its organisation."""
    if access.is_platform_admin:
        return Q()
    return _roles_below_in_orgs(access, f"{prefix}organisation_id", f"{prefix}compliance_role", "")


def membership_state(staff: Staff) -> rank.Membership:
    """A staff record as it stands in memory (the change about to be saved)."""
    position = staff.position if staff.position_id else None
    return rank.Membership(
        position_id=staff.position_id,
        role=position.compliance_role if position else ComplianceRole.NONE,
        needs_exam=bool(position and position.needs_pre_appointment_exam),
        left=staff.status == Staff.Status.LEFT,
    )


def membership_saved(staff_pk: int | None) -> rank.Membership | None:
    """A staff record as the database holds it; None for a new one."""
    if staff_pk is None:
        return None
    saved = Staff.objects.select_related("position").filter(pk=staff_pk).first()
    return membership_state(saved) if saved else None


def _role_label(role: str) -> str:
    return str(ComplianceRole(role).label)


def _appointments_place() -> str:
    return _("People → Appointments")


def staff_change_refusal(
    user, *, staff: Staff, before: rank.Membership | None
) -> ValidationError | None:
    """Why `user` may not save this change to `staff` (None: they may). `before` is the record
    as saved (None for a new person); call only when something changes."""
    if user is None:
        return None
    access = access_for(user)
    after = membership_state(staff)
    refusal = rank.staff_change_refusal(
        actor_rank=access.rank_in(staff.organisation_id),
        is_self=before is not None and staff.user_id == access.user_id,
        before=before,
        after=after,
    )
    if refusal is None:
        return None
    if refusal == rank.Refusal.SELF:
        message = _(
            "You cannot change your own staff record (position, department or status): someone "
            "who ranks above you does that. A compliance role is given only through an "
            "appointment (%(place)s)."
        ) % {"place": _appointments_place()}
    elif refusal == rank.Refusal.OUTRANKED:
        assert before is not None  # outranked by the saved record: there is one
        message = _(
            "%(person)s is %(role)s, which ranks at or above you: only someone who ranks above "
            "them may change their record (position, department or status)."
        ) % {"person": staff.user.full_name, "role": _role_label(before.role)}
    else:
        message = _needs_appointment_message(staff, after, new=before is None)
    return ValidationError(message, code=refusal.value)


def _needs_appointment_message(staff: Staff, after: rank.Membership, *, new: bool) -> str:
    position = staff.position
    assert position is not None  # only a position needs an appointment
    if after.role != ComplianceRole.NONE:
        why = _("The position %(position)s carries the compliance role %(role)s") % {
            "position": position.name,
            "role": _role_label(after.role),
        }
    else:
        why = _("The position %(position)s needs a pre-appointment exam") % {
            "position": position.name
        }
    if new:
        how = _(
            "it is given only through an appointment. Add the person in another position, then "
            "request the appointment (%(place)s)."
        )
    else:
        how = _(
            "it is given only through an appointment: request one (%(place)s); it is approved "
            "by someone who ranks above the role, once its conditions are met."
        )
    return _("%(why)s: %(how)s") % {"why": why, "how": how % {"place": _appointments_place()}}


def appointment_refusal(user, *, appointment, deciding: bool) -> ValidationError | None:
    """Why `user` may not request (or, `deciding`, approve or refuse) this appointment."""
    if user is None:
        return None
    access = access_for(user)
    staff = appointment.staff
    refusal = rank.appointment_refusal(
        actor_rank=access.rank_in(staff.organisation_id),
        is_self=staff.user_id == access.user_id,
        person_role=staff.compliance_role,
        position_role=appointment.position.compliance_role,
        deciding=deciding,
    )
    if refusal is None:
        return None
    if refusal == rank.Refusal.SELF:
        message = (
            _("You cannot decide your own appointment.")
            if deciding
            else _(
                "You cannot request an appointment for yourself: someone who ranks above you "
                "requests it."
            )
        )
    elif refusal == rank.Refusal.OUTRANKED:
        message = _(
            "%(person)s is %(role)s, which ranks at or above you: only someone who ranks above "
            "them may request or decide their appointments."
        ) % {"person": staff.user.full_name, "role": _role_label(staff.compliance_role)}
    else:
        role = appointment.position.compliance_role
        deciders = [_role_label(r) for r in rank.deciders_of(role, ORG_ADMIN_ROLES)]
        deciders.append(_("a platform administrator"))
        message = _(
            "An appointment to %(position)s (%(role)s) is decided by someone who ranks above "
            "that role: %(deciders)s."
        ) % {
            "position": appointment.position.name,
            "role": _role_label(role),
            "deciders": _(" or ").join(deciders),
        }
    return ValidationError(message, code=refusal.value)


def position_change_refusal(
    user, *, position, role_before: str | None, held: bool
) -> ValidationError | None:
    """Why `user` may not create (`role_before` None) or change this position."""
    if user is None:
        return None
    access = access_for(user)
    refusal = rank.position_change_refusal(
        actor_rank=access.rank_in(position.organisation_id),
        role_before=role_before,
        role_after=position.compliance_role,
        held=held,
    )
    if refusal is None:
        return None
    if refusal == rank.Refusal.ROLE_OUTRANKS:
        top = max([position.compliance_role, role_before or ""], key=rank.rank_of)
        message = _(
            "Only someone who ranks above %(role)s may create or change a position with that "
            "compliance role."
        ) % {"role": _role_label(top)}
    else:
        message = _(
            "People hold the position %(position)s: a higher compliance role would give it to "
            "them without an appointment. Create a new position and appoint them to it "
            "(%(place)s)."
        ) % {"position": position.name, "place": _appointments_place()}
    return ValidationError(message, code=refusal.value)

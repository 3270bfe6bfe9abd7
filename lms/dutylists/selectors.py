"""Reads of the key-position duty lists, scoped through organisations' access rules: the person
in a post reads their own list and acknowledgements; the compliance head, chief compliance
officer and full-time administrators of the organisation read its coverage and edit the lists
of the key positions that rank below them."""

from django.db.models import Prefetch, QuerySet

from content.selectors import compliance_domains, regulation_clauses
from lms.organisations.access import access_for, positions_ranking_below_q
from lms.organisations.selectors import (
    memberships_of,
    organisations_visible_to,
    positions_definable_by,
    staff_active,
)

from .models import DutyAcknowledgement, DutyItem, DutyList, DutyListVersion, PostCourse


def coverage_organisations_for(user):
    """The enterprises whose duty lists the user keeps: where they are a compliance head, chief
    compliance officer or full-time administrator (every one, for the platform administrator)."""
    access = access_for(user)
    qs = organisations_visible_to(user).filter(kind="enterprise")
    if access.is_platform_admin:
        return qs
    return qs.filter(pk__in=access.admin_org_ids)


def may_keep_duty_lists(user) -> bool:
    return coverage_organisations_for(user).exists()


def key_positions_visible_to(user):
    """The key positions of the organisations whose duty lists the user keeps."""
    return positions_definable_by(user).filter(is_key=True)


def key_positions_editable_by(user):
    """Key positions whose duty list the user may write: in their organisations, and whose
    compliance role ranks strictly below theirs (a head does not write their own post's)."""
    access = access_for(user)
    if access.user_id is None:
        return key_positions_visible_to(user).none()
    return key_positions_visible_to(user).filter(positions_ranking_below_q(access))


def _items_prefetch():
    return Prefetch(
        "items",
        queryset=DutyItem.objects.prefetch_related(
            Prefetch("clauses", queryset=regulation_clauses()), "domains"
        ),
    )


def current_version(position_id: int) -> DutyListVersion | None:
    """The duty list of a position as it stands, with its items (None: no list yet)."""
    duty_list = DutyList.objects.filter(position_id=position_id).first()
    if duty_list is None or not duty_list.current_version:
        return None
    return (
        DutyListVersion.objects.filter(duty_list=duty_list, number=duty_list.current_version)
        .select_related("duty_list__position", "duty_list__organisation", "created_by")
        .prefetch_related(_items_prefetch())
        .first()
    )


def version_with_items(version_id: int) -> DutyListVersion:
    return (
        DutyListVersion.objects.filter(pk=version_id)
        .select_related("duty_list__position", "duty_list__organisation")
        .prefetch_related(_items_prefetch())
        .get()
    )


def versions_of(position_id: int) -> QuerySet[DutyListVersion]:
    return DutyListVersion.objects.filter(duty_list__position_id=position_id).select_related(
        "created_by"
    )


def holders_of(position_id: int):
    """The active staff in a post."""
    return (
        staff_active()
        .filter(position_id=position_id)
        .select_related("user", "department", "position", "organisation")
        .order_by("user__full_name", "pk")
    )


def holders_of_any():
    """Everyone active in a post (narrowed by the caller), with their position."""
    return staff_active().select_related("user", "position")


def post_courses_of(position_id: int) -> QuerySet[PostCourse]:
    return PostCourse.objects.filter(duty_list__position_id=position_id).select_related("course")


def clause_choices():
    return regulation_clauses()


def domain_choices():
    return compliance_domains()


def acknowledgements_of(user) -> QuerySet[DutyAcknowledgement]:
    """The person's own acknowledgements, newest first."""
    return DutyAcknowledgement.objects.filter(user=user).select_related(
        "version__duty_list__position", "version__duty_list__organisation", "staff"
    )


def is_current(acknowledgement: DutyAcknowledgement) -> bool:
    return acknowledgement.version.number == acknowledgement.version.duty_list.current_version


def pending_of(user) -> list[DutyAcknowledgement]:
    """The person's acknowledgements still to sign, of lists as they stand, for a post they
    still hold."""
    pending = acknowledgements_of(user).filter(
        status=DutyAcknowledgement.Status.PENDING, staff__in=staff_active()
    )
    return [
        ack
        for ack in pending
        if is_current(ack) and ack.staff.position_id == ack.version.duty_list.position_id
    ]


def pending_count_of(user) -> int:
    if not user or not user.is_authenticated:
        return 0
    return len(pending_of(user))


def holds_key_post_with_list(user) -> bool:
    if not user or not user.is_authenticated:
        return False
    return (
        staff_active(memberships_of(user))
        .filter(position__is_key=True, position__duty_list__current_version__gt=0)
        .exists()
        or acknowledgements_of(user).exists()
    )


def coverage(*, user, organisation) -> dict:
    """Each key position of the organisation with its list (version or none) and its holders,
    each with whether they acknowledged the current version; and the two gaps: key positions
    without a list, people who have not acknowledged the list of their post."""
    positions = list(
        key_positions_visible_to(user).filter(organisation=organisation).order_by("name")
    )
    editable = set(
        key_positions_editable_by(user)
        .filter(organisation=organisation)
        .values_list("pk", flat=True)
    )
    lists = {
        d.position_id: d for d in DutyList.objects.filter(position__in=[p.pk for p in positions])
    }
    holders: dict[int | None, list] = {p.pk: [] for p in positions}
    for staff in (
        staff_active()
        .filter(position_id__in=[p.pk for p in positions])
        .select_related("user", "department")
        .order_by("user__full_name", "pk")
    ):
        holders[staff.position_id].append(staff)
    signed = set(
        DutyAcknowledgement.objects.filter(
            version__duty_list__position__in=[p.pk for p in positions],
            status=DutyAcknowledgement.Status.SIGNED,
        ).values_list("staff_id", "version__duty_list_id", "version__number")
    )
    rows, without_list, unacknowledged = [], [], []
    for position in positions:
        duty_list = lists.get(position.pk)
        version = duty_list.current_version if duty_list else 0
        people = []
        for staff in holders[position.pk]:
            done = duty_list is not None and (staff.pk, duty_list.pk, version) in signed
            people.append({"staff": staff, "acknowledged": done})
            if version and not done:
                unacknowledged.append({"staff": staff, "position": position, "version": version})
        if not version:
            without_list.append(position)
        rows.append(
            {
                "position": position,
                "version": version,
                "people": people,
                "editable": position.pk in editable,
            }
        )
    return {"rows": rows, "without_list": without_list, "unacknowledged": unacknowledged}

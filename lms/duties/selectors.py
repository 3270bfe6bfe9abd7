"""Reads of the duty log, scoped through organisations' access rules: an author sees their own
entries; the compliance head and chief compliance officer see their organisation's."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from lms.organisations.access import (
    DEPARTMENT_ADMIN_ROLES,
    ORG_ADMIN_ROLES,
    access_for,
    active_staff_q,
)
from lms.organisations.selectors import (
    departments_manageable_by,
    memberships_of,
    organisations_visible_to,
    staff_active,
)

from . import periods
from .models import DutyEntry, DutyType

DUTY_ROLES = ORG_ADMIN_ROLES | DEPARTMENT_ADMIN_ROLES


def duty_memberships_of(user):
    """The user's active memberships in which they keep a duty log (a compliance
    administrator, head or chief compliance officer)."""
    if not user or not user.is_authenticated:
        return []
    return list(
        memberships_of(user).filter(active_staff_q(), position__compliance_role__in=DUTY_ROLES)
    )


def may_keep_duty_log(user) -> bool:
    """Whether the user keeps a duty log; asked by two menu items on every page, so read once
    per user object."""
    known = getattr(user, "_hegui_keeps_duty_log", None)
    if known is None:
        known = bool(duty_memberships_of(user))
        if user is not None and getattr(user, "is_authenticated", False):
            user._hegui_keeps_duty_log = known
    return known


def reads_summary_only(user) -> bool:
    """A reader of the duty summaries who keeps no log of their own (the principal): the menu
    leads them to the summary rather than to a log."""
    if not user or not user.is_authenticated:
        return False
    return not may_keep_duty_log(user) and summary_organisations_for(user).exists()


def departments_for_entry(user, *, organisation_id: int):
    """The departments the user may record a duty about: all of the organisation's for a head,
    CCO or full-time administrator; their own departments for a part-time administrator."""
    return departments_manageable_by(user).filter(organisation_id=organisation_id)


def entries_visible_to(user) -> QuerySet[DutyEntry]:
    access = access_for(user)
    qs = DutyEntry.objects.select_related(
        "author__user", "author__position", "organisation", "department"
    ).prefetch_related("attachments")
    if access.user_id is None:
        return qs.none()
    if access.is_platform_admin:
        return qs
    return qs.filter(Q(author__user_id=access.user_id) | Q(organisation_id__in=access.head_org_ids))


def duty_entries_all() -> QuerySet[DutyEntry]:
    """Every entry, for the records backfill."""
    return DutyEntry.objects.select_related("author__department").order_by("pk")


def summary_organisations_for(user):
    """The organisations whose summary the user reads: those they head and those whose
    principal they are (the summary is made for the head and the principal; guidance 四(八)), or
    all, for the platform administrator."""
    access = access_for(user)
    qs = organisations_visible_to(user).filter(kind="enterprise")
    if access.is_platform_admin:
        return qs
    return qs.filter(pk__in=access.head_org_ids | access.principal_org_ids)


def summary(*, user, organisation, period: periods.Period) -> dict:
    """Entries of the period per person and type, and the part-time administrators with none:
    every entry of the organisation for a reader of its summary (its head or principal), none
    for anyone else."""
    entries = entries_visible_to(user).none()
    if summary_organisations_for(user).filter(pk=organisation.pk).exists():
        entries = DutyEntry.objects.select_related(
            "author__user", "author__position", "organisation", "department"
        ).filter(organisation=organisation, occurred_on__range=(period.start, period.end))
    return _summarise(entries, organisation=organisation, period=period)


def quarter_summary(*, organisation, year: int, quarter: int) -> dict:
    """The summary of every entry of the organisation in a quarter, for a caller that has
    checked the reader may see it (the quarterly dispatch report, read by the principal)."""
    period = periods.Period(year=year, quarter=quarter)
    entries = DutyEntry.objects.select_related(
        "author__user", "author__position", "organisation", "department"
    ).filter(organisation=organisation, occurred_on__range=(period.start, period.end))
    return _summarise(entries, organisation=organisation, period=period)


def _summarise(entries, *, organisation, period: periods.Period) -> dict:
    kinds = [value for value, _label in DutyType.choices]
    rows = entries.order_by("author__user__full_name", "author_id").values_list("author_id", "kind")
    counted = periods.count_by_person_and_type(rows, kinds)
    listed = list(entries.order_by("occurred_on", "pk"))
    authors = {entry.author_id: entry.author for entry in listed}
    rows_by_person = [[counts[k] for k in kinds] for _pk, counts, _total in counted]
    people = [
        {"staff": authors[pk], "counts": row, "total": total}
        for (pk, _counts, total), row in zip(counted, rows_by_person, strict=True)
    ]
    totals = [sum(row[i] for row in rows_by_person) for i in range(len(kinds))]
    silent = (
        silent_part_time_admins(organisation_id=organisation.pk, period=period)
        if period.month and period.closed(timezone.localdate())
        else []
    )
    return {
        "kinds": DutyType.choices,
        "people": people,
        "totals": totals,
        "total": sum(totals),
        "silent": silent,
        "entries": listed,
    }


def silent_part_time_admins(*, organisation_id: int, period: periods.Period) -> list:
    """Active part-time administrators of the organisation with no entry in the period."""
    logged = DutyEntry.objects.filter(
        organisation_id=organisation_id, occurred_on__range=(period.start, period.end)
    ).values("author_id")
    return list(
        staff_active()
        .filter(
            organisation_id=organisation_id,
            position__compliance_role__in=DEPARTMENT_ADMIN_ROLES,
        )
        .exclude(pk__in=logged)
        .select_related("user", "department")
        .order_by("user__full_name", "pk")
    )


def silent_part_time_admins_count(user, *, today: date | None = None) -> int:
    """For the head's to-do list: part-time administrators who recorded nothing last month."""
    access = access_for(user)
    if not access.head_org_ids:
        return 0
    period = periods.previous_month(today or timezone.localdate())
    return sum(
        len(silent_part_time_admins(organisation_id=org_id, period=period))
        for org_id in access.head_org_ids
    )


def attachment_visible_to(user, *, entry_id: int, attachment_id: int):
    entry = entries_visible_to(user).filter(pk=entry_id).first()
    if entry is None:
        return None
    return entry.attachments.filter(pk=attachment_id).first()

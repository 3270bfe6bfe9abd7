"""Reads of the quarterly dispatch (合规管理调度), scoped through organisations' access rules:
the principal (主要负责人: the holder of a position whose compliance role is principal) and the
organisation's compliance staff read its meetings and reports; its compliance head and chief
compliance officer record them; anyone else sees nothing (a 404 to the views).

`dispatch_quarters_held` is the read other apps use (regulator oversight, the inspection
archive): it takes organisation ids the caller has already scoped."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from assessments.selectors import exam_figures
from assessments.spotchecks.selectors import spot_check_figures
from lms.duties.selectors import quarter_summary
from lms.learning.selectors import mandatory_training_figures
from lms.organisations.access import access_for
from lms.organisations.selectors import (
    compliance_heads_of,
    compliance_staff_in_post,
    enterprises,
    group_readable,
    principals_of,
    staff_active,
)
from lms.records.selectors import award_figures, violation_figures

from .models import DispatchAttachment, DispatchMeeting
from .quarters import Quarter, quarters_of_year


def organisations_readable_by(user) -> QuerySet:
    """The enterprises whose dispatch the user reads: those where they are the principal or
    compliance staff (every enterprise, for the platform administrator)."""
    access = access_for(user)
    if access.user_id is None:
        return enterprises().none()
    qs = enterprises().order_by("name")
    return qs if access.is_platform_admin else qs.filter(pk__in=access.compliance_org_ids)


def organisations_recordable_by(user) -> QuerySet:
    """The enterprises where the user records dispatch meetings: where they are the compliance
    head or chief compliance officer."""
    access = access_for(user)
    return enterprises().filter(pk__in=access.head_org_ids).order_by("name")


def may_read_dispatch(user) -> bool:
    return organisations_readable_by(user).exists()


def may_record(user, *, organisation_id: int) -> bool:
    return organisation_id in access_for(user).head_org_ids


def meetings_visible_to(user) -> QuerySet[DispatchMeeting]:
    return (
        DispatchMeeting.objects.filter(organisation__in=organisations_readable_by(user))
        .select_related("organisation", "recorded_by", "locked_by")
        .prefetch_related("attachments")
    )


def meeting_visible_to(user, *, pk: int) -> DispatchMeeting | None:
    return meetings_visible_to(user).filter(pk=pk).first()


def attachment_visible_to(user, *, meeting_id: int, attachment_id: int):
    meeting = meeting_visible_to(user, pk=meeting_id)
    if meeting is None:
        return None
    return DispatchAttachment.objects.filter(meeting=meeting, pk=attachment_id).first()


def attendees_of(meeting: DispatchMeeting) -> list:
    return list(
        meeting.attendees.select_related("user", "position").order_by("user__full_name", "pk")
    )


def attendee_choices(*, organisation_id: int) -> QuerySet:
    """Who may be named as attending: the organisation's active staff, compliance roles first."""
    return (
        staff_active()
        .filter(organisation_id=organisation_id)
        .select_related("user", "position", "department")
        .order_by("user__full_name", "pk")
    )


def meetings_in(*, organisation_id: int, quarter: Quarter) -> QuerySet[DispatchMeeting]:
    return DispatchMeeting.objects.filter(
        organisation_id=organisation_id, year=quarter.year, quarter=quarter.quarter
    ).order_by("held_on", "pk")


@dataclass
class QuarterRow:
    quarter: Quarter
    meetings: list
    closed: bool

    @property
    def held(self) -> bool:
        return bool(self.meetings)

    @property
    def missing(self) -> bool:
        """Ended with no meeting recorded: flagged to the principal and the head."""
        return self.closed and not self.meetings


def quarters_overview(*, organisation, year: int, today: date | None = None) -> list[QuarterRow]:
    """The year's quarters so far, newest first, each with its meetings: held, missing (ended
    with none) or still open."""
    today = today or timezone.localdate()
    meetings = DispatchMeeting.objects.filter(organisation=organisation, year=year).order_by(
        "held_on", "pk"
    )
    by_quarter: dict[int, list] = {}
    for meeting in meetings:
        by_quarter.setdefault(meeting.quarter, []).append(meeting)
    return [
        QuarterRow(quarter=q, meetings=by_quarter.get(q.quarter, []), closed=q.closed(today))
        for q in reversed(quarters_of_year(year, today))
    ]


def years_with_meetings(*, organisation, today: date | None = None) -> list[int]:
    today = today or timezone.localdate()
    years = set(
        DispatchMeeting.objects.filter(organisation=organisation).values_list("year", flat=True)
    )
    years.add(today.year)
    return sorted(years, reverse=True)


def quarter_report(*, organisation, quarter: Quarter, today: date | None = None) -> dict:
    """The quarter's compliance report as the platform drafts it, gathered through each app's
    selectors. The caller has checked the reader may see the organisation (`organisations_
    readable_by`)."""
    today = today or timezone.localdate()
    start, end = quarter.start, min(quarter.end, today)
    return {
        "organisation": organisation,
        "quarter": quarter,
        "as_of": end,
        "training": mandatory_training_figures(
            organisation_id=organisation.pk, start=start, end=end, today=today
        ),
        "exams": exam_figures(organisation_id=organisation.pk, start=start, end=end),
        "violations": violation_figures(organisation_id=organisation.pk, start=start, end=end),
        "awards": award_figures(organisation_id=organisation.pk, start=start, end=end),
        "spot_checks": spot_check_figures(organisation_id=organisation.pk, start=start, end=end),
        "staffing": compliance_staff_in_post(organisation_id=organisation.pk),
        "duties": quarter_summary(
            organisation=organisation, year=quarter.year, quarter=quarter.quarter
        ),
        "meetings": [
            (meeting, attendees_of(meeting))
            for meeting in meetings_in(organisation_id=organisation.pk, quarter=quarter)
        ],
    }


# --- for other apps (regulator oversight, the inspection archive) ---------------------------


def dispatch_quarters_held(
    *, organisation_ids, year: int, with_minutes: bool = True
) -> dict[int, dict[int, list[dict[str, Any]]]]:
    """For each organisation id given and each quarter (1–4) of `year`, its dispatch meetings
    as plain data, oldest first; a quarter with no meeting has an empty list. The caller has
    scoped the ids (a regulator's jurisdiction, an archive's organisation).

    Each meeting: id, held_on (a date), locked (bool), and, `with_minutes`, also minutes,
    decisions, priorities, attendees (each {"name", "position"}) and recorded_by (a name).
    Without minutes the result carries no personal data (oversight's aggregates)."""
    ids = list(organisation_ids)
    result: dict[int, dict[int, list[dict[str, Any]]]] = {
        org_id: {q: [] for q in range(1, 5)} for org_id in ids
    }
    meetings = DispatchMeeting.objects.filter(organisation_id__in=ids, year=year).order_by(
        "held_on", "pk"
    )
    if with_minutes:
        meetings = meetings.select_related("recorded_by").prefetch_related(
            "attendees__user", "attendees__position"
        )
    for meeting in meetings:
        row: dict[str, Any] = {
            "id": meeting.pk,
            "held_on": meeting.held_on,
            "locked": meeting.is_locked,
        }
        if with_minutes:
            row |= {
                "minutes": meeting.minutes,
                "decisions": meeting.decisions,
                "priorities": meeting.priorities,
                "recorded_by": meeting.recorded_by.full_name or meeting.recorded_by.email,
                "attendees": [
                    {
                        "name": staff.user.full_name or staff.user.email,
                        "position": staff.position.name if staff.position is not None else "",
                    }
                    for staff in sorted(
                        meeting.attendees.all(), key=lambda s: (s.user.full_name, s.pk)
                    )
                ],
            }
        result[meeting.organisation_id][meeting.quarter].append(row)
    return result


@dataclass
class GroupQuarter:
    """One quarter of a subsidiary as its group reads it: how many meetings, how many of
    their minutes are finalised; no minutes text, no names."""

    quarter: Quarter
    closed: bool
    n_meetings: int
    n_finalised: int

    @property
    def held(self) -> bool:
        return self.n_meetings > 0

    @property
    def missing(self) -> bool:
        return self.closed and not self.n_meetings

    @property
    def minutes_finalised(self) -> bool:
        return self.held and self.n_finalised == self.n_meetings


def group_dispatch_of(
    *, user, organisation_id: int, today: date | None = None
) -> dict[str, Any] | None:
    """A subsidiary's dispatch quarters of this year and last, newest first, for its group's
    read-only roll-up (None: not the user's to read). Aggregates only: the minutes stay with
    the subsidiary's principal and compliance staff."""
    if not group_readable(user, organisation_id=organisation_id):
        return None
    today = today or timezone.localdate()
    rows: list[GroupQuarter] = []
    for year in (today.year, today.year - 1):
        held = dispatch_quarters_held(
            organisation_ids=[organisation_id], year=year, with_minutes=False
        )[organisation_id]
        for quarter in reversed(quarters_of_year(year, today)):
            meetings = held[quarter.quarter]
            rows.append(
                GroupQuarter(
                    quarter=quarter,
                    closed=quarter.closed(today),
                    n_meetings=len(meetings),
                    n_finalised=sum(1 for m in meetings if m["locked"]),
                )
            )
    closed = [row for row in rows if row.closed]
    return {
        "quarters": rows,
        "n_closed": len(closed),
        "n_missing": sum(1 for row in closed if row.missing),
    }


# --- for the Celery task that flags missing quarters -----------------------------------------


def organisations_missing(*, quarter: Quarter) -> QuerySet:
    """Active enterprises that existed before the quarter ended and recorded no meeting in it."""
    held = DispatchMeeting.objects.filter(year=quarter.year, quarter=quarter.quarter).values(
        "organisation_id"
    )
    return (
        enterprises()
        .filter(is_active=True, created_at__date__lte=quarter.end)
        .exclude(pk__in=held)
        .order_by("pk")
    )


def missing_quarter_recipients(*, organisation_id: int) -> list:
    """Who is told of a missing quarter: the principals, then the compliance heads and CCO."""
    people = principals_of(organisation_id=organisation_id)
    seen = {user.pk for user in people}
    for user in compliance_heads_of(organisation_id=organisation_id):
        if user.pk not in seen:
            people.append(user)
            seen.add(user.pk)
    return people

"""Recording the quarterly dispatch meeting (合规管理调度纪要). Audited.

The compliance head or chief compliance officer records it; the minutes stay editable by them
until one of them finalises the record, after which nothing changes (the record is what an
inspector is shown). Several meetings may be recorded for one quarter."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.attachments import MAX_ATTACHMENTS, attachment_problems
from lms.audit.services import audit_record
from lms.refusals import Refused

from . import selectors
from .models import DispatchAttachment, DispatchMeeting
from .quarters import Quarter


class DispatchRefused(Refused):
    """Only the compliance head or chief compliance officer records the dispatch."""

    status = 403


def _check_recorder(actor, *, organisation_id: int) -> None:
    if not selectors.organisations_readable_by(actor).filter(pk=organisation_id).exists():
        raise DispatchRefused(_("There is no such organisation."), status=404)
    if not selectors.may_record(actor, organisation_id=organisation_id):
        raise DispatchRefused(
            _(
                "Only the compliance head or the chief compliance officer records the "
                "dispatch meeting."
            )
        )


def _validated(
    *,
    organisation_id: int,
    quarter: Quarter,
    held_on: date | None,
    attendee_ids,
    minutes: str,
    decisions: str,
    priorities: str,
    files: list,
    existing_files: int,
    today: date,
) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if held_on is None:
        errors["held_on"] = _("Give the date of the meeting.")
    elif not quarter.contains(held_on):
        errors["held_on"] = _(
            "The meeting date must fall within %(quarter)s (%(start)s to %(end)s)."
        ) % {"quarter": quarter.code, "start": quarter.start, "end": quarter.end}
    elif held_on > today:
        errors["held_on"] = _("The meeting date cannot be in the future.")
    wanted = {int(pk) for pk in attendee_ids}
    attendees = list(
        selectors.attendee_choices(organisation_id=organisation_id).filter(pk__in=wanted)
    )
    if len(attendees) != len(wanted):
        errors["attendees"] = _("Choose the attendees among the organisation's staff.")
    elif not attendees:
        errors["attendees"] = _("Choose who attended.")
    texts = {
        "minutes": (minutes or "").strip(),
        "decisions": (decisions or "").strip(),
        "priorities": (priorities or "").strip(),
    }
    if not texts["minutes"]:
        errors["minutes"] = _("Write the minutes: what the head reported and what was discussed.")
    if not texts["decisions"]:
        errors["decisions"] = _("Write what was decided.")
    if not texts["priorities"]:
        errors["priorities"] = _("Write the next quarter's priorities.")
    problems = attachment_problems(files)
    if existing_files + len(files) > MAX_ATTACHMENTS and not problems:
        problems.append(_("Attach at most %(n)d files.") % {"n": MAX_ATTACHMENTS})
    if problems:
        errors["files"] = problems
    if errors or held_on is None:
        raise ValidationError(errors)
    return {"held_on": held_on, "attendees": attendees, **texts}


def _attach(meeting: DispatchMeeting, files: list) -> None:
    for upload in files:
        upload.seek(0)
        DispatchAttachment.objects.create(
            meeting=meeting, file=upload, name=upload.name[:255], size=upload.size
        )


@transaction.atomic
def meeting_record(
    *,
    actor,
    organisation_id: int,
    quarter: Quarter,
    held_on: date | None,
    attendee_ids=(),
    minutes: str = "",
    decisions: str = "",
    priorities: str = "",
    files=(),
    today: date | None = None,
) -> DispatchMeeting:
    """The head or CCO records a dispatch meeting of the quarter: its date (within the quarter,
    not in the future), who attended (the organisation's staff), the minutes, the decisions and
    the next quarter's priorities, with attachments (type- and size-checked). Nothing is saved
    if anything is refused."""
    _check_recorder(actor, organisation_id=organisation_id)
    files = list(files)
    clean = _validated(
        organisation_id=organisation_id,
        quarter=quarter,
        held_on=held_on,
        attendee_ids=attendee_ids,
        minutes=minutes,
        decisions=decisions,
        priorities=priorities,
        files=files,
        existing_files=0,
        today=today or timezone.localdate(),
    )
    meeting = DispatchMeeting(
        organisation_id=organisation_id,
        year=quarter.year,
        quarter=quarter.quarter,
        held_on=clean["held_on"],
        minutes=clean["minutes"],
        decisions=clean["decisions"],
        priorities=clean["priorities"],
        recorded_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(clean["attendees"])
    _attach(meeting, files)
    audit_record(
        action="dispatch.meeting_record",
        target=meeting,
        actor=actor,
        organisation=meeting.organisation,
        data={
            "quarter": quarter.code,
            "held_on": meeting.held_on.isoformat(),
            "attendees": sorted(s.pk for s in clean["attendees"]),
            "attachments": [f.name for f in files],
        },
    )
    return meeting


def _editable(actor, *, meeting_id: int) -> DispatchMeeting:
    meeting = (
        DispatchMeeting.objects.select_for_update()
        .filter(pk=meeting_id, organisation__in=selectors.organisations_readable_by(actor))
        .first()
    )
    if meeting is None:
        raise DispatchRefused(_("There is no such meeting."), status=404)
    _check_recorder(actor, organisation_id=meeting.organisation_id)
    if meeting.is_locked:
        raise DispatchRefused(
            _("These minutes were finalised on %(date)s and can no longer be changed.")
            % {"date": timezone.localtime(meeting.locked_at).date()},
            status=409,
        )
    return meeting


@transaction.atomic
def meeting_change(
    *,
    actor,
    meeting_id: int,
    held_on: date | None,
    attendee_ids=(),
    minutes: str = "",
    decisions: str = "",
    priorities: str = "",
    files=(),
    today: date | None = None,
) -> DispatchMeeting:
    """The head or CCO corrects minutes not yet finalised (the quarter stays the same; files
    are added to those attached). The audit entry keeps which fields changed."""
    meeting = _editable(actor, meeting_id=meeting_id)
    files = list(files)
    quarter = Quarter(meeting.year, meeting.quarter)
    clean = _validated(
        organisation_id=meeting.organisation_id,
        quarter=quarter,
        held_on=held_on,
        attendee_ids=attendee_ids,
        minutes=minutes,
        decisions=decisions,
        priorities=priorities,
        files=files,
        existing_files=meeting.attachments.count(),
        today=today or timezone.localdate(),
    )
    before_attendees = set(meeting.attendees.values_list("pk", flat=True))
    changed = [
        name
        for name, value in (
            ("held_on", clean["held_on"]),
            ("minutes", clean["minutes"]),
            ("decisions", clean["decisions"]),
            ("priorities", clean["priorities"]),
        )
        if getattr(meeting, name) != value
    ]
    if before_attendees != {s.pk for s in clean["attendees"]}:
        changed.append("attendees")
    meeting.held_on = clean["held_on"]
    meeting.minutes = clean["minutes"]
    meeting.decisions = clean["decisions"]
    meeting.priorities = clean["priorities"]
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(clean["attendees"])
    _attach(meeting, files)
    audit_record(
        action="dispatch.meeting_change",
        target=meeting,
        actor=actor,
        organisation=meeting.organisation,
        data={
            "quarter": quarter.code,
            "changed": changed,
            "attachments_added": [f.name for f in files],
        },
    )
    return meeting


@transaction.atomic
def meeting_lock(*, actor, meeting_id: int) -> DispatchMeeting:
    """The head or CCO finalises the minutes: from now on they are read-only."""
    meeting = _editable(actor, meeting_id=meeting_id)
    meeting.locked_at = timezone.now()
    meeting.locked_by = actor
    meeting.save(update_fields=["locked_at", "locked_by"])
    audit_record(
        action="dispatch.meeting_lock",
        target=meeting,
        actor=actor,
        organisation=meeting.organisation,
        data={"quarter": f"{meeting.year}-Q{meeting.quarter}"},
    )
    return meeting


def missing_quarters_flag(*, quarter: Quarter) -> int:
    """Tell the principal and the head of every enterprise that recorded no meeting in the
    quarter (now ended). Once per quarter per person, however often it runs: the notice key
    names both. Returns how many notices were sent now."""
    from django.urls import reverse

    from lms.notifications.services import notification_send

    from .notices import DISPATCH_MISSING

    sent = 0
    for organisation in selectors.organisations_missing(quarter=quarter):
        link = reverse("dispatch:quarters") + f"?org={organisation.pk}&year={quarter.year}"
        for user in selectors.missing_quarter_recipients(organisation_id=organisation.pk):
            notice = notification_send(
                user=user,
                key=f"dispatch-missing:{organisation.pk}:{quarter.code}:{user.pk}",
                kind=DISPATCH_MISSING,
                params={"organisation": organisation.name, "quarter": quarter.code},
                link=link,
            )
            sent += notice is not None
    return sent

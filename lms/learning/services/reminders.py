"""Notices and reminders: new assignments announced, due and overdue courses reminded (overdue
ones escalated to the administrators), and a background roster import's end reported."""

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lms.notifications.services import notification_send
from lms.organisations.selectors import active_staff_q

from .. import notices, selectors
from ..models import Enrolment

if TYPE_CHECKING:
    from lms.notifications.models import Notification

REMIND_DAYS_BEFORE_DUE = 7
# New courses are announced by an hourly sweep; older unannounced ones are not announced late.
ASSIGNMENT_NOTICE_WINDOW_DAYS = 7


def roster_import_notice_send(*, job) -> "Notification | None":
    """Tell whoever started a background roster import how it ended (once per job)."""
    return notification_send(
        user=job.requested_by,
        key=f"roster-import:{job.pk}",
        kind=notices.ROSTER,
        params={
            "failed": job.status == job.Status.FAILED,
            "file": job.file_name,
            "organisation": job.organisation.short_name or job.organisation.name,
            "created": job.created,
            "updated": job.updated,
            "unchanged": job.unchanged,
            "error": job.error,
        },
        link=reverse("roster:job", args=[job.pk]),
    )


def assignment_notices_send(*, now=None) -> int:
    """Tell each person of the mandatory courses newly assigned to them: one notice (and one
    e-mail) per person and sweep, listing every new course with its due date.

    Each enrolment is claimed (assignment_notified_at) before its notice is sent, so
    overlapping sweeps and retries never announce a course twice. Returns notices sent.
    """
    now = now or timezone.now()
    unannounced = Enrolment.objects.filter(
        active_staff_q("staff__"),
        assignment_notified_at__isnull=True,
        assigned_at__gte=now - timedelta(days=ASSIGNMENT_NOTICE_WINDOW_DAYS),
        status__in=selectors.OPEN,
    )
    sent = 0
    for user_id in list(unannounced.values_list("user_id", flat=True).distinct()):
        with transaction.atomic():
            claimed = list(
                unannounced.filter(user_id=user_id)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("user", "course")
                .order_by("due_on", "pk")
            )
            if not claimed:
                continue
            Enrolment.objects.filter(pk__in=[e.pk for e in claimed]).update(
                assignment_notified_at=now
            )
            sent += _announce_assignments(enrolments=claimed)
    return sent


def _announce_assignments(*, enrolments: list[Enrolment]) -> int:
    user = enrolments[0].user
    notification = notification_send(
        user=user,
        # an enrolment is announced once, so the batch's first enrolment names the batch
        key=f"assigned:{user.pk}:{min(e.pk for e in enrolments)}",
        kind=notices.ASSIGNED,
        params={
            "courses": [
                {
                    "title": enrolment.course.title,
                    "due": enrolment.due_on.isoformat() if enrolment.due_on else None,
                }
                for enrolment in enrolments
            ]
        },
        link=reverse("learning:my_learning"),
    )
    return int(notification is not None)


def reminder_event(*, due_on: date, today: date) -> tuple[str, str] | None:
    """Which reminder (kind, event id) an open enrolment due on `due_on` calls for today.

    Before: within REMIND_DAYS_BEFORE_DUE days; on the day; then once a week while overdue
    (days 1, 8, 15, ... after the due date; the event id names the overdue week).
    """
    days_left = (due_on - today).days
    if 0 < days_left <= REMIND_DAYS_BEFORE_DUE:
        return notices.BEFORE_DUE, "before"
    if days_left == 0:
        return notices.DUE, "due"
    if days_left < 0:
        week = (-days_left - 1) // 7
        return notices.OVERDUE, f"overdue-w{week}"
    return None


def reminders_send(*, today: date | None = None) -> int:
    """Send the reminders due today and escalate overdue courses. Safe to run repeatedly."""
    today = today or timezone.localdate()
    sent = 0
    open_enrolments = (
        Enrolment.objects.filter(
            active_staff_q("staff__"),
            status__in=selectors.OPEN,
            due_on__isnull=False,
            due_on__lte=today + timedelta(days=REMIND_DAYS_BEFORE_DUE),
        )
        .select_related("user", "course", "staff__organisation", "staff__department")
        .order_by("pk")
    )
    for enrolment in open_enrolments.iterator(chunk_size=500):
        if enrolment.due_on is None:  # filtered out above; the checker cannot see it
            continue
        event = reminder_event(due_on=enrolment.due_on, today=today)
        if event is None:
            continue
        kind, event_id = event
        sent += _remind(enrolment=enrolment, kind=kind, event_id=event_id, today=today)
    return sent


def _remind(*, enrolment: Enrolment, kind: str, event_id: str, today: date) -> int:
    assert enrolment.due_on is not None  # reminders_send picks enrolments with a due date
    base_key = f"enrolment:{enrolment.pk}:{enrolment.due_on.isoformat()}:{event_id}"
    values = {"course": enrolment.course.title, "due": enrolment.due_on.isoformat()}
    sent = int(
        notification_send(
            user=enrolment.user,
            key=base_key,
            kind=kind,
            params=values,
            link=enrolment.course.url or "",
        )
        is not None
    )
    if kind != notices.OVERDUE:
        return sent
    values["person"] = enrolment.user.full_name or enrolment.user.email
    values["department"] = (
        enrolment.staff.department.name if enrolment.staff.department is not None else "—"
    )
    for admin in selectors.escalation_recipients(staff=enrolment.staff):
        escalation = notification_send(
            user=admin,
            key=f"{base_key}:escalate:{admin.pk}",
            kind=notices.ESCALATION,
            params=values,
            link=reverse("learning:dashboard"),
        )
        sent += int(escalation is not None)
    return sent

"""Changes of state for learning: assignment, completion, waivers, reminders. Each audited."""

import logging
import time
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import CoursePage, Curriculum, LessonPage
from lms.audit.services import audit_record, audited_save
from lms.notifications.services import notification_send
from lms.organisations.models import Organisation, Staff
from lms.organisations.selectors import active_staff_q, staff_active

from . import notices, selectors, signals
from .completion import course_requirements_unmet
from .models import ONE_OFF_CYCLE, Enrolment, LessonProgress

if TYPE_CHECKING:
    from lms.notifications.models import Notification

logger = logging.getLogger(__name__)

REMIND_DAYS_BEFORE_DUE = 7
# New courses are announced by an hourly sweep; older unannounced ones are not announced late.
ASSIGNMENT_NOTICE_WINDOW_DAYS = 7
LESSON_TOKEN_SALT = "learning.lesson-opened"


class LessonNotReady(Exception):
    """The 完成 button was pressed too early, or without opening the lesson."""


class LessonAlreadyCompleted(Exception):
    pass


def cycle_for(*, curriculum: Curriculum, today: date) -> int:
    return today.year if curriculum.refresh == Curriculum.Refresh.YEARLY else ONE_OFF_CYCLE


# --- assignment ------------------------------------------------------------------------------


def assignment_run(
    *,
    organisation: Organisation,
    staff_ids: list[int] | None = None,
    curriculum: Curriculum | None = None,
    today: date | None = None,
) -> int:
    """Create the enrolments the organisation's curricula call for; return how many were new.

    Idempotent: an enrolment that exists for the person, course and cycle is left alone, and a
    person who left an audience keeps every enrolment they had. Yearly curricula open a new
    cycle each calendar year.
    """
    today = today or timezone.localdate()
    curricula = selectors.curricula_applying_to(organisation=organisation)
    if curriculum is not None:
        curricula = curricula.filter(pk=curriculum.pk)
    created = 0
    now = timezone.now()
    for item in curricula.prefetch_related("audience_departments"):
        course_ids = selectors.curriculum_course_ids(curriculum=item)
        if not course_ids:
            continue
        audience = selectors.staff_in_curriculum_audience(
            curriculum=item, organisation=organisation, today=today
        )
        if staff_ids is not None:
            audience = audience.filter(pk__in=staff_ids)
        people = list(audience.values_list("pk", "user_id"))
        if not people:
            continue
        cycle = cycle_for(curriculum=item, today=today)
        due_on = today + timedelta(days=item.due_days)
        existing = set(
            Enrolment.objects.filter(
                course_id__in=course_ids,
                cycle=cycle,
                user_id__in=[user_id for _, user_id in people],
            ).values_list("user_id", "course_id")
        )
        new = [
            Enrolment(
                user_id=user_id,
                staff_id=staff_id,
                course_id=course_id,
                cycle=cycle,
                source=Enrolment.Source.CURRICULUM,
                curriculum=item,
                assigned_at=now,
                due_on=due_on,
            )
            for staff_id, user_id in people
            for course_id in course_ids
            if (user_id, course_id) not in existing
        ]
        if not new:
            continue
        with transaction.atomic():
            # A concurrent run may have inserted some: the unique constraint keeps one each.
            Enrolment.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
            audit_record(
                action="curriculum.assign",
                target=item,
                organisation=organisation,
                data={"enrolments": len(new), "cycle": cycle},
            )
        created += len(new)
    return created


def assignment_run_for_curriculum(*, curriculum: Curriculum, today: date | None = None) -> int:
    """After a curriculum is created or edited: assign it wherever it applies."""
    if curriculum.owner_organisation_id:
        organisations = Organisation.objects.filter(pk=curriculum.owner_organisation_id)
    else:
        organisations = Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE)
    return sum(
        assignment_run(organisation=org, curriculum=curriculum, today=today)
        for org in organisations.filter(is_active=True)
    )


def assignment_run_all(*, today: date | None = None) -> int:
    """The nightly run: every active enterprise (new hires age out, yearly cycles open)."""
    return sum(
        assignment_run(organisation=org, today=today)
        for org in Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE, is_active=True)
    )


def _require_manager(*, actor, staff: Staff) -> None:
    """The person is on the actor's roster and ranks below them (never the actor themself)."""
    from lms.organisations.selectors import staff_changeable_by, staff_manageable_by

    if not staff_manageable_by(actor).filter(pk=staff.pk).exists():
        raise PermissionDenied
    if not staff_changeable_by(actor).filter(pk=staff.pk).exists():
        raise ValidationError(
            _(
                "You cannot assign or waive courses for yourself or for someone who ranks at or "
                "above you: someone who ranks above them does that."
            ),
            code="rank_outranked",
        )


@transaction.atomic
def enrolment_assign_manual(
    *, staff: Staff, course: CoursePage, due_on: date | None, reason: str, actor
) -> Enrolment:
    """An administrator assigns a course to one person, with a reason."""
    _require_manager(actor=actor, staff=staff)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the assignment.")})
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    if course.owner_organisation_id not in (None, staff.organisation_id):
        raise ValidationError({"course": _("This course belongs to another organisation.")})
    cycle = timezone.localdate().year
    if Enrolment.objects.filter(user_id=staff.user_id, course=course, cycle=cycle).exists():
        raise ValidationError(
            {"course": _("This person is already enrolled in this course this year.")}
        )
    enrolment = Enrolment(
        user_id=staff.user_id,
        staff=staff,
        course=course,
        cycle=cycle,
        source=Enrolment.Source.MANUAL,
        assigned_by=actor,
        reason=reason,
        due_on=due_on,
    )
    enrolment.full_clean()
    enrolment.save()
    audit_record(
        action="enrolment.assign",
        target=enrolment,
        actor=actor,
        organisation=staff.organisation,
        data={"course": course.title, "reason": reason, "due_on": str(due_on or "")},
    )
    return enrolment


@transaction.atomic
def enrolment_waive(*, enrolment: Enrolment, reason: str, actor) -> Enrolment:
    """Excuse a person from a course (e.g. already trained elsewhere), with a reason."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    _require_manager(actor=actor, staff=enrolment.staff)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the waiver.")})
    if enrolment.status == Enrolment.Status.COMPLETED:
        raise ValidationError(_("A completed course cannot be waived."))
    if enrolment.status == Enrolment.Status.WAIVED:
        raise ValidationError(_("This enrolment is already waived."))
    enrolment.status = Enrolment.Status.WAIVED
    enrolment.waived_at = timezone.now()
    enrolment.waived_by = actor
    enrolment.waiver_reason = reason
    enrolment.save(update_fields=["status", "waived_at", "waived_by", "waiver_reason"])
    audit_record(
        action="enrolment.waive",
        target=enrolment,
        actor=actor,
        organisation=enrolment.staff.organisation,
        data={"course": enrolment.course.title, "reason": reason},
    )
    return enrolment


def _enrol_in_courses(*, staff: Staff, course_ids, actor, reason: str, due_on: date):
    """Enrol the person, for this year, in the named courses that are live, unarchived and open
    to their organisation and that they do not have this year yet. Returns the new enrolments."""
    from django.db.models import Q

    wanted = list(dict.fromkeys(course_ids))
    available = set(
        CoursePage.objects.live()
        .filter(pk__in=wanted, is_archived=False)
        .filter(Q(owner_organisation__isnull=True) | Q(owner_organisation_id=staff.organisation_id))
        .values_list("pk", flat=True)
    )
    cycle = timezone.localdate().year
    taken = set(
        Enrolment.objects.filter(
            user_id=staff.user_id, course_id__in=available, cycle=cycle
        ).values_list("course_id", flat=True)
    )
    new = [
        Enrolment(
            user_id=staff.user_id,
            staff=staff,
            course_id=course_id,
            cycle=cycle,
            source=Enrolment.Source.MANUAL,
            assigned_by=actor,
            reason=reason,
            due_on=due_on,
        )
        for course_id in wanted
        if course_id in available and course_id not in taken
    ]
    if new:
        Enrolment.objects.bulk_create(new, ignore_conflicts=True)
    return new


@transaction.atomic
def enrolment_assign_post_courses(
    *, staff: Staff, course_ids, reason: str, due_on: date, actor=None
) -> list[Enrolment]:
    """The courses a post carries (its duty list's compliance domains): enrol the person who
    holds it, for this year, in those they do not have yet. With an actor, the person must be
    on their roster and rank below them; without one it is the platform, enrolling whoever moved
    into the post. Returns the new enrolments; running it again enrols nobody twice."""
    if actor is not None:
        _require_manager(actor=actor, staff=staff)
    new = _enrol_in_courses(
        staff=staff, course_ids=course_ids, actor=actor, reason=reason, due_on=due_on
    )
    if new:
        audit_record(
            action="enrolment.assign_post_courses",
            target=staff,
            actor=actor,
            organisation=staff.organisation,
            data={
                "courses": [e.course_id for e in new],
                "reason": reason,
                "due_on": due_on.isoformat(),
            },
        )
    return new


@transaction.atomic
def enrolment_assign_remedial(
    *,
    staff: Staff,
    actor,
    reason: str,
    due_on: date,
    curriculum_id: int | None = None,
    course_ids=(),
) -> list[Enrolment]:
    """Remedial training (整改学习), e.g. after a confirmed violation: enrol the person in the
    courses of the named curriculum (one that applies to their organisation) and in the named
    courses, for this year, due on `due_on`. Courses that are not live, archived or another
    organisation's are skipped, and so are those the person already has this year: running it
    again enrols nobody twice. Returns the new enrolments."""
    _require_manager(actor=actor, staff=staff)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the assignment.")})
    wanted = list(course_ids)
    if curriculum_id:
        curriculum = (
            selectors.curricula_applying_to(organisation=staff.organisation)
            .filter(pk=curriculum_id)
            .first()
        )
        if curriculum is not None:
            wanted += selectors.curriculum_course_ids(curriculum=curriculum)
    new = _enrol_in_courses(
        staff=staff, course_ids=wanted, actor=actor, reason=reason, due_on=due_on
    )
    if not new:
        return []
    audit_record(
        action="enrolment.assign_remedial",
        target=staff,
        actor=actor,
        organisation=staff.organisation,
        data={
            "courses": [e.course_id for e in new],
            "reason": reason,
            "due_on": due_on.isoformat(),
        },
    )
    return new


# --- lessons and completion ------------------------------------------------------------------


def lesson_opened_token(*, user, lesson: LessonPage) -> str:
    """A signed note of when the person opened the lesson; the 完成 button sends it back."""
    return signing.dumps({"u": user.pk, "l": lesson.pk, "t": time.time()}, salt=LESSON_TOKEN_SALT)


def _seconds_since_opened(*, token: str, user, lesson: LessonPage) -> int:
    try:
        data = signing.loads(token, salt=LESSON_TOKEN_SALT, max_age=timedelta(days=1))
    except signing.BadSignature as exc:
        raise LessonNotReady(_("Open the lesson and read it before marking it complete.")) from exc
    if data.get("u") != user.pk or data.get("l") != lesson.pk:
        raise LessonNotReady(_("Open the lesson and read it before marking it complete."))
    return int(time.time() - float(data["t"]))


@transaction.atomic
def lesson_complete(*, user, lesson: LessonPage, opened_token: str) -> LessonProgress:
    """The person pressed 完成 on a lesson they have spent the minimum time on."""
    from content.selectors import course_visible_to

    course = lesson.course_page()
    if not course_visible_to(user=user, course=course):
        raise PermissionDenied
    seconds = _seconds_since_opened(token=opened_token, user=user, lesson=lesson)
    if seconds < lesson.minimum_seconds:
        raise LessonNotReady(
            _("Please spend at least %(minimum)d seconds on this lesson (%(left)d to go).")
            % {"minimum": lesson.minimum_seconds, "left": lesson.minimum_seconds - seconds}
        )
    enrolment = _enrolment_for_learning(user=user, course=course)
    if LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson).exists():
        raise LessonAlreadyCompleted(_("You have already completed this lesson."))
    try:
        with transaction.atomic():
            progress = LessonProgress.objects.create(
                enrolment=enrolment, lesson=lesson, seconds_on_page=seconds
            )
    except IntegrityError as exc:  # a double click racing itself
        raise LessonAlreadyCompleted(_("You have already completed this lesson.")) from exc
    if enrolment.status == Enrolment.Status.ASSIGNED:
        enrolment.status = Enrolment.Status.IN_PROGRESS
        enrolment.save(update_fields=["status"])
    _refresh(enrolment=enrolment)
    return progress


def _enrolment_for_learning(*, user, course: CoursePage) -> Enrolment:
    """The open enrolment to record progress on; a voluntary one if the person has none."""
    enrolment = selectors.enrolment_current(user=user, course_page_id=course.pk)
    if enrolment is not None and enrolment.status != Enrolment.Status.WAIVED:
        return Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    memberships = staff_active().filter(user=user)
    if course.owner_organisation_id:
        memberships = memberships.filter(organisation_id=course.owner_organisation_id)
    staff = memberships.order_by("pk").first()
    if staff is None:
        raise PermissionDenied
    enrolment, _created = Enrolment.objects.get_or_create(
        user=user,
        course=course,
        cycle=timezone.localdate().year,
        defaults={"staff": staff, "source": Enrolment.Source.SELF},
    )
    return enrolment


def enrolment_refresh_completion(*, user, course_page_id: int) -> None:
    """Re-evaluate whether the person's current enrolment in a course is complete."""
    with transaction.atomic():
        enrolment = selectors.enrolment_current(user=user, course_page_id=course_page_id)
        if enrolment is None or not enrolment.is_open:
            return
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        _refresh(enrolment=enrolment)


def _refresh(*, enrolment: Enrolment) -> None:
    if not enrolment.is_open:
        return
    lesson_ids = set(
        LessonPage.objects.live().child_of(enrolment.course).values_list("pk", flat=True)
    )
    done = selectors.lessons_done_ids(enrolment=enrolment)
    if not lesson_ids <= done:
        return
    if enrolment_completion_blockers(enrolment=enrolment):
        return
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["status", "completed_at"])
    audit_record(
        action="enrolment.complete",
        target=enrolment,
        actor=enrolment.user,
        organisation=enrolment.staff.organisation,
        data={"course": enrolment.course.title, "cycle": enrolment.cycle},
    )
    transaction.on_commit(
        lambda: signals.enrolment_completed.send(sender=Enrolment, enrolment=enrolment)
    )


def enrolment_completion_blockers(*, enrolment: Enrolment) -> list[str]:
    """Why a course whose lessons are all done is not complete yet (e.g. the quiz)."""
    return course_requirements_unmet(
        user=enrolment.user,
        course_page_id=enrolment.course_id,
        organisation_id=enrolment.staff.organisation_id,
    )


# --- course deletion -------------------------------------------------------------------------


def course_deletion_refusal(*, page_ids: list[int]) -> str | None:
    """Why these pages (a course or a subtree holding courses) may not be deleted, if so."""
    enrolled = selectors.courses_with_enrolments(page_ids=page_ids)
    if not enrolled:
        return None
    titles = "、".join(
        CoursePage.objects.filter(pk__in=enrolled).order_by("title").values_list("title", flat=True)
    )
    return _(
        "%(titles)s cannot be deleted: people are enrolled. Archive the course instead "
        "(tick “archived” and publish): it will no longer be assigned and its history is kept."
    ) % {"titles": titles}


# --- notifications and reminders -------------------------------------------------------------


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


# --- training plans --------------------------------------------------------------------------


@transaction.atomic
def training_plan_save(*, plan, actor=None):
    audited_save(plan, actor=actor, organisation=plan.organisation, label="training_plan")
    return plan

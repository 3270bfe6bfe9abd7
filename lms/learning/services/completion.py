"""Lessons and completion: the lesson's 完成 button, and a course complete once its lessons are
done and nothing else (a quiz) holds it back."""

import time
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from content.selectors import live_lesson_ids
from lms.audit.services import audit_record
from lms.organisations.selectors import staff_active

from .. import selectors, signals
from ..completion import course_requirements_unmet
from ..models import Enrolment, LessonProgress

if TYPE_CHECKING:
    from content.models import CoursePage, LessonPage

LESSON_TOKEN_SALT = "learning.lesson-opened"


class LessonNotReady(Exception):
    """The 完成 button was pressed too early, or without opening the lesson."""


class LessonAlreadyCompleted(Exception):
    pass


def lesson_opened_token(*, user, lesson: "LessonPage") -> str:
    """A signed note of when the person opened the lesson; the 完成 button sends it back."""
    return signing.dumps({"u": user.pk, "l": lesson.pk, "t": time.time()}, salt=LESSON_TOKEN_SALT)


def _seconds_since_opened(*, token: str, user, lesson: "LessonPage") -> int:
    try:
        data = signing.loads(token, salt=LESSON_TOKEN_SALT, max_age=timedelta(days=1))
    except signing.BadSignature as exc:
        raise LessonNotReady(_("Open the lesson and read it before marking it complete.")) from exc
    if data.get("u") != user.pk or data.get("l") != lesson.pk:
        raise LessonNotReady(_("Open the lesson and read it before marking it complete."))
    return int(time.time() - float(data["t"]))


@transaction.atomic
def lesson_complete(*, user, lesson: "LessonPage", opened_token: str) -> LessonProgress:
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


def _enrolment_for_learning(*, user, course: "CoursePage") -> Enrolment:
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
    lesson_ids = live_lesson_ids(course=enrolment.course)
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

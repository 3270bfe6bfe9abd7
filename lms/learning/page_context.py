"""What learning adds to content pages, the navigation and the home page (selectors only)."""

from django.urls import reverse

from lms.organisations.access import access_for

from . import selectors, services

HOME_PANEL_SIZE = 5


def sees_dashboard(user) -> bool:
    return access_for(user).is_admin


def course_context(request, course) -> dict:
    if not request.user.is_authenticated:
        return {}
    enrolment = selectors.enrolment_current(user=request.user, course_page_id=course.pk)
    done = selectors.lessons_done_ids(enrolment=enrolment)
    lesson_ids = [lesson.pk for lesson in course.lesson_list]
    completed = len([pk for pk in lesson_ids if pk in done])
    percent = round(100 * completed / len(lesson_ids)) if lesson_ids else 0
    blockers = []
    if enrolment is not None and enrolment.is_open and lesson_ids and completed == len(lesson_ids):
        blockers = services.enrolment_completion_blockers(enrolment=enrolment)
    return {
        "enrolment": enrolment,
        "done_lesson_ids": done,
        "lessons_completed": completed,
        "progress_percent": 100
        if enrolment is not None and enrolment.status == enrolment.Status.COMPLETED
        else percent,
        "completion_blockers": blockers,
    }


def lesson_context(request, lesson) -> dict:
    if not request.user.is_authenticated:
        return {}
    course = lesson.get_parent()
    enrolment = selectors.enrolment_current(user=request.user, course_page_id=course.pk)
    done = selectors.lessons_done_ids(enrolment=enrolment)
    return {
        "enrolment": enrolment,
        "done_lesson_ids": done,
        "lesson_done": lesson.pk in done,
        "lesson_complete_url": reverse("learning:lesson_complete", args=[lesson.pk]),
        "opened_token": services.lesson_opened_token(user=request.user, lesson=lesson),
    }


def home_panel(request) -> dict | None:
    if not request.user.is_authenticated:
        return None
    enrolments = list(selectors.enrolments_of(user=request.user)[:HOME_PANEL_SIZE])
    if not enrolments:
        return None
    return {"enrolments": enrolments}


def group_panel(request, organisation) -> dict | None:
    rows = selectors.group_completion_by_department(
        user=request.user, organisation_id=organisation.pk
    )
    return None if rows is None else {"rows": rows}

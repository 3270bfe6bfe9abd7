"""How the exam engine plugs into lower apps' registries and signals (wired in apps.ready)."""

import logging

from django.db import transaction

from lms.resilience import outbox

from .models import Attempt, ExamKind

logger = logging.getLogger(__name__)


def pre_appointment_gate(appointment) -> str | None:
    from .services import pre_appointment_refusal

    return pre_appointment_refusal(appointment)


def on_appointment_requested(sender, appointment, **kwargs) -> None:
    from .services import appointment_enrol_candidate

    with transaction.atomic():
        appointment_enrol_candidate(appointment=appointment)


def on_roster_changed(sender, *, organisation, staff_ids=None, **kwargs) -> None:
    """People joined, moved or changed position: open exams whose audience now covers them
    take them in (after the roster change commits, in a Celery task, for those people only)."""
    from .tasks import sync_exam_audiences

    ids = list(staff_ids) if staff_ids is not None else None
    outbox.enqueue(sync_exam_audiences, organisation.pk, ids)


def course_quiz_requirement(*, user, course_page_id: int, organisation_id: int) -> str | None:
    """A learning course requirement: a course completes once the quiz that the person's own
    organisation set on it is passed. A quiz belongs to the organisation that set it (every
    exam has one, so there is no platform-wide quiz): another organisation's quiz on a
    platform-wide course binds its own people only."""
    from django.utils.translation import gettext as _

    from .models import Exam

    quizzes = list(
        Exam.objects.filter(
            kind=ExamKind.COURSE_QUIZ, course_id=course_page_id, organisation_id=organisation_id
        ).values_list("pk", flat=True)
    )
    if not quizzes:
        return None
    if Attempt.objects.filter(exam_id__in=quizzes, user=user, passed=True).exists():
        return None
    return _("The course quiz is not passed yet.")


def on_attempt_finalised(sender, attempt, **kwargs) -> None:
    """A passed course quiz may complete its course: ask learning to re-evaluate."""
    exam = attempt.exam
    if exam.kind != ExamKind.COURSE_QUIZ or not exam.course_id:
        return
    try:
        from lms.learning.services import enrolment_refresh_completion
    except ImportError:  # the learning app has no completion service yet
        logger.info("learning.enrolment_refresh_completion unavailable")
        return
    enrolment_refresh_completion(user=attempt.user, course_page_id=exam.course_id)


def register_course_requirement() -> bool:
    try:
        from lms.learning.completion import register_course_requirement as register
    except ImportError:
        return False
    register(course_quiz_requirement)
    return True


def render_knowledge_check(request, question_id: int, lesson_id: int | None) -> str | None:
    """A lesson's knowledge-check block: the question, if this person may practise with it; a
    notice instead while its bank is withheld from them (they may still sit an exam on it)."""
    from django.template.loader import render_to_string

    from .selectors import bank_withheld_reason, knowledge_check_questions_for

    question = knowledge_check_questions_for(request.user).filter(pk=question_id).first()
    if question is None:
        return None
    withheld = bank_withheld_reason(request.user, bank_id=question.bank_id)
    return render_to_string(
        "assessments/includes/knowledge_check.html",
        {"question": question, "lesson_id": lesson_id, "withheld": withheld},
        request=request,
    )

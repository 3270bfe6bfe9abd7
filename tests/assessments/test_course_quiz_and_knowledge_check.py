"""A course quiz completes its course; a lesson's knowledge check gives instant feedback."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services
from assessments.models import ExamKind, QuestionKind
from tests.factories import content as cf
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam

pytestmark = pytest.mark.django_db


def test_a_course_quiz_must_belong_to_a_course_page(org):
    with pytest.raises(ValidationError):
        make_exam(org, kind=ExamKind.COURSE_QUIZ)
    with pytest.raises(ValidationError):
        make_exam(org, kind=ExamKind.COURSE_QUIZ, course=cf.home_page())


def test_passing_the_quiz_completes_the_course(
    client, org, learner, compliance_admin, django_capture_on_commit_callbacks
):
    from lms.learning.models import Enrolment
    from lms.learning.services import enrolment_assign_manual
    from tests.factories.learning import complete_lesson

    course = cf.course(title="数据合规", lessons=1)
    staff = learner.memberships.get()
    enrolment = enrolment_assign_manual(
        staff=staff, course=course, due_on=None, reason="测试", actor=compliance_admin
    )
    exam = make_exam(org, kind=ExamKind.COURSE_QUIZ, course=course, pass_mark=60)
    client.force_login(learner)
    complete_lesson(client, course.get_children().first().specific)
    enrolment.refresh_from_db()
    assert enrolment.status != Enrolment.Status.COMPLETED, "the quiz is not passed yet"

    attempt = services.attempt_start(exam=exam, user=learner)
    for item in attempt.items.select_related("question"):
        services.response_save(
            attempt_id=attempt.pk,
            user_id=learner.pk,
            question_id=item.question_id,
            answer=item.question.key,
            seq=1,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_submit(attempt_id=attempt.pk, user=learner)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def check(client, question_id, answer):
    """Answer the question in a published lesson that asks it (the only place it is offered)."""
    course = cf.course(lessons=0)
    lesson = cf.lesson(
        course, body=[{"type": "knowledge_check", "value": {"question": question_id}}]
    )
    return client.post(
        reverse("assessments:knowledge_check_answer"),
        data=json.dumps({"question": question_id, "lesson": lesson.pk, "answer": answer}),
        content_type="application/json",
    )


def test_the_knowledge_check_says_right_or_wrong_with_the_explanation(client, org, learner):
    bank = make_bank(org)
    question = fill_bank(bank, count=1, kind=QuestionKind.MULTIPLE, explanation="三道防线")[0]
    client.force_login(learner)
    right = check(client, question.pk, ["C", "A"]).json()
    assert right == {"ok": True, "correct": True, "explanation": "三道防线", "key": ["A", "C"]}
    assert check(client, question.pk, ["A"]).json()["correct"] is False
    assert check(client, question.pk, "A").status_code == 400


def test_the_knowledge_check_never_reveals_sealed_or_foreign_questions(
    client, org, other_org, learner
):
    from tests.factories.organisations import RegulatorFactory

    sealed = make_bank(RegulatorFactory())
    sealed_q = fill_bank(sealed, count=1)[0]
    foreign_q = fill_bank(make_bank(other_org), count=1)[0]
    shared_q = fill_bank(make_bank(other_org, is_shared=True), count=1)[0]
    client.force_login(learner)
    assert check(client, sealed_q.pk, ["B"]).status_code == 404
    assert check(client, foreign_q.pk, ["B"]).status_code == 404
    assert check(client, shared_q.pk, ["B"]).json()["correct"] is True


def test_the_include_template_renders_a_question(rf, org, learner):
    from django.template.loader import render_to_string

    question = fill_bank(make_bank(org), count=1, stem="<i>x</i> 合规负责人对谁负责？")[0]
    request = rf.get("/")
    request.user = learner
    html = render_to_string(
        "assessments/includes/knowledge_check.html", {"question": question}, request=request
    )
    assert f'data-question="{question.pk}"' in html
    assert "&lt;i&gt;x&lt;/i&gt;" in html
    assert reverse("assessments:knowledge_check_answer") in html


def test_a_spot_check_draws_only_from_a_sealed_bank(org):
    from tests.factories.organisations import RegulatorFactory

    regulator = RegulatorFactory()
    with pytest.raises(ValidationError):
        make_exam(org, kind=ExamKind.SPOT_CHECK)  # an enterprise's open bank
    sealed = make_bank(regulator)
    fill_bank(sealed, count=5)
    exam = make_exam(regulator, kind=ExamKind.SPOT_CHECK, blueprint=make_blueprint(sealed))
    assert exam.blueprint.bank.is_sealed

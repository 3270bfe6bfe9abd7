"""Nobody reads a question's key while they may still sit an exam on it.

A knowledge check answers only for a question a published lesson asks, and never while the
question's bank is withheld from the person: they have an attempt open whose paper shows it, or
they are named a candidate of an exam drawing on the bank that has not closed and in which they
have an attempt left. The admin's question views, import and export follow the same rule.
"""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Exam, ExamKind, QuestionKind
from tests.factories import content as cf
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam

pytestmark = pytest.mark.django_db


def lesson_asking(*questions, course=None):
    course = course or cf.course(title="知识点自测课程", lessons=0)
    return cf.lesson(
        course,
        title="第一课",
        body=[
            {"type": "rich_text", "value": "<p>平台应当建立合规风险清单。</p>"},
            *({"type": "knowledge_check", "value": {"question": q.pk}} for q in questions),
        ],
    )


def check(client, question, answer, *, lesson=None):
    body = {"question": question.pk, "answer": answer}
    if lesson is not None:
        body["lesson"] = lesson.pk
    return client.post(
        reverse("assessments:knowledge_check_answer"),
        data=json.dumps(body),
        content_type="application/json",
    )


def close(exam):
    Exam.objects.filter(pk=exam.pk).update(
        opens_at=timezone.now() - timedelta(days=8), closes_at=timezone.now() - timedelta(days=1)
    )


@pytest.fixture
def bank(org):
    bank = make_bank(org, name="年度考试题库")
    fill_bank(bank, count=5, explanation="见《合规管理办法》第十二条")
    return bank


@pytest.fixture
def annual(org, bank, learner):
    blueprint = make_blueprint(bank, sections=[{"count": 3}])
    return make_exam(org, blueprint=blueprint, users=[learner], title="2026年度合规知识考试")


def test_a_knowledge_check_answers_only_for_a_question_a_published_lesson_asks(
    client, org, learner
):
    question, other = fill_bank(make_bank(org), count=2, explanation="三道防线")
    lesson = lesson_asking(question)
    client.force_login(learner)

    assert check(client, question, ["B"], lesson=lesson).json() == {
        "ok": True,
        "correct": True,
        "explanation": "三道防线",
        "key": ["B"],
    }
    for response in (check(client, question, ["A"]), check(client, other, ["A"], lesson=lesson)):
        assert response.status_code == 404
        assert "key" not in response.json() and "三道防线" not in response.content.decode()

    lesson.unpublish()
    assert check(client, question, ["B"], lesson=lesson).status_code == 404


def test_a_lesson_of_another_organisations_private_course_offers_nothing(
    client, org, other_org, learner
):
    shared = fill_bank(make_bank(other_org, is_shared=True), count=1)[0]
    private = cf.course(title="别家企业内部课程", lessons=0, owner=other_org)
    lesson = lesson_asking(shared, course=private)
    client.force_login(learner)
    assert check(client, shared, ["B"], lesson=lesson).status_code == 404
    assert check(client, shared, ["B"], lesson=lesson_asking(shared)).json()["correct"] is True


def test_the_key_of_a_question_on_the_open_paper_is_refused(client, org, learner):
    course = cf.course(title="数据合规", lessons=0)
    bank = make_bank(org)
    fill_bank(bank, count=3, kind=QuestionKind.TRUE_FALSE, explanation="见第八条")
    quiz = make_exam(
        org,
        kind=ExamKind.COURSE_QUIZ,
        course=course,
        blueprint=make_blueprint(bank, sections=[{"count": 3}]),
        attempts_allowed=3,
    )
    attempt = services.attempt_start(exam=quiz, user=learner)
    on_paper = attempt.items.first().question
    lesson = lesson_asking(on_paper, course=course)
    client.force_login(learner)

    response = check(client, on_paper, ["true"], lesson=lesson)
    assert response.status_code == 403
    body = response.json()
    assert body["ok"] is False and quiz.title in body["error"]
    assert "key" not in body and "见第八条" not in response.content.decode()
    page = client.get(lesson.url).content.decode()
    assert "knowledge-check-withheld" in page and 'data-question="' not in page

    services.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert check(client, on_paper, ["true"], lesson=lesson).json()["explanation"] == "见第八条"


def test_a_candidate_may_not_practise_on_the_bank_of_an_exam_they_may_still_sit(
    client, org, bank, annual, learner
):
    from lms.organisations.models import ComplianceRole
    from tests.factories.organisations import person

    question = bank.questions.order_by("pk").last()
    lesson = lesson_asking(question)
    client.force_login(learner)
    refused = check(client, question, ["B"], lesson=lesson)
    assert refused.status_code == 403
    assert "2026年度合规知识考试" in refused.json()["error"]
    assert "见《合规管理办法》第十二条" not in refused.content.decode()

    colleague = person(org, role=ComplianceRole.NONE).user
    client.force_login(colleague)
    assert check(client, question, ["B"], lesson=lesson).json()["correct"] is True

    client.force_login(learner)
    close(annual)
    assert check(client, question, ["B"], lesson=lesson).json()["correct"] is True


def test_the_bank_is_released_once_the_candidate_has_no_attempt_left(client, bank, annual, learner):
    question = bank.questions.order_by("pk").last()
    lesson = lesson_asking(question)
    client.force_login(learner)
    attempt = services.attempt_start(exam=annual, user=learner)
    assert check(client, question, ["B"], lesson=lesson).status_code == 403
    services.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert annual.attempts_allowed == 1
    assert check(client, question, ["B"], lesson=lesson).json()["correct"] is True


def test_an_upcoming_exam_withholds_its_bank_too(client, org, bank, learner):
    later = timezone.now() + timedelta(days=10)
    make_exam(
        org,
        blueprint=make_blueprint(bank, sections=[{"count": 3}]),
        users=[learner],
        opens_at=later,
        closes_at=later + timedelta(days=30),
    )
    question = bank.questions.first()
    client.force_login(learner)
    assert check(client, question, ["B"], lesson=lesson_asking(question)).status_code == 403


def test_an_administrator_who_may_sit_the_exam_cannot_read_its_bank_in_the_admin(
    client, org, bank, compliance_admin
):
    exam = make_exam(
        org,
        blueprint=make_blueprint(bank, sections=[{"count": 3}]),
        users=[compliance_admin],
        title="任前合规考试",
    )
    question = bank.questions.first()
    client.force_login(compliance_admin)

    listing = client.get(reverse("questions:index")).content.decode()
    assert question.stem not in listing
    assert "任前合规考试" in listing  # the warning says why
    for url in (
        reverse("questions:edit", args=[question.pk]),
        reverse("questions:delete", args=[question.pk]),
        reverse("assessments_admin:bank_transfer", args=[bank.pk]),
        reverse("assessments_admin:bank_export", args=[bank.pk, "csv"]),
    ):
        response = client.get(url, follow=True)
        page = response.content.decode()
        assert "任前合规考试" in page, url
        assert "见《合规管理办法》第十二条" not in page, url
        assert "attachment" not in response.get("Content-Disposition", "")
    imported = client.post(
        reverse("assessments_admin:bank_transfer", args=[bank.pk]),
        {"file": _gift_file(question.stem)},
    )
    assert imported.status_code == 302 and bank.questions.count() == 5

    close(exam)
    edit = client.get(reverse("questions:edit", args=[question.pk])).content.decode()
    assert "见《合规管理办法》第十二条" in edit
    assert (
        client.get(reverse("assessments_admin:bank_export", args=[bank.pk, "csv"])).status_code
        == 200
    )


def test_another_bank_of_the_same_administrator_stays_open(client, org, bank, compliance_admin):
    make_exam(
        org, blueprint=make_blueprint(bank, sections=[{"count": 3}]), users=[compliance_admin]
    )
    practice = make_bank(org, name="练习题库")
    other = fill_bank(practice, count=1, stem="练习题：合规负责人由谁任命？")[0]
    client.force_login(compliance_admin)
    assert "练习题：合规负责人由谁任命？" in client.get(reverse("questions:index")).content.decode()
    assert client.get(reverse("questions:edit", args=[other.pk])).status_code == 200


def _gift_file(stem):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("q.gift", f"::a:: {stem} {{=甲 ~乙 ~丙}}\n".encode())


def test_ids_beyond_the_databases_integers_are_no_question(client, learner):
    client.force_login(learner)
    for question_id, lesson_id in ((2**70, 1), (1, 2**40), (-1, 1)):
        response = client.post(
            reverse("assessments:knowledge_check_answer"),
            data=json.dumps({"question": question_id, "lesson": lesson_id, "answer": ["A"]}),
            content_type="application/json",
        )
        assert response.status_code == 404

"""Compliance administrators manage their own banks, questions, exams; never another's."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services
from assessments.models import Question, QuestionKind
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(org, learner):
    bank = make_bank(org, name="本公司题库")
    fill_bank(bank, count=4)
    exam = make_exam(org, blueprint=make_blueprint(bank, sections=[{"count": 4}]), users=[learner])
    return bank, exam


@pytest.fixture
def foreign(other_org):
    bank = make_bank(other_org, name="别家题库")
    fill_bank(bank, count=4)
    return bank, make_exam(other_org, blueprint=make_blueprint(bank, sections=[{"count": 4}]))


def test_admin_lists_show_only_own_objects(client, compliance_admin, own, foreign):
    client.force_login(compliance_admin)
    banks = client.get(reverse("question_banks:index")).content.decode()
    assert "本公司题库" in banks and "别家题库" not in banks
    exams = client.get(reverse("exams:index")).content.decode()
    assert own[1].title in exams and foreign[1].title not in exams


@pytest.mark.parametrize(
    "url_name",
    [
        "question_banks:edit",
        "exams:edit",
        "assessments_admin:exam_report",
        "assessments_admin:bank_transfer",
    ],
)
def test_another_organisations_objects_are_404_in_the_admin(
    client, compliance_admin, foreign, url_name
):
    bank, exam = foreign
    target = bank if "bank" in url_name else exam
    client.force_login(compliance_admin)
    assert client.get(reverse(url_name, args=[target.pk])).status_code == 404


def test_another_organisations_question_cannot_be_edited_or_exported(
    client, compliance_admin, foreign
):
    client.force_login(compliance_admin)
    question = foreign[0].questions.first()
    assert client.get(reverse("questions:edit", args=[question.pk])).status_code == 404
    export = reverse("assessments_admin:bank_export", args=[foreign[0].pk, "xlsx"])
    assert client.get(export).status_code == 404


def test_editing_a_used_question_in_the_admin_makes_a_new_version(
    client, compliance_admin, own, learner
):
    bank, exam = own
    services.attempt_start(exam=exam, user=learner)
    question = bank.questions.first()
    client.force_login(compliance_admin)
    response = client.post(
        reverse("questions:edit", args=[question.pk]),
        {
            "bank": bank.pk,
            "kind": "single",
            "difficulty": 2,
            "stem": "新的题干",
            "option_A": "一",
            "option_B": "二",
            "key_text": "B",
            "explanation": "",
            "tags_text": "数据保护，网络交易",
            "regulation_reference": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert question.status == "retired" and question.stem != "新的题干"
    new = Question.objects.get(lineage=question, version=2)
    assert new.stem == "新的题干" and new.options == ["一", "二"] and new.key == ["B"]
    assert new.tags == ["数据保护", "网络交易"]


def test_deleting_a_question_retires_it(client, compliance_admin, own):
    question = own[0].questions.first()
    client.force_login(compliance_admin)
    client.post(reverse("questions:delete", args=[question.pk]))
    question.refresh_from_db()
    assert question.status == "retired"


def test_a_blueprint_asking_for_more_than_the_bank_has_is_refused_on_save(
    client, compliance_admin, own
):
    from django.core.exceptions import ValidationError

    bank, _exam = own
    with pytest.raises(ValidationError) as exc:
        make_blueprint(bank, sections=[{"count": 50, "points": Decimal(1)}])
    assert "50" in " ".join(exc.value.messages)
    client.force_login(compliance_admin)
    response = client.post(
        reverse("blueprints:add"),
        {
            "bank": bank.pk,
            "name": "太多了",
            "sections-TOTAL_FORMS": "1",
            "sections-INITIAL_FORMS": "0",
            "sections-MIN_NUM_FORMS": "0",
            "sections-MAX_NUM_FORMS": "1000",
            "sections-0-title": "全部",
            "sections-0-count": "50",
            "sections-0-points": "1",
            "sections-0-kind": "",
            "sections-0-tag": "",
            "sections-0-difficulty_min": "1",
            "sections-0-difficulty_max": "5",
            "sections-0-ORDER": "0",
        },
    )
    assert response.status_code == 200
    assert "50" in response.content.decode()
    assert not bank.blueprints.filter(name="太多了").exists()


def test_the_import_page_previews_and_then_imports(client, compliance_admin, own):
    bank, _exam = own
    client.force_login(compliance_admin)
    url = reverse("assessments_admin:bank_transfer", args=[bank.pk])
    gift = "::a:: 合规管理员发现重大风险应当向谁报告？ {=合规负责人 ~客户 ~供应商}\n".encode()
    dry = client.post(url, {"file": SimpleUploadedFile("q.gift", gift)})
    assert "would create 1" in dry.content.decode() or "将新建 1" in dry.content.decode()
    assert bank.questions.count() == 4
    client.post(url, {"action": "confirm", "token": dry.context["token"]})
    assert bank.questions.count() == 5


def test_the_grading_queue_shows_only_own_short_answers_and_grades(
    client, org, learner, compliance_admin, other_admin
):
    bank = make_bank(org)
    fill_bank(bank, count=1, kind=QuestionKind.SHORT_ANSWER)
    exam = make_exam(org, blueprint=make_blueprint(bank, sections=[{"count": 1}]), users=[learner])
    attempt = services.attempt_start(exam=exam, user=learner)
    item = attempt.items.get()
    services.response_save(
        attempt_id=attempt.pk,
        user_id=learner.pk,
        question_id=item.question_id,
        answer=["应当建立合规风险清单"],
        seq=1,
    )
    services.attempt_submit(attempt_id=attempt.pk)
    client.force_login(other_admin)
    assert (
        "应当建立合规风险清单"
        not in client.get(reverse("assessments_admin:grading_queue")).content.decode()
    )
    assert (
        client.post(
            reverse("assessments_admin:grade_item", args=[item.pk]), {"points": "1"}
        ).status_code
        == 404
    )
    client.force_login(compliance_admin)
    assert (
        "应当建立合规风险清单"
        in client.get(reverse("assessments_admin:grading_queue")).content.decode()
    )
    client.post(reverse("assessments_admin:grade_item", args=[item.pk]), {"points": "1"})
    attempt.refresh_from_db()
    assert attempt.status == "graded" and attempt.score == 1


def test_overrides_are_audited(compliance_admin, own, learner):
    from lms.audit.models import AuditEntry

    services.exam_set_override(
        exam=own[1], user=learner, extra_minutes=20, extra_attempts=1, actor=compliance_admin
    )
    entry = AuditEntry.objects.get(action="exam.override")
    assert entry.data["after"] == [20, 1] and entry.actor == compliance_admin


def test_learners_cannot_enter_the_exam_admin(client, learner, own):
    client.force_login(learner)
    response = client.get(reverse("exams:index"))
    assert response.status_code in (302, 403)


def test_an_exam_created_in_the_admin_puts_its_audience_in_and_is_audited(
    client, compliance_admin, own, org, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from assessments.models import Exam
    from lms.audit.models import AuditEntry
    from lms.organisations.models import ComplianceRole
    from tests.factories.organisations import person

    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD).user
    bank, exam = own
    client.force_login(compliance_admin)
    now = timezone.localtime()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exams:add"),
            {
                "organisation": org.pk,
                "title": "后台创建的年度考试",
                "kind": "annual",
                "blueprint": exam.blueprint_id,
                "instructions": "",
                "opens_at": now.strftime("%Y-%m-%d %H:%M"),
                "closes_at": (now + timezone.timedelta(days=5)).strftime("%Y-%m-%d %H:%M"),
                "time_limit_minutes": "30",
                "attempts_allowed": "1",
                "pass_mark": "60",
                "grading_method": "highest",
                "review_policy": "after_close",
                "shuffle_questions": "on",
                "shuffle_options": "on",
                "audience_roles": ["head"],
                "validity_months": "12",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Exam.objects.get(title="后台创建的年度考试")
    assert list(created.candidates.values_list("user_id", flat=True)) == [head.pk]
    assert AuditEntry.objects.filter(action="exam.create", object_id=str(created.pk)).exists()


def test_an_empty_or_keyless_question_form_is_a_form_error_not_a_server_error(
    client, compliance_admin, own
):
    """The model's reasons about the key show on the key's field (found by the cross-tenant
    sweep: an empty post to the add form was a 500)."""
    client.force_login(compliance_admin)
    empty = client.post(reverse("questions:add"), {})
    assert empty.status_code == 200
    keyless = client.post(
        reverse("questions:add"),
        {
            "bank": own[0].pk,
            "kind": "single",
            "difficulty": 2,
            "stem": "题干",
            "option_A": "一",
            "option_B": "二",
            "key_text": "",
        },
    )
    assert keyless.status_code == 200
    assert keyless.context["form"].errors.get("key_text")
    assert not Question.objects.filter(stem="题干").exists()

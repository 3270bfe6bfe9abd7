"""Short answers go to the compliance administrators; a corrected key regrades attempts."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from assessments import services
from assessments.models import Attempt, QuestionKind
from assessments.signals import attempt_finalised
from lms.audit.models import AuditEntry
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def finalised():
    received = []

    def receiver(sender, attempt, **kwargs):
        received.append((attempt.pk, attempt.passed, attempt.score))

    attempt_finalised.connect(receiver, dispatch_uid="test_receiver")
    yield received
    attempt_finalised.disconnect(dispatch_uid="test_receiver")


def answer_all(attempt, user, answer_for):
    for item in attempt.items.select_related("question"):
        services.response_save(
            attempt_id=attempt.pk,
            user_id=user.pk,
            question_id=item.question_id,
            answer=answer_for(item.question),
            seq=1,
        )


def test_short_answers_wait_for_the_organisations_administrators(
    org, learner, compliance_admin, other_admin, finalised, django_capture_on_commit_callbacks
):
    bank = make_bank(org)
    fill_bank(bank, count=2, kind=QuestionKind.SINGLE)
    fill_bank(bank, count=1, kind=QuestionKind.SHORT_ANSWER)
    blueprint = make_blueprint(
        bank,
        sections=[
            {"count": 2, "points": Decimal(2), "kind": QuestionKind.SINGLE},
            {"count": 1, "points": Decimal(6), "kind": QuestionKind.SHORT_ANSWER},
        ],
    )
    exam = make_exam(org, blueprint=blueprint, users=[learner], pass_mark=50)
    attempt = services.attempt_start(exam=exam, user=learner)
    answer_all(attempt, learner, lambda q: q.key if q.kind == "single" else ["我的回答"])
    with django_capture_on_commit_callbacks(execute=True):
        attempt = services.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert attempt.status == Attempt.Status.AWAITING_GRADING
    assert attempt.passed is None and finalised == []

    from assessments.selectors import grading_queue_for

    queue = list(grading_queue_for(compliance_admin))
    assert [i.answer for i in queue] == [["我的回答"]]
    assert list(grading_queue_for(other_admin)) == []
    with pytest.raises(PermissionDenied):
        services.attempt_item_grade(item_id=queue[0].pk, points=Decimal(6), grader=other_admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_item_grade(item_id=queue[0].pk, points=Decimal(4), grader=compliance_admin)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.score == 8 and attempt.percent == Decimal("80.00") and attempt.passed
    assert finalised == [(attempt.pk, True, Decimal(8))]


def test_a_grade_above_the_points_is_refused(org, learner, compliance_admin):
    from django.core.exceptions import ValidationError

    bank = make_bank(org)
    fill_bank(bank, count=1, kind=QuestionKind.SHORT_ANSWER)
    exam = make_exam(
        org,
        blueprint=make_blueprint(bank, sections=[{"count": 1, "points": Decimal(10)}]),
        users=[learner],
    )
    attempt = services.attempt_start(exam=exam, user=learner)
    services.attempt_submit(attempt_id=attempt.pk)
    item = attempt.items.get()
    with pytest.raises(ValidationError) as refused:
        services.attempt_item_grade(item_id=item.pk, points=Decimal(11), grader=compliance_admin)
    # ten points read "10", never Decimal's "1E+1"
    assert "10" in refused.value.messages[0] and "E+" not in refused.value.messages[0]


def test_objective_attempts_are_finalised_on_commit(
    org, learner, finalised, django_capture_on_commit_callbacks
):
    exam = make_exam(org, users=[learner])
    attempt = services.attempt_start(exam=exam, user=learner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert finalised == [] and len(callbacks) >= 1
    for callback in callbacks:
        callback()
    assert finalised == [(attempt.pk, False, Decimal(0))]


def test_correcting_a_key_regrades_affected_attempts_and_is_audited(
    org, learner, compliance_admin, finalised, django_capture_on_commit_callbacks
):
    bank = make_bank(org)
    wrong_key = fill_bank(bank, count=1, kind=QuestionKind.SINGLE, key=["A"])[0]
    fill_bank(bank, count=1, kind=QuestionKind.TRUE_FALSE)
    blueprint = make_blueprint(bank, sections=[{"count": 2, "points": Decimal(5)}])
    exam = make_exam(org, blueprint=blueprint, users=[learner], pass_mark=100)
    attempt = services.attempt_start(exam=exam, user=learner)
    answer_all(attempt, learner, lambda q: ["C"] if q.pk == wrong_key.pk else q.key)
    attempt = services.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert attempt.score == 5 and attempt.passed is False

    with django_capture_on_commit_callbacks(execute=True):
        changed = services.question_correct_key(
            question=wrong_key, key=["C"], actor=compliance_admin, reason="答案有误"
        )
    attempt.refresh_from_db()
    assert changed == [attempt.pk]
    assert attempt.score == 10 and attempt.passed is True
    assert finalised[-1] == (attempt.pk, True, Decimal(10))
    correction = AuditEntry.objects.get(action="question.correct_key")
    assert correction.data["old_key"] == ["A"] and correction.data["new_key"] == ["C"]
    regrade = AuditEntry.objects.get(action="attempt.regrade")
    assert regrade.data["old_score"] == "5.00" and regrade.data["new_score"] == "10.00"


def test_a_used_question_is_never_changed_in_place(org, learner):
    bank = make_bank(org)
    question = fill_bank(bank, count=1, stem="原题干")[0]
    exam = make_exam(org, blueprint=make_blueprint(bank, sections=[{"count": 1}]), users=[learner])
    attempt = services.attempt_start(exam=exam, user=learner)
    new = services.question_update(question=question, stem="修改后的题干")
    question.refresh_from_db()
    assert new.pk != question.pk and new.version == 2 and new.lineage_id == question.pk
    assert question.stem == "原题干" and question.status == "retired"
    assert attempt.items.get().question.stem == "原题干"
    unused = fill_bank(bank, count=1, stem="未用")[0]
    same = services.question_update(question=unused, stem="未用，改过")
    assert same.pk == unused.pk and same.version == 1


def test_retired_questions_are_not_drawn(org, learner):
    bank = make_bank(org)
    questions = fill_bank(bank, count=3)
    services.question_retire(question=questions[0])
    exam = make_exam(org, blueprint=make_blueprint(bank, sections=[{"count": 2}]), users=[learner])
    attempt = services.attempt_start(exam=exam, user=learner)
    assert questions[0].pk not in attempt.items.values_list("question_id", flat=True)

"""Nobody grades their own attempt, nor an exam they may still sit themselves."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Attempt, Exam, QuestionKind
from assessments.selectors import grading_queue_count, grading_queue_for
from lms.organisations.models import ComplianceRole
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(org):
    bank = make_bank(org)
    fill_bank(bank, count=1, kind=QuestionKind.SHORT_ANSWER, key=["应当向合规负责人报告"])
    return make_exam(
        org,
        blueprint=make_blueprint(bank, sections=[{"count": 1, "points": Decimal(10)}]),
        title="2026年度合规知识考试",
        attempts_allowed=1,
    )


def sit(exam, user, answer):
    services.exam_assign(exam=exam, users=[user])
    attempt = services.attempt_start(exam=exam, user=user)
    item = attempt.items.get()
    if answer:
        services.response_save(
            attempt_id=attempt.pk,
            user_id=user.pk,
            question_id=item.question_id,
            answer=answer,
            seq=1,
        )
    services.attempt_submit(attempt_id=attempt.pk, user=user)
    return item


def test_a_grader_never_sees_or_grades_their_own_short_answer(client, org, exam, compliance_admin):
    own = sit(exam, compliance_admin, [])
    client.force_login(compliance_admin)
    queue = client.get(reverse("assessments_admin:grading_queue")).content.decode()
    assert "2026年度合规知识考试" not in queue
    assert grading_queue_count(compliance_admin) == 0
    response = client.post(reverse("assessments_admin:grade_item", args=[own.pk]), {"points": "10"})
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.attempt_item_grade(item_id=own.pk, points=Decimal(10), grader=compliance_admin)
    own.refresh_from_db()
    assert own.awarded is None and own.attempt.status == Attempt.Status.AWAITING_GRADING

    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD).user
    assert [i.pk for i in grading_queue_for(head)] == [own.pk]
    services.attempt_item_grade(item_id=own.pk, points=Decimal(2), grader=head)
    own.refresh_from_db()
    assert own.awarded == 2 and own.grader == head


def test_a_grader_who_may_still_sit_the_exam_leaves_it_to_others(
    client, org, exam, learner, compliance_admin
):
    theirs = sit(exam, learner, ["向合规负责人报告"])
    services.exam_assign(exam=exam, users=[compliance_admin])
    client.force_login(compliance_admin)
    queue = client.get(reverse("assessments_admin:grading_queue")).content.decode()
    assert "向合规负责人报告" not in queue and "应当向合规负责人报告" not in queue
    with pytest.raises(PermissionDenied) as refused:
        services.attempt_item_grade(item_id=theirs.pk, points=Decimal(10), grader=compliance_admin)
    assert "2026年度合规知识考试" in str(refused.value)

    sit(exam, compliance_admin, ["不知道"])  # the grader's one attempt is used: no longer withheld
    assert [i.pk for i in grading_queue_for(compliance_admin)] == [theirs.pk]
    services.attempt_item_grade(item_id=theirs.pk, points=Decimal(8), grader=compliance_admin)
    theirs.refresh_from_db()
    assert theirs.awarded == 8


def test_once_the_exam_has_closed_its_candidates_may_grade_it(org, exam, learner, compliance_admin):
    theirs = sit(exam, learner, ["向合规负责人报告"])
    services.exam_assign(exam=exam, users=[compliance_admin])
    assert list(grading_queue_for(compliance_admin)) == []
    Exam.objects.filter(pk=exam.pk).update(
        opens_at=timezone.now() - timedelta(days=8), closes_at=timezone.now() - timedelta(days=1)
    )
    assert [i.pk for i in grading_queue_for(compliance_admin)] == [theirs.pk]

"""Who the question was routed to (or the compliance department) answers, citing clauses of
the regulation library found by a search; answering outside one's scope is a 404."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lms.audit.models import AuditEntry
from lms.consultations.models import Question
from lms.notifications.models import Notification
from tests.consultations.conftest import answer, ask

pytestmark = pytest.mark.django_db


def test_the_part_time_administrator_answers_citing_a_clause_found_by_search(world, client):
    question = ask(world)
    client.force_login(world["part_time"])
    url = reverse("consultations:question", args=[question.pk])
    found = client.get(url, {"clause_q": "贿赂"}).content.decode()
    assert "第七条" in found and "反不正当竞争法" in found
    response = client.post(
        reverse("consultations:answer", args=[question.pk]),
        {"answer": "不得收受。", "clauses": [world["clause"].pk]},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert list(question.clauses.all()) == [world["clause"]]
    assert AuditEntry.objects.filter(action="consultations.question_answer").exists()
    client.force_login(world["learner"])
    page = client.get(url).content.decode()
    assert "不得收受。" in page and "第七条" in page


def test_the_asker_is_told_of_the_answer(world):
    question = ask(world)
    answer(world, question)
    assert Notification.objects.filter(user=world["learner"], kind="consultation_answered")


def test_the_compliance_department_may_answer_any_question_of_its_organisation(world):
    question = ask(world)
    answer(world, question, actor=world["admin"])
    question.refresh_from_db()
    assert question.answered_by == world["admin"]


@pytest.mark.parametrize("outsider", ["colleague", "other_part_time", "other_head"])
def test_answering_outside_ones_scope_is_not_found(world, client, outsider):
    question = ask(world)
    client.force_login(world[outsider])
    response = client.post(
        reverse("consultations:answer", args=[question.pk]), {"answer": "随便答"}
    )
    assert response.status_code == 404
    question.refresh_from_db()
    assert question.status == Question.Status.OPEN


def test_a_part_time_administrator_of_a_department_elsewhere_in_the_tree_may_not_answer(world):
    question = ask(world, actor=world["colleague"])  # 运营部: not under 商家管理部
    with pytest.raises(PermissionDenied):
        answer(world, question)


def test_nobody_answers_their_own_question(world):
    question = ask(world, actor=world["part_time"])
    assert question.routed_to is None  # not routed to themselves
    with pytest.raises(PermissionDenied):
        answer(world, question, actor=world["part_time"])


def test_a_clause_that_is_not_in_the_library_is_refused(world, client):
    question = ask(world)
    client.force_login(world["part_time"])
    response = client.post(
        reverse("consultations:answer", args=[question.pk]),
        {"answer": "不得收受。", "clauses": [world["clause"].pk + 999]},
    )
    assert response.status_code == 400
    question.refresh_from_db()
    assert question.status == Question.Status.OPEN


def test_an_empty_answer_is_refused(world):
    question = ask(world)
    from lms.consultations import services

    with pytest.raises(ValidationError):
        services.question_answer(actor=world["part_time"], question_id=question.pk, answer=" ")

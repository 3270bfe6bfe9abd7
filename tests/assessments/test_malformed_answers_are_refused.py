"""Whatever a client posts as an answer, a malformed one is a 400 with a reason, never a 500:
numbers beyond the database's bigint, a NUL, a lone surrogate, JSON nested 100,000 deep."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.exceptions import BadAnswer
from assessments.models import AttemptItem, QuestionKind
from assessments.payloads import parse_answer_request
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam

NESTED = b'{"question": 1, "seq": 1, "answer": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"

MALFORMED = {
    "seq of 2**63": b'{"question": 1, "answer": ["A"], "seq": 9223372036854775808}',
    "seq of 10**30": b'{"question": 1, "answer": ["A"], "seq": 1000000000000000000000000000000}',
    "a NUL character": b'{"question": 1, "answer": ["A\\u0000"], "seq": 1}',
    "a lone surrogate": b'{"question": 1, "answer": ["\\ud800"], "seq": 1}',
    "nested 100,000 deep": NESTED,
    "an answer that is not a list": b'{"question": 1, "answer": "A", "seq": 1}',
    "a boolean seq": b'{"question": 1, "answer": ["A"], "seq": true}',
    "not an object": b'[1, ["A"], 1]',
    "not UTF-8": b'{"question": 1, "answer": ["\xff"], "seq": 1}',
    "not JSON": b"question=1",
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
def test_the_one_parser_refuses_each_malformed_answer(body):
    with pytest.raises(BadAnswer) as refused:
        parse_answer_request(body, with_seq=True)
    assert refused.value.status == 400 and refused.value.message


def test_the_parser_takes_a_well_formed_answer():
    payload = parse_answer_request(
        '{"question": 7, "answer": ["合规", "B"], "seq": 9223372036854775807}'.encode(),
        with_seq=True,
    )
    assert (payload.question_id, payload.answer, payload.seq) == (7, ["合规", "B"], 2**63 - 1)


@pytest.fixture
def attempt(org, learner):
    bank = make_bank(org)
    fill_bank(bank, count=3, kind=QuestionKind.SINGLE)
    blueprint = make_blueprint(
        bank, sections=[{"count": 2, "points": Decimal(5), "kind": QuestionKind.SINGLE}]
    )
    exam = make_exam(org, blueprint=blueprint, users=[learner], time_limit_minutes=30)
    return services.attempt_start(exam=exam, user=learner)


def _post(client, attempt, body: bytes):
    return client.post(
        reverse("assessments:response_save", args=[attempt.pk]),
        data=body,
        content_type="application/json",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "template",
    [
        b'{"question": QID, "answer": ["A"], "seq": 9223372036854775808}',
        b'{"question": QID, "answer": ["A\\u0000B"], "seq": 1}',
        b'{"question": QID, "answer": ["\\udc00"], "seq": 1}',
        b'{"question": QID, "seq": 1, "answer": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    ],
    ids=["seq of 2**63", "NUL", "lone surrogate", "nested 100,000 deep"],
)
def test_saving_a_malformed_answer_is_a_400_and_stores_nothing(client, learner, attempt, template):
    item = attempt.items.order_by("position").first()
    client.force_login(learner)
    response = _post(client, attempt, template.replace(b"QID", str(item.question_id).encode()))
    assert response.status_code == 400
    assert response.json()["ok"] is False and response.json()["error"]
    item.refresh_from_db()
    assert item.answer == [] and item.seq == 0


@pytest.mark.django_db
def test_a_question_id_beyond_bigint_is_not_on_the_paper(client, learner, attempt):
    client.force_login(learner)
    response = _post(
        client, attempt, b'{"question": 9223372036854775808, "answer": ["A"], "seq": 1}'
    )
    assert response.status_code == 400
    assert response.json()["error"] == "该题不在您的试卷上。"


@pytest.mark.django_db
def test_the_largest_sequence_number_is_stored(client, learner, attempt):
    item = attempt.items.order_by("position").first()
    client.force_login(learner)
    body = b'{"question": %d, "answer": ["A"], "seq": 9223372036854775807}' % item.question_id
    assert _post(client, attempt, body).status_code == 200
    assert AttemptItem.objects.get(pk=item.pk).seq == 2**63 - 1


@pytest.mark.django_db
def test_a_knowledge_check_answer_with_a_nul_is_a_400(client, learner):
    client.force_login(learner)
    response = client.post(
        reverse("assessments:knowledge_check_answer"),
        data=b'{"question": 1, "lesson": 2, "answer": ["\\u0000"]}',
        content_type="application/json",
    )
    assert response.status_code == 400

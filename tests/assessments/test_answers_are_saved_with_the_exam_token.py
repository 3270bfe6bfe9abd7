"""The exam page saves answers and submits with its exam token instead of the session: one
UPDATE per answer, every waiting answer in one request; a token that is expired, of another
attempt or person, or tampered with is refused with a clear message; a cross-site request is
refused; without the token the session path works as before."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessments import services, tokens
from assessments.middleware import _path_pattern
from assessments.models import Attempt, AttemptItem, QuestionKind
from lms.audit.models import AuditEntry
from lms.organisations.models import ComplianceRole
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(org, learner):
    bank = make_bank(org)
    fill_bank(bank, count=6, kind=QuestionKind.SINGLE)
    blueprint = make_blueprint(
        bank, sections=[{"count": 4, "points": Decimal(5), "kind": QuestionKind.SINGLE}]
    )
    return make_exam(org, blueprint=blueprint, users=[learner], time_limit_minutes=30)


@pytest.fixture
def attempt(exam, learner):
    return services.attempt_start(exam=exam, user=learner)


def token_of(attempt, language="zh-hans"):
    return services.attempt_token_issue(attempt=attempt, language=language)


def post(client, attempt, body, token=None, action="save", language=None, **meta):
    with translation.override(language or "zh-hans"):
        url = reverse(
            f"assessments:{'response_save' if action == 'save' else 'attempt_submit'}",
            args=[attempt.pk],
        )
    if token is not None:
        meta["HTTP_X_EXAM_TOKEN"] = token
    return client.post(url, data=json.dumps(body), content_type="application/json", **meta)


def one(item, answer, seq):
    return {"question": item.question_id, "answer": answer, "seq": seq}


def stored(item):
    item.refresh_from_db()
    return item.answer, item.seq


def test_the_exam_page_gives_a_token_that_saves_without_the_session(client, attempt, learner):
    client.force_login(learner)
    page = client.get(reverse("assessments:attempt_take", args=[attempt.pk]))
    config = page.context["config"]
    client.logout()
    item = attempt.items.first()

    response = post(client, attempt, one(item, ["B"], 1), token=config["token"])

    assert response.status_code == 200, response.content
    assert response.json() == {"ok": True, "seq": 1, "stale": False}
    assert stored(item) == (["B"], 1)


def test_a_token_save_is_exactly_one_query(client, attempt, django_assert_num_queries):
    item = attempt.items.first()
    token = token_of(attempt)
    with django_assert_num_queries(1):
        response = post(client, attempt, one(item, ["A"], 1), token=token)
    assert response.status_code == 200
    assert stored(item) == (["A"], 1)


def test_every_waiting_answer_goes_in_one_request_each_with_its_seq(
    client, attempt, django_assert_num_queries
):
    first, second, third = attempt.items.order_by("position")[:3]
    services.response_save(
        attempt_id=attempt.pk,
        user_id=attempt.user_id,
        question_id=third.question_id,
        answer=["D"],
        seq=9,
    )  # another tab saved a newer answer to the third question
    token = token_of(attempt)
    body = {"answers": [one(first, ["A"], 5), one(second, ["C"], 6), one(third, ["B"], 7)]}

    # one UPDATE each; the stale one also reads what stands and whether the attempt went idle
    with django_assert_num_queries(1 + 1 + 3):
        response = post(client, attempt, body, token=token)

    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "results": [
            {"question": first.question_id, "ok": True, "seq": 5, "stale": False},
            {"question": second.question_id, "ok": True, "seq": 6, "stale": False},
            {"question": third.question_id, "ok": True, "seq": 9, "stale": True},
        ],
    }
    assert stored(first) == (["A"], 5)
    assert stored(second) == (["C"], 6)
    assert stored(third) == (["D"], 9)  # the newer answer stands, the stale one is reported


def test_a_bad_answer_in_a_batch_is_refused_alone(client, attempt, exam):
    item = attempt.items.first()
    on_paper = set(attempt.items.values_list("question_id", flat=True))
    off_paper = exam.blueprint.bank.questions.exclude(pk__in=on_paper).first()
    body = {
        "answers": [
            {"question": off_paper.pk, "answer": ["A"], "seq": 3},
            {"question": item.question_id, "answer": ["A"], "seq": "x"},
            one(item, ["C"], 4),
        ]
    }
    response = post(client, attempt, body, token=token_of(attempt, "en"))
    results = response.json()["results"]
    assert response.status_code == 200
    assert results[0] == {
        "question": off_paper.pk,
        "ok": False,
        "error": "This question is not on your paper.",
    }
    assert results[1] == {
        "question": None,
        "ok": False,
        "error": "The sequence number must be a positive whole number.",
    }
    assert results[2] == {"question": item.question_id, "ok": True, "seq": 4, "stale": False}
    assert stored(item) == (["C"], 4)


@pytest.mark.parametrize("body", [{"answers": []}, {"answers": "A"}, [1, 2]])
def test_a_batch_that_is_not_a_list_of_answers_is_400(client, attempt, body):
    response = post(client, attempt, body, token=token_of(attempt))
    assert response.status_code == 400
    assert response.json()["ok"] is False


def test_an_expired_token_is_refused_and_saves_nothing(client, attempt):
    item = attempt.items.first()
    expired = tokens.token_issue(
        attempt_id=attempt.pk,
        user_id=attempt.user_id,
        deadline=timezone.now() - timedelta(minutes=2),
        grace=services.SAVE_GRACE,
        language="en",
        now=timezone.now() - timedelta(minutes=40),
    )
    response = post(client, attempt, one(item, ["A"], 1), token=expired)
    assert response.status_code == 401
    assert response.json() == {
        "ok": False,
        "reason": "token",
        "error": "The exam page's token has expired. Your answers are kept: the page sends "
        "them with your session.",
    }
    assert stored(item) == ([], 0)


def test_a_token_of_another_attempt_is_refused(client, attempt, exam, org):
    other = person(org, role=ComplianceRole.NONE).user
    exam.candidates.create(user=other)
    theirs = services.attempt_start(exam=exam, user=other)
    item = theirs.items.first()

    response = post(client, theirs, one(item, ["A"], 1), token=token_of(attempt, "en"))

    assert response.status_code == 401
    assert response.json()["error"] == (
        "The exam page's token is for another attempt. Reload the exam page."
    )
    assert stored(item) == ([], 0)


def test_a_token_naming_another_person_saves_nothing(client, attempt, exam, org):
    """Only the attempt's person is ever issued its token; one that named someone else (a leaked
    secret key) still meets the UPDATE's person condition: 404."""
    other = person(org, role=ComplianceRole.NONE).user
    item = attempt.items.first()
    forged = tokens.token_issue(
        attempt_id=attempt.pk,
        user_id=other.pk,
        deadline=attempt.deadline,
        grace=services.SAVE_GRACE,
        language="en",
        now=timezone.now(),
    )
    response = post(client, attempt, one(item, ["A"], 1), token=forged)
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error": "No such attempt."}
    response = post(client, attempt, {}, token=forged, action="submit")
    assert response.status_code == 404
    assert stored(item) == ([], 0)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t.replace(".", ".9", 1),  # another attempt id
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # another signature
        lambda t: t.split(":")[0],  # no signature
        lambda t: "garbage",
    ],
)
def test_a_tampered_token_is_refused(client, attempt, tamper):
    item = attempt.items.first()
    response = post(client, attempt, one(item, ["A"], 1), token=tamper(token_of(attempt)))
    assert response.status_code == 401
    assert response.json()["reason"] == "token"
    assert response.json()["error"] == "考试页面的令牌无效，请重新加载考试页面，答案不会丢失。"
    assert stored(item) == ([], 0)


def test_an_invalid_token_on_the_english_address_is_refused_in_english(client, attempt):
    item = attempt.items.first()
    response = post(client, attempt, one(item, ["A"], 1), token="garbage", language="en")
    assert response.json()["error"] == (
        "The exam page's token is not valid. Reload the exam page: your answers are kept."
    )
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize(
    "meta",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://exam.testserver"},
    ],
)
def test_a_cross_site_request_is_refused_even_with_a_valid_token(client, attempt, meta):
    item = attempt.items.first()
    token = token_of(attempt)
    response = post(client, attempt, one(item, ["A"], 1), token=token, **meta)
    assert response.status_code == 403
    assert response.json()["reason"] == "cross_site"
    response = post(client, attempt, {}, token=token, action="submit", **meta)
    assert response.status_code == 403
    assert stored(item) == ([], 0)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN


def test_a_same_origin_request_from_the_browser_is_accepted(client, attempt):
    item = attempt.items.first()
    response = post(
        client,
        attempt,
        one(item, ["A"], 1),
        token=token_of(attempt),
        HTTP_ORIGIN="http://testserver",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 200


def test_the_fast_path_keeps_the_security_headers_of_a_json_answer(client, attempt):
    item = attempt.items.first()
    response = post(client, attempt, one(item, ["A"], 1), token=token_of(attempt))
    assert response["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware, still before
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_submitting_with_the_token_grades_and_logs_the_person(client, attempt, learner):
    item = attempt.items.first()
    token = token_of(attempt)
    post(client, attempt, one(item, ["A"], 1), token=token)

    response = post(client, attempt, {}, token=token, action="submit", REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "resultUrl": reverse("assessments:attempt_result", args=[attempt.pk]),
    }
    attempt.refresh_from_db()
    assert attempt.status != Attempt.Status.OPEN
    entry = AuditEntry.objects.get(action="attempt.submit", object_id=str(attempt.pk))
    assert entry.actor == learner and entry.ip_address == "10.1.2.3"
    # a save after the submit is refused as before
    late = post(client, attempt, one(item, ["B"], 2), token=token)
    assert late.status_code == 409
    assert AttemptItem.objects.get(pk=item.pk).answer == ["A"]


def test_without_a_token_the_session_path_saves_a_batch_as_before(client, attempt, learner):
    first, second = attempt.items.order_by("position")[:2]
    client.force_login(learner)
    response = post(client, attempt, {"answers": [one(first, ["A"], 1), one(second, ["B"], 2)]})
    assert response.status_code == 200
    assert [r["ok"] for r in response.json()["results"]] == [True, True]
    client.logout()
    response = post(client, attempt, one(first, ["C"], 3))
    assert response.status_code == 401  # no token, no session


def test_outside_the_allowed_networks_a_token_save_is_refused(client, org, learner):
    exam = make_exam(
        org, users=[learner], time_limit_minutes=30, integrity_allowed_networks="10.8.0.0/16"
    )
    attempt = services.attempt_start(exam=exam, user=learner)
    item = attempt.items.first()
    token = token_of(attempt)
    refused = post(client, attempt, one(item, ["A"], 1), token=token, REMOTE_ADDR="198.51.100.2")
    assert refused.status_code == 403 and refused.json()["reason"] == "network"
    taken = post(client, attempt, one(item, ["A"], 1), token=token, REMOTE_ADDR="10.8.0.9")
    assert taken.status_code == 200


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_fast_path_knows_the_save_submit_event_and_time_addresses(language):
    pattern = _path_pattern()
    with translation.override(language):
        for name in ("response_save", "attempt_submit", "attempt_event", "attempt_time"):
            match = pattern.match(reverse(f"assessments:{name}", args=[123]))
            assert match is not None and match["attempt"] == "123"
        assert pattern.match(reverse("assessments:attempt_result", args=[123])) is None
        assert pattern.match(reverse("assessments:attempt_take", args=[123])) is None


def test_the_written_save_statement_agrees_with_the_orms(attempt, exam, org):
    """The save's UPDATE is written once as SQL on PostgreSQL; it accepts and refuses exactly as
    the ORM's filter().update() does."""
    from assessments.services import attempts

    other = person(org, role=ComplianceRole.NONE).user
    first, second = attempt.items.order_by("position")[:2]
    now = timezone.now()
    cases = [
        # (user, question, seq, now, item closed)
        (attempt.user_id, first.question_id, 5, now, False),  # newer: stored
        (attempt.user_id, first.question_id, 5, now, False),  # same seq again: not
        (attempt.user_id, first.question_id, 4, now, False),  # older: not
        (other.pk, first.question_id, 9, now, False),  # someone else: not
        (attempt.user_id, second.question_id, 6, now + timedelta(hours=2), False),  # too late
        (attempt.user_id, second.question_id, 7, now, True),  # closed item: not
        (attempt.user_id, second.question_id, 8, now, False),  # stored
    ]
    for update in (attempts._save_update, attempts._save_update_orm):
        AttemptItem.objects.filter(attempt=attempt).update(answer=[], seq=0, is_closed=False)
        counts = []
        for user_id, question_id, seq, at, closed in cases:
            AttemptItem.objects.filter(attempt=attempt).update(is_closed=closed)
            counts.append(
                update(
                    attempt_id=attempt.pk,
                    user_id=user_id,
                    question_id=question_id,
                    answer=["B", "C"],
                    seq=seq,
                    now=at,
                )
            )
        assert counts == [1, 0, 0, 0, 0, 0, 1], update
        assert stored(first) == (["B", "C"], 5)
        assert stored(second) == (["B", "C"], 8)
        first.refresh_from_db()
        assert first.saved_at is not None

"""A person starts, answers, saves and submits an exam; the engine never loses an answer."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.exceptions import AttemptClosed, ExamNotOpen, NoAttemptsLeft, NotEligible
from assessments.models import Attempt, AttemptItem, QuestionKind
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(org, learner):
    bank = make_bank(org)
    fill_bank(bank, count=6, kind=QuestionKind.SINGLE)
    fill_bank(bank, count=4, kind=QuestionKind.TRUE_FALSE)
    blueprint = make_blueprint(
        bank,
        sections=[
            {"count": 4, "points": Decimal(5), "kind": QuestionKind.SINGLE},
            {"count": 2, "points": Decimal(5), "kind": QuestionKind.TRUE_FALSE},
        ],
    )
    return make_exam(org, blueprint=blueprint, users=[learner], time_limit_minutes=30)


def save(client, attempt, question_id, answer, seq, **extra):
    return client.post(
        reverse("assessments:response_save", args=[attempt.pk]),
        data=json.dumps({"question": question_id, "answer": answer, "seq": seq, **extra}),
        content_type="application/json",
    )


def test_starting_freezes_a_paper_and_a_second_start_resumes_it(exam, learner):
    attempt = services.attempt_start(exam=exam, user=learner)
    assert attempt.items.count() == 6
    assert attempt.max_score == 30
    assert services.attempt_start(exam=exam, user=learner).pk == attempt.pk
    assert Attempt.objects.filter(exam=exam, user=learner).count() == 1


def test_the_database_refuses_a_second_open_attempt(exam, learner):
    attempt = services.attempt_start(exam=exam, user=learner)
    with pytest.raises(IntegrityError):
        Attempt.objects.create(
            exam=exam,
            user=learner,
            number=2,
            seed=1,
            started_at=attempt.started_at,
            deadline=attempt.deadline,
        )


def test_the_paper_is_rebuilt_from_its_seed_even_after_the_bank_changed(exam, learner, org):
    attempt = services.attempt_start(exam=exam, user=learner)
    fill_bank(exam.blueprint.bank, count=5, kind=QuestionKind.SINGLE)
    first = attempt.items.order_by("position").first()
    services.question_retire(question=first.question)
    rebuilt = services.attempt_rebuild_paper(attempt=attempt)
    stored = [
        (i.question_id, i.section, i.points, tuple(i.option_order))
        for i in attempt.items.order_by("position")
    ]
    assert [(p.question_id, p.section, p.points, p.option_order) for p in rebuilt] == stored


def test_deadline_is_start_plus_limit_or_window_close_whichever_first(org, learner):
    now = timezone.now()
    exam = make_exam(
        org, users=[learner], time_limit_minutes=60, closes_at=now + timedelta(minutes=20)
    )
    attempt = services.attempt_start(exam=exam, user=learner, now=now)
    assert attempt.deadline == exam.closes_at
    services.exam_set_override(exam=exam, user=learner, extra_minutes=15, extra_attempts=1)


def test_extra_time_and_attempts_are_personal(org, learner):
    exam = make_exam(org, users=[learner], time_limit_minutes=30, attempts_allowed=1)
    services.exam_set_override(exam=exam, user=learner, extra_minutes=15, extra_attempts=1)
    now = timezone.now()
    first = services.attempt_start(exam=exam, user=learner, now=now)
    assert first.deadline == now + timedelta(minutes=45)
    services.attempt_submit(attempt_id=first.pk, user=learner)
    second = services.attempt_start(exam=exam, user=learner)
    services.attempt_submit(attempt_id=second.pk, user=learner)
    with pytest.raises(NoAttemptsLeft):
        services.attempt_start(exam=exam, user=learner)


def test_people_outside_the_exam_and_closed_windows_are_refused(org, learner, other_admin):
    exam = make_exam(org, users=[learner])
    with pytest.raises(NotEligible):
        services.attempt_start(exam=exam, user=other_admin)
    later = make_exam(
        org,
        users=[learner],
        opens_at=timezone.now() + timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=2),
    )
    with pytest.raises(ExamNotOpen):
        services.attempt_start(exam=later, user=learner)


def test_a_save_is_stored_and_a_stale_one_never_overwrites_a_newer(client, exam, learner):
    attempt = services.attempt_start(exam=exam, user=learner)
    item = attempt.items.select_related("question").filter(question__kind="single").first()
    client.force_login(learner)
    assert save(client, attempt, item.question_id, ["A"], 5).json() == {
        "ok": True,
        "seq": 5,
        "stale": False,
    }
    stale = save(client, attempt, item.question_id, ["C"], 3)
    assert stale.status_code == 200 and stale.json()["stale"] is True
    item.refresh_from_db()
    assert item.answer == ["A"] and item.seq == 5
    # the same save replayed is harmless
    assert save(client, attempt, item.question_id, ["A"], 5).json()["stale"] is True


def test_two_tabs_saving_the_newest_sequence_wins(client, exam, learner):
    attempt = services.attempt_start(exam=exam, user=learner)
    item = attempt.items.filter(question__kind="single").first()
    client.force_login(learner)
    tab_b = services.response_save(
        attempt_id=attempt.pk, user_id=learner.pk, question_id=item.question_id, answer=["D"], seq=8
    )
    tab_a = services.response_save(
        attempt_id=attempt.pk, user_id=learner.pk, question_id=item.question_id, answer=["B"], seq=7
    )
    assert not tab_b.stale and tab_a.stale
    item.refresh_from_db()
    assert item.answer == ["D"]


def test_saving_an_answer_takes_at_most_three_queries(
    client, exam, learner, django_assert_max_num_queries
):
    attempt = services.attempt_start(exam=exam, user=learner)
    item = attempt.items.first()
    client.force_login(learner)
    with django_assert_max_num_queries(3):
        response = save(client, attempt, item.question_id, ["A"], 1)
    assert response.status_code == 200


def test_a_save_for_a_question_not_on_the_paper_is_400(client, exam, learner):
    attempt = services.attempt_start(exam=exam, user=learner)
    on_paper = set(attempt.items.values_list("question_id", flat=True))
    off_paper = exam.blueprint.bank.questions.exclude(pk__in=on_paper).first()
    client.force_login(learner)
    response = save(client, attempt, off_paper.pk, ["A"], 1)
    assert response.status_code == 400
    assert "不在" in response.json()["error"] or "not on your paper" in response.json()["error"]


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps({"question": 1}),
        json.dumps({"question": "x", "answer": [], "seq": 1}),
    ],
)
def test_malformed_saves_are_400(client, exam, learner, body):
    attempt = services.attempt_start(exam=exam, user=learner)
    client.force_login(learner)
    response = client.post(
        reverse("assessments:response_save", args=[attempt.pk]),
        data=body,
        content_type="application/json",
    )
    assert response.status_code == 400


def test_bad_answers_and_sequence_numbers_are_400(client, exam, learner):
    attempt = services.attempt_start(exam=exam, user=learner)
    qid = attempt.items.first().question_id
    client.force_login(learner)
    assert save(client, attempt, qid, "A", 1).status_code == 400
    assert save(client, attempt, qid, [1, 2], 1).status_code == 400
    assert save(client, attempt, qid, ["A"], -1).status_code == 400
    assert save(client, attempt, qid, ["A"], "7").status_code == 400


def test_a_save_after_the_deadline_is_accepted_within_the_grace_then_409(exam, learner):
    attempt = services.attempt_start(exam=exam, user=learner)
    qid = attempt.items.first().question_id
    in_grace = attempt.deadline + timedelta(seconds=30)
    services.response_save(
        attempt_id=attempt.pk,
        user_id=learner.pk,
        question_id=qid,
        answer=["A"],
        seq=1,
        now=in_grace,
    )
    too_late = attempt.deadline + timedelta(seconds=61)
    with pytest.raises(AttemptClosed):
        services.response_save(
            attempt_id=attempt.pk,
            user_id=learner.pk,
            question_id=qid,
            answer=["B"],
            seq=2,
            now=too_late,
        )
    item = AttemptItem.objects.get(attempt=attempt, question_id=qid)
    assert item.answer == ["A"], "nothing stored after the grace"
    attempt.refresh_from_db()
    assert attempt.status != Attempt.Status.OPEN
    assert attempt.submitted_at == attempt.deadline


def test_a_late_save_over_http_gets_409_with_a_clear_message(client, exam, learner):
    attempt = services.attempt_start(exam=exam, user=learner)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=2))
    client.force_login(learner)
    # a tampered client clock in the request changes nothing: only the server's time counts
    response = save(
        client,
        attempt,
        attempt.items.first().question_id,
        ["A"],
        1,
        client_time="2000-01-01T00:00:00Z",
    )
    assert response.status_code == 409
    assert "未保存" in response.json()["error"]
    assert not AttemptItem.objects.filter(attempt=attempt).exclude(answer=[]).exists()


def test_someone_elses_attempt_is_404_for_saving_taking_and_results(client, exam, learner, org):
    from tests.factories.organisations import person

    attempt = services.attempt_start(exam=exam, user=learner)
    intruder = person(org).user
    client.force_login(intruder)
    assert save(client, attempt, attempt.items.first().question_id, ["A"], 1).status_code == 404
    assert client.get(reverse("assessments:attempt_take", args=[attempt.pk])).status_code == 404
    assert client.get(reverse("assessments:attempt_result", args=[attempt.pk])).status_code == 404
    assert client.post(reverse("assessments:attempt_submit", args=[attempt.pk])).status_code == 404
    assert client.get(reverse("assessments:exam_start", args=[exam.pk])).status_code == 404


def test_an_expired_session_gets_401_and_keeps_nothing(client, exam, learner):
    attempt = services.attempt_start(exam=exam, user=learner)
    response = save(client, attempt, attempt.items.first().question_id, ["A"], 1)
    assert response.status_code == 401


def test_submitting_twice_gives_one_result(client, exam, learner):
    attempt = services.attempt_start(exam=exam, user=learner)
    client.force_login(learner)
    url = reverse("assessments:attempt_submit", args=[attempt.pk])
    first = client.post(url)
    attempt.refresh_from_db()
    submitted_at = attempt.submitted_at
    second = client.post(url)
    assert first.status_code == second.status_code == 302
    attempt.refresh_from_db()
    assert attempt.submitted_at == submitted_at
    assert Attempt.objects.filter(exam=exam, user=learner).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_give_one_result(org, learner):
    if connection.vendor != "postgresql":
        pytest.skip("needs real row locks (PostgreSQL)")
    import threading

    from django.db import connections

    from lms.audit.models import AuditEntry

    exam = make_exam(org, users=[learner])
    attempt = services.attempt_start(exam=exam, user=learner)
    barrier = threading.Barrier(2)
    results = []

    def submit():
        barrier.wait()
        try:
            results.append(services.attempt_submit(attempt_id=attempt.pk).submitted_at)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1
    assert (
        AuditEntry.objects.filter(action="attempt.submit", object_id=str(attempt.pk)).count() == 1
    )


def test_grading_is_immediate_for_objective_questions(client, exam, learner):
    attempt = services.attempt_start(exam=exam, user=learner)
    for item in attempt.items.select_related("question"):
        services.response_save(
            attempt_id=attempt.pk,
            user_id=learner.pk,
            question_id=item.question_id,
            answer=item.question.key,
            seq=1,
        )
    attempt = services.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.score == 30 and attempt.percent == 100 and attempt.passed is True


def test_the_exam_page_query_count_does_not_grow_with_questions(
    client, org, learner, django_assert_num_queries
):
    def page_queries(n):
        bank = make_bank(org)
        fill_bank(bank, count=n)
        exam = make_exam(
            org, blueprint=make_blueprint(bank, sections=[{"count": n}]), users=[learner]
        )
        attempt = services.attempt_start(exam=exam, user=learner)
        client.force_login(learner)
        url = reverse("assessments:attempt_take", args=[attempt.pk])
        client.get(url)  # warm the session
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert page_queries(3) == page_queries(30)


def test_html_in_a_stem_is_rendered_inert(client, org, learner):
    bank = make_bank(org)
    fill_bank(bank, count=1, stem='<script>alert("x")</script><b>粗体</b>')
    exam = make_exam(org, blueprint=make_blueprint(bank, sections=[{"count": 1}]), users=[learner])
    attempt = services.attempt_start(exam=exam, user=learner)
    client.force_login(learner)
    html = client.get(reverse("assessments:attempt_take", args=[attempt.pk])).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_the_start_page_shows_rules_and_post_starts_or_resumes(client, exam, learner):
    client.force_login(learner)
    url = reverse("assessments:exam_start", args=[exam.pk])
    page = client.get(url).content.decode()
    assert "30" in page and exam.title in page
    first = client.post(url)
    second = client.post(url)
    assert first.url == second.url
    assert Attempt.objects.filter(exam=exam, user=learner).count() == 1
    take = client.get(first.url)
    assert take.status_code == 200
    assert 'id="countdown"' in take.content.decode()

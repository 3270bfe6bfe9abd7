"""Hundreds of people start an exam at once: a start is a few queries and one write whatever the
paper's size, and the exam page is assembled from question fragments cached per question
version and language, with each attempt's own option order and answers."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments import paper, services
from assessments.models import Attempt, AttemptItem, BlueprintSection, Question, QuestionKind
from lms.organisations.models import ComplianceRole
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


def people(org, n):
    return [person(org, role=ComplianceRole.NONE).user for _ in range(n)]


def exam_of(org, users, *, singles, true_false=0, **options):
    bank = make_bank(org)
    fill_bank(bank, count=singles, kind=QuestionKind.SINGLE)
    sections = [{"count": singles, "points": Decimal(2), "kind": QuestionKind.SINGLE}]
    if true_false:
        fill_bank(bank, count=true_false, kind=QuestionKind.TRUE_FALSE)
        sections.append({"count": true_false, "points": Decimal(1), "kind": "true_false"})
    return make_exam(org, blueprint=make_blueprint(bank, sections=sections), users=users, **options)


# --- starting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 30])
def test_a_start_takes_the_same_few_queries_whatever_the_paper_size(
    org, size, django_assert_num_queries
):
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement start is PostgreSQL's; SQLite writes through the ORM")
    first, second, third = people(org, 3)
    exam = exam_of(org, [first, second, third], singles=size, true_false=2)
    services.attempt_start(exam=exam, user=first)  # the bank's candidates are read and indexed
    # the person's attempts, their place, the blueprint's sections with the bank's fingerprint,
    # and the attempt with its items in one statement (between a savepoint's two: a test runs
    # in a transaction; a request does not)
    with django_assert_num_queries(6):
        attempt = services.attempt_start(exam=exam, user=second)
    assert attempt.items.count() == size + 2
    candidate = services.candidate_for(exam=exam, user=third)
    with django_assert_num_queries(5):
        services.attempt_start(exam=exam, user=third, candidate=candidate)


def test_the_one_statement_writes_the_attempt_and_every_item_with_its_defaults(org):
    (learner,) = people(org, 1)
    exam = exam_of(org, [learner], singles=4, true_false=2, time_limit_minutes=30)
    attempt = services.attempt_start(exam=exam, user=learner)
    stored = Attempt.objects.get(pk=attempt.pk)
    assert (stored.status, stored.number, stored.seed) == (Attempt.Status.OPEN, 1, attempt.seed)
    assert stored.max_score == Decimal(10) and stored.deadline == attempt.deadline
    assert (
        stored.draw_spec == attempt.draw_spec and stored.draw_spec["bank"] == exam.blueprint.bank_id
    )
    items = list(stored.items.order_by("position"))
    assert [i.position for i in items] == list(range(6))
    assert [i.points for i in items] == [2, 2, 2, 2, 1, 1]
    assert all(i.answer == [] and i.seq == 0 and not i.is_closed for i in items)
    assert all(i.awarded is None and i.grader_id is None for i in items)
    rebuilt = services.attempt_rebuild_paper(attempt=stored)
    assert [(p.question_id, list(p.option_order)) for p in rebuilt] == [
        (i.question_id, i.option_order) for i in items
    ], "the stored seed rebuilds the paper that was written"


def test_a_start_over_http_resumes_the_open_attempt(client, org):
    (learner,) = people(org, 1)
    exam = exam_of(org, [learner], singles=3)
    client.force_login(learner)
    url = reverse("assessments:exam_start", args=[exam.pk])
    first = client.post(url)
    again = client.post(url)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Attempt.objects.filter(exam=exam, user=learner).count() == 1


def test_a_retired_question_is_not_drawn_by_the_next_start(org):
    learners = people(org, 8)
    bank = make_bank(org)
    questions = fill_bank(bank, count=3, kind=QuestionKind.SINGLE)
    exam = make_exam(org, blueprint=make_blueprint(bank, sections=[{"count": 2}]), users=learners)
    services.attempt_start(exam=exam, user=learners[0])  # the index is built
    services.question_retire(question=questions[0])
    for learner in learners[1:]:
        drawn = set(
            services.attempt_start(exam=exam, user=learner).items.values_list(
                "question_id", flat=True
            )
        )
        assert drawn == {questions[1].pk, questions[2].pk}


def test_a_blueprint_changed_between_starts_is_drawn_as_it_now_stands(org):
    first, second = people(org, 2)
    exam = exam_of(org, [first, second], singles=4)
    assert services.attempt_start(exam=exam, user=first).items.count() == 4
    BlueprintSection.objects.filter(blueprint=exam.blueprint).update(count=2)
    attempt = services.attempt_start(exam=exam, user=second)
    assert attempt.items.count() == 2 and attempt.draw_spec["sections"][0]["count"] == 2


# --- the exam page ----------------------------------------------------------------------------


def page(client, user, attempt, prefix=""):
    client.force_login(user)
    response = client.get(prefix + reverse("assessments:attempt_take", args=[attempt.pk]))
    assert response.status_code == 200
    return response.content.decode()


def shown_letters(html, question_id):
    fieldset = re.search(rf'<fieldset[^>]*id="q-{question_id}".*?</fieldset>', html, re.S)
    return re.findall(r'value="([A-J])"', fieldset.group(0))


def test_the_page_takes_the_same_queries_whatever_the_paper_size(
    client, org, django_assert_num_queries
):
    counts = []
    for size in (3, 30):
        (learner,) = people(org, 1)
        attempt = services.attempt_start(exam=exam_of(org, [learner], singles=size), user=learner)
        page(client, learner, attempt)  # the session is warm, the fragments are cached
        with CaptureQueriesContext(connection) as captured:
            page(client, learner, attempt)
        counts.append(len(captured))
    assert counts[0] == counts[1]
    # and a cold page reads the questions' text once, in one query, whatever their number
    cache.clear()
    paper.fragments_forget()
    with django_assert_num_queries(counts[1] + 1):
        page(client, learner, attempt)


@pytest.mark.parametrize("size", [3, 50])
def test_the_page_is_four_queries_without_the_menu(client, org, size, django_assert_num_queries):
    """The session, the person, the attempt and its paper's rows: the paper has a layout of its
    own without the main menu, whose items (badges, who may see what) would cost eight more."""
    (learner,) = people(org, 1)
    attempt = services.attempt_start(exam=exam_of(org, [learner], singles=size), user=learner)
    page(client, learner, attempt)  # signed in, the fragments are cached
    with django_assert_num_queries(4):
        response = client.get(reverse("assessments:attempt_take", args=[attempt.pk]))
    html = response.content.decode()
    assert 'class="main-nav"' not in html and "account-menu" not in html
    assert "我的学习" not in html and 'name="language"' not in html
    assert 'id="countdown"' in html and 'id="submit-attempt"' in html
    assert html.count('<fieldset class="question') == size


def test_a_cached_fragment_never_shows_another_attempts_option_order(client, org):
    first, second = people(org, 2)
    exam = exam_of(org, [first, second], singles=1)
    mine = services.attempt_start(exam=exam, user=first)
    theirs = services.attempt_start(exam=exam, user=second)
    question_id = mine.items.get().question_id
    AttemptItem.objects.filter(attempt=mine).update(option_order=[3, 2, 1, 0])
    AttemptItem.objects.filter(attempt=theirs).update(option_order=[1, 3, 0, 2])
    assert shown_letters(page(client, first, mine), question_id) == ["D", "C", "B", "A"]
    assert shown_letters(page(client, second, theirs), question_id) == ["B", "D", "A", "C"]
    assert shown_letters(page(client, first, mine), question_id) == ["D", "C", "B", "A"]


def test_answers_stay_with_their_person_and_out_of_the_fragment(client, org):
    first, second = people(org, 2)
    exam = exam_of(org, [first, second], singles=1, true_false=1)
    mine = services.attempt_start(exam=exam, user=first)
    theirs = services.attempt_start(exam=exam, user=second)
    single = mine.items.get(question__kind=QuestionKind.SINGLE).question_id
    true_false = mine.items.get(question__kind=QuestionKind.TRUE_FALSE).question_id
    for question_id, answer in ((single, ["C"]), (true_false, ["false"])):
        services.response_save(
            attempt_id=mine.pk, user_id=first.pk, question_id=question_id, answer=answer, seq=1
        )
    html = page(client, first, mine)
    assert re.search(rf'name="q{single}" value="C" checked', html)
    assert re.search(rf'name="q{true_false}" value="false" checked', html)
    assert html.count(" checked") == 2
    assert " checked" not in page(client, second, theirs)
    for question in Question.objects.filter(pk__in=[single, true_false]):
        key = paper.fragment_key(
            question_id=question.pk, updated_at=question.updated_at, language="zh-hans"
        )
        fragment = cache.get(key)
        assert fragment is not None, "the fragment is in the shared cache"
        assert "checked" not in str(fragment) and "C" not in fragment["options"]


def test_an_edited_question_shows_its_new_text_at_once(client, org):
    (learner,) = people(org, 1)
    exam = exam_of(org, [learner], singles=1)
    attempt = services.attempt_start(exam=exam, user=learner)
    question = attempt.items.get().question
    assert question.stem in page(client, learner, attempt)
    # an edit in place (a correction of the text)
    question.stem, question.options = "改正后的题干", ["一", "二", "三", "四"]
    question.save()
    html = page(client, learner, attempt)
    assert "改正后的题干" in html and "测试题干" not in html
    assert "> 四</label>" in html and "丁" not in html
    # an edit through the service makes a new version: this paper keeps what it showed, the next
    # person's paper shows the new version
    new = services.question_update(question=question, stem="第三版题干")
    assert "改正后的题干" in page(client, learner, attempt)
    (next_person,) = people(org, 1)
    services.exam_assign(exam=exam, users=[next_person])
    theirs = services.attempt_start(exam=exam, user=next_person)
    assert theirs.items.get().question_id == new.pk
    assert "第三版题干" in page(client, next_person, theirs)


def test_each_language_has_its_own_fragment(client, org):
    (learner,) = people(org, 1)
    exam = exam_of(org, [learner], singles=1, true_false=1)
    attempt = services.attempt_start(exam=exam, user=learner)
    chinese = page(client, learner, attempt)
    english = page(client, learner, attempt, prefix="/en")
    translation.deactivate()
    assert "单选题" in chinese and "判断题" in chinese
    assert "Single choice" in english and "True/false" in english
    assert "单选题" not in english

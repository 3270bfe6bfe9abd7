"""我的考试: the nav entry, the home panel and the list of a person's exams."""

import pytest
from django.urls import reverse

from assessments import services
from tests.factories.assessments import make_exam

pytestmark = pytest.mark.django_db


def test_my_exams_lists_open_exams_with_the_next_step(client, org, learner, other_org):
    exam = make_exam(org, users=[learner], title="年度合规考试A")
    hidden = make_exam(other_org, title="别家的考试")
    client.force_login(learner)
    page = client.get(reverse("assessments:my_exams")).content.decode()
    assert exam.title in page and hidden.title not in page
    assert reverse("assessments:exam_start", args=[exam.pk]) in page
    attempt = services.attempt_start(exam=exam, user=learner)
    page = client.get(reverse("assessments:my_exams")).content.decode()
    assert reverse("assessments:attempt_take", args=[attempt.pk]) in page


def test_the_home_page_shows_the_nav_entry_and_the_exams_panel(client, org, learner):
    make_exam(org, users=[learner], title="年度合规考试B")
    client.force_login(learner)
    home = client.get("/").content.decode()
    assert reverse("assessments:my_exams") in home
    assert 'id="panel-my-exams"' in home and "年度合规考试B" in home


def test_the_home_panel_is_hidden_without_exams(client, org, learner):
    client.force_login(learner)
    assert 'id="panel-my-exams"' not in client.get("/").content.decode()


def test_results_follow_the_review_policy(client, org, learner):
    from assessments.models import Exam

    score_only = make_exam(org, users=[learner], review_policy=Exam.ReviewPolicy.SCORE_ONLY)
    attempt = services.attempt_start(exam=score_only, user=learner)
    services.attempt_submit(attempt_id=attempt.pk, user=learner)
    client.force_login(learner)
    html = client.get(reverse("assessments:attempt_result", args=[attempt.pk])).content.decode()
    assert 'id="review"' not in html
    at_once = make_exam(org, users=[learner], review_policy=Exam.ReviewPolicy.IMMEDIATELY)
    attempt = services.attempt_start(exam=at_once, user=learner)
    services.attempt_submit(attempt_id=attempt.pk, user=learner)
    html = client.get(reverse("assessments:attempt_result", args=[attempt.pk])).content.decode()
    assert 'id="review"' in html and "解析" in html


def test_a_sealed_banks_questions_are_never_reviewed_after_the_attempt(client, org, learner):
    from assessments.models import Exam, ExamKind
    from tests.factories.assessments import fill_bank, make_bank, make_blueprint
    from tests.factories.organisations import RegulatorFactory

    regulator = RegulatorFactory()
    sealed = make_bank(regulator)
    fill_bank(sealed, count=2, stem="保密题干")
    exam = make_exam(
        regulator,
        kind=ExamKind.SPOT_CHECK,
        blueprint=make_blueprint(sealed, sections=[{"count": 2}]),
        users=[learner],
        review_policy=Exam.ReviewPolicy.IMMEDIATELY,
    )
    attempt = services.attempt_start(exam=exam, user=learner)
    client.force_login(learner)
    take = client.get(reverse("assessments:attempt_take", args=[attempt.pk])).content.decode()
    assert "保密题干" in take
    services.attempt_submit(attempt_id=attempt.pk, user=learner)
    html = client.get(reverse("assessments:attempt_result", args=[attempt.pk])).content.decode()
    assert "保密题干" not in html

"""A course quiz binds the people of the organisation that set it, never anyone else's.

One organisation's quiz on a platform-wide course must not stop another organisation's staff,
who cannot even open that quiz, from ever completing the course.
"""

import pytest

from assessments import services
from assessments.models import ExamKind
from lms.learning.models import Enrolment
from tests.factories import content as cf
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam
from tests.factories.learning import complete_lesson
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db

NOT_PASSED = "课程测验尚未通过"


@pytest.fixture
def course():
    return cf.course(title="网络交易平台合规管理主体责任", lessons=1)


def set_quiz(organisation, course):
    bank = make_bank(organisation)
    fill_bank(bank, count=3)
    blueprint = make_blueprint(bank, sections=[{"count": 3}])
    return make_exam(
        organisation, kind=ExamKind.COURSE_QUIZ, course=course, blueprint=blueprint, pass_mark=60
    )


def pass_quiz(quiz, user, capture):
    attempt = services.attempt_start(exam=quiz, user=user)
    for item in attempt.items.select_related("question"):
        services.response_save(
            attempt_id=attempt.pk,
            user_id=user.pk,
            question_id=item.question_id,
            answer=item.question.key,
            seq=1,
        )
    with capture(execute=True):
        return services.attempt_submit(attempt_id=attempt.pk, user=user)


def enrolment_of(user, course) -> Enrolment:
    return Enrolment.objects.get(user=user, course=course)


def test_another_organisations_staff_complete_the_course_without_its_quiz(
    client, org, other_org, course
):
    set_quiz(org, course)
    elsewhere = person(other_org).user
    client.force_login(elsewhere)
    complete_lesson(client, course.lessons().get())
    assert enrolment_of(elsewhere, course).status == Enrolment.Status.COMPLETED
    assert NOT_PASSED not in client.get(course.url).content.decode()


def test_the_organisation_that_set_the_quiz_still_needs_it(
    client, org, other_org, learner, course, django_capture_on_commit_callbacks
):
    quiz = set_quiz(org, course)
    client.force_login(learner)
    complete_lesson(client, course.lessons().get())
    assert enrolment_of(learner, course).status == Enrolment.Status.IN_PROGRESS
    assert NOT_PASSED in client.get(course.url).content.decode()

    pass_quiz(quiz, learner, django_capture_on_commit_callbacks)
    assert enrolment_of(learner, course).status == Enrolment.Status.COMPLETED


def test_each_organisation_requires_its_own_quiz_only(
    client, org, other_org, learner, course, django_capture_on_commit_callbacks
):
    set_quiz(org, course)
    their_quiz = set_quiz(other_org, course)
    elsewhere = person(other_org).user
    client.force_login(elsewhere)
    complete_lesson(client, course.lessons().get())
    assert enrolment_of(elsewhere, course).status == Enrolment.Status.IN_PROGRESS

    pass_quiz(their_quiz, elsewhere, django_capture_on_commit_callbacks)
    assert enrolment_of(elsewhere, course).status == Enrolment.Status.COMPLETED
    client.force_login(learner)
    complete_lesson(client, course.lessons().get())
    assert enrolment_of(learner, course).status == Enrolment.Status.IN_PROGRESS

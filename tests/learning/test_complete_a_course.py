"""A learner completes lessons with the 完成 button; the course completes when all are done."""

import datetime as dt

import pytest
import time_machine

from lms.learning import completion
from lms.learning.models import Enrolment, LessonProgress
from lms.learning.services import assignment_run, enrolment_refresh_completion
from lms.learning.signals import enrolment_completed
from tests.factories import content as cf
from tests.factories.learning import complete_lesson, opened_token
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(org, learner, course):
    cf.curriculum(courses=[course], audience_everyone=True)
    assignment_run(organisation=org)
    return Enrolment.objects.get(user=learner.user, course=course)


def test_the_complete_button_is_refused_before_the_minimum_time(client, learner, org):
    course = cf.course(lessons=1, minimum_seconds=60)
    lesson = course.lessons().get()
    client.force_login(learner.user)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        token = opened_token(client, lesson)
        clock.shift(20)
        response = complete_lesson(client, lesson, token)
        assert "本课时至少需要学习 60 秒（还差 40 秒）" in response.content.decode()
        assert not LessonProgress.objects.exists()
        clock.shift(45)
        response = complete_lesson(client, lesson, token)
    assert "本课时已完成" in response.content.decode()
    assert LessonProgress.objects.count() == 1


def test_a_forged_or_missing_token_is_refused(client, learner, course):
    lesson = course.lessons().first()
    client.force_login(learner.user)
    response = complete_lesson(client, lesson, "not-a-token")
    assert "请先打开并学习本课时" in response.content.decode()
    assert not LessonProgress.objects.exists()


def test_completing_a_lesson_twice_records_it_once(client, learner, enrolled, course):
    lesson = course.lessons().first()
    client.force_login(learner.user)
    token = opened_token(client, lesson)
    complete_lesson(client, lesson, token)
    response = complete_lesson(client, lesson, token)
    assert "您已完成过本课时" in response.content.decode()
    assert LessonProgress.objects.filter(enrolment=enrolled, lesson=lesson).count() == 1
    enrolled.refresh_from_db()
    assert enrolled.status == Enrolment.Status.IN_PROGRESS


def test_finishing_every_lesson_completes_the_course_and_tells_other_apps_once(
    client, learner, enrolled, course, django_capture_on_commit_callbacks
):
    received = []
    handler = lambda sender, enrolment, **kw: received.append(enrolment.pk)  # noqa: E731
    enrolment_completed.connect(handler)
    try:
        client.force_login(learner.user)
        with django_capture_on_commit_callbacks(execute=True):
            for lesson in course.lessons():
                complete_lesson(client, lesson)
        enrolment_refresh_completion(user=learner.user, course_page_id=course.pk)
    finally:
        enrolment_completed.disconnect(handler)
    enrolled.refresh_from_db()
    assert enrolled.status == Enrolment.Status.COMPLETED and enrolled.completed_at
    assert received == [enrolled.pk]
    page = client.get(course.url).content.decode()
    assert 'id="course-percent">100%' in page


def test_a_registered_requirement_holds_completion_until_refreshed(
    client, learner, enrolled, course
):
    passed = {"quiz": False}

    def quiz_requirement(*, user, course_page_id, organisation_id):
        return None if passed["quiz"] else "课程测验尚未通过"

    completion.register_course_requirement(quiz_requirement)
    try:
        client.force_login(learner.user)
        for lesson in course.lessons():
            complete_lesson(client, lesson)
        enrolled.refresh_from_db()
        assert enrolled.status == Enrolment.Status.IN_PROGRESS
        assert "课程测验尚未通过" in client.get(course.url).content.decode()
        passed["quiz"] = True
        enrolment_refresh_completion(user=learner.user, course_page_id=course.pk)
    finally:
        completion._requirements.remove(quiz_requirement)
    enrolled.refresh_from_db()
    assert enrolled.status == Enrolment.Status.COMPLETED


def test_a_learner_cannot_complete_another_organisations_private_lesson(client, org, other_org):
    private = cf.course(owner=other_org, lessons=1)
    lesson = private.lessons().get()
    client.force_login(person(org).user)
    assert client.get(lesson.url).status_code == 404
    response = client.post(f"/learn/lessons/{lesson.pk}/complete/", {"opened": "x"})
    assert response.status_code == 404
    assert not LessonProgress.objects.exists()


def test_a_voluntary_learner_gets_a_self_enrolment(client, learner, course):
    client.force_login(learner.user)
    complete_lesson(client, course.lessons().first())
    enrolment = Enrolment.objects.get(user=learner.user)
    assert enrolment.source == Enrolment.Source.SELF and enrolment.due_on is None

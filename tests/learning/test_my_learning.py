"""我的学习: overdue first, progress bars, and a query count that does not grow."""

import datetime as dt

import pytest

from lms.learning.models import Enrolment, LessonProgress
from tests.factories import content as cf
from tests.factories.learning import complete_lesson

pytestmark = pytest.mark.django_db


def _enrol(staff, course, *, due_on, status=Enrolment.Status.ASSIGNED):
    return Enrolment.objects.create(
        user=staff.user,
        staff=staff,
        course=course,
        source="curriculum",
        due_on=due_on,
        status=status,
    )


def test_overdue_courses_come_first_with_their_progress(client, learner):
    today = dt.date.today()
    later = cf.course(title="知识产权保护", lessons=2)
    overdue = cf.course(title="反商业贿赂", lessons=2)
    done = cf.course(title="数据保护", lessons=1)
    _enrol(learner, later, due_on=today + dt.timedelta(days=20))
    _enrol(learner, overdue, due_on=today - dt.timedelta(days=3))
    _enrol(learner, done, due_on=today - dt.timedelta(days=30), status="completed")
    client.force_login(learner.user)
    complete_lesson(client, later.lessons().first())
    page = client.get("/learn/").content.decode()
    assert page.index("反商业贿赂") < page.index("知识产权保护") < page.index("数据保护")
    assert "已逾期" in page
    assert 'style="width:50%"' in page  # one of two lessons of 知识产权保护
    assert 'style="width:100%"' in page


def test_the_home_page_shows_my_mandatory_courses(client, learner, course):
    _enrol(learner, course, due_on=dt.date.today() + dt.timedelta(days=5))
    client.force_login(learner.user)
    page = client.get("/").content.decode()
    assert "我的必修课程" in page and "新员工合规必修课" in page
    assert "我的学习" in page  # navigation entry


def _many(staff, courses: int, lessons: int):
    for _ in range(courses):
        course = cf.course(lessons=lessons)
        enrolment = _enrol(staff, course, due_on=dt.date.today())
        for lesson in course.lessons()[: lessons // 2]:
            LessonProgress.objects.create(enrolment=enrolment, lesson=lesson)


def test_my_learning_uses_the_same_number_of_queries_for_many_enrolments(
    client, learner, django_assert_max_num_queries
):
    _many(learner, courses=2, lessons=2)
    client.force_login(learner.user)
    client.get("/learn/")
    with django_assert_max_num_queries(12) as few:
        client.get("/learn/")
    _many(learner, courses=12, lessons=4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/learn/")
    assert response.content.decode().count('<li class="enrolment') == 14


def test_the_course_page_uses_the_same_number_of_queries_for_many_lessons(
    client, learner, django_assert_max_num_queries
):
    small = cf.course(lessons=2)
    big = cf.course(lessons=12)
    for course in (small, big):
        enrolment = _enrol(learner, course, due_on=dt.date.today())
        for lesson in course.lessons()[:1]:
            LessonProgress.objects.create(enrolment=enrolment, lesson=lesson)
    client.force_login(learner.user)
    client.get(small.url)
    with django_assert_max_num_queries(40) as few:
        client.get(small.url)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(big.url)
    assert response.content.decode().count("<li class=") >= 12


def test_my_learning_fits_a_phone_and_needs_sign_in(client):
    response = client.get("/learn/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

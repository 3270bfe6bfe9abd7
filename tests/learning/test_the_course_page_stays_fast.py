"""A learner's course page reads the same few rows however many lessons the course has: the
lessons once (titles and links, not their bodies), the person's enrolment and progress once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.learning.models import Enrolment, LessonProgress
from lms.learning.services import assignment_run
from tests.factories import content as cf

pytestmark = pytest.mark.django_db


def course_page_queries(client, course) -> tuple[int, str]:
    client.get(course.url)  # signed in, Wagtail's site and routes warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(course.url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_course_page_takes_the_same_queries_whatever_its_lessons(client, org, learner):
    client.force_login(learner.user)
    counts = []
    for lessons in (2, 25):
        course = cf.course(lessons=lessons)
        cf.curriculum(courses=[course], audience_everyone=True)
        assignment_run(organisation=org)
        enrolment = Enrolment.objects.get(user=learner.user, course=course)
        first = course.lessons().first()
        LessonProgress.objects.create(enrolment=enrolment, lesson=first)
        count, html = course_page_queries(client, course)
        counts.append(count)
        assert html.count('<li class="done">') == 1
        assert html.count("第") >= lessons  # every lesson listed
    assert counts[0] == counts[1]
    # and the lessons are read once: their list, not their bodies, nowhere a second time
    with CaptureQueriesContext(connection) as captured:
        client.get(course.url)
    lesson_reads = [
        q["sql"] for q in captured.captured_queries if '"content_lessonpage"' in q["sql"]
    ]
    assert len(lesson_reads) == 1, lesson_reads
    assert '"content_lessonpage"."body"' not in lesson_reads[0]

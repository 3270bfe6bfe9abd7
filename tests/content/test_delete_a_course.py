"""A course people are enrolled in cannot be deleted; it can be archived instead."""

import pytest

from content.models import CoursePage
from lms.learning.models import Enrolment
from lms.learning.services import assignment_run
from tests.factories import content as cf
from tests.factories.organisations import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform_admin(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_deleting_a_course_with_enrolments_is_refused_with_a_clear_message(
    client, org, learner, course, platform_admin
):
    cf.curriculum(courses=[course], audience_everyone=True)
    assignment_run(organisation=org)
    response = client.post(f"/admin/pages/{course.pk}/delete/", follow=True)
    page = response.content.decode()
    assert "无法删除“新员工合规必修课”：已有人员选修。请改为归档" in page
    assert CoursePage.objects.filter(pk=course.pk).exists()
    # deleting the whole course index would take the course with it: refused too
    index = cf.course_index()
    client.post(f"/admin/pages/{index.pk}/delete/", follow=True)
    assert CoursePage.objects.filter(pk=course.pk).exists()
    assert Enrolment.objects.filter(course=course).count() == 1


def test_an_unused_course_can_be_deleted(client, platform_admin):
    unused = cf.course(title="草稿课程", lessons=1)
    client.post(f"/admin/pages/{unused.pk}/delete/")
    assert not CoursePage.objects.filter(pk=unused.pk).exists()


def test_an_archived_course_disappears_from_the_catalogue_but_keeps_its_enrolments(
    client, org, learner, course
):
    cf.curriculum(courses=[course], audience_everyone=True)
    assignment_run(organisation=org)
    course.is_archived = True
    course.save_revision().publish()
    client.force_login(learner.user)
    assert "新员工合规必修课" not in client.get(cf.course_index().url).content.decode()
    assert "新员工合规必修课" in client.get("/learn/").content.decode()

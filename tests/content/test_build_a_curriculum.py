"""A compliance administrator builds curricula in the Wagtail admin; bad ones get clear errors."""

import pytest

from content.models import Curriculum
from lms.learning.models import Enrolment
from lms.organisations.models import ComplianceRole
from tests.factories import content as cf
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/snippets/content/curriculum/add/"


def _form(org, *, courses=(), **overrides):
    data = {
        "name": "合规管理员年度必修",
        "description": "",
        "owner_organisation": str(org.pk),
        "audience_roles": [ComplianceRole.ADMIN_FULL_TIME],
        "due_days": "30",
        "refresh": "yearly",
        "is_active": "on",
        "curriculum_courses-TOTAL_FORMS": str(len(courses)),
        "curriculum_courses-INITIAL_FORMS": "0",
        "curriculum_courses-MIN_NUM_FORMS": "0",
        "curriculum_courses-MAX_NUM_FORMS": "1000",
    }
    for i, course in enumerate(courses):
        data[f"curriculum_courses-{i}-course"] = str(course.pk)
        data[f"curriculum_courses-{i}-ORDER"] = str(i + 1)
        data[f"curriculum_courses-{i}-id"] = ""
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_an_administrator_creates_a_curriculum_and_its_audience_is_enrolled(
    client, org, org_admin, course, django_capture_on_commit_callbacks
):
    client.force_login(org_admin.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, _form(org, courses=[course]))
    assert response.status_code == 302, response.content.decode()[:3000]
    curriculum = Curriculum.objects.get()
    assert curriculum.owner_organisation == org
    assert list(curriculum.curriculum_courses.values_list("course_id", flat=True)) == [course.pk]
    enrolment = Enrolment.objects.get(user=org_admin.user)
    assert enrolment.curriculum == curriculum and enrolment.cycle > 2000


@pytest.mark.parametrize(
    ("overrides", "with_course", "message"),
    [
        ({}, False, "请为培训方案添加至少一门课程。"),
        ({"audience_roles": None}, True, "请选择受众"),
        ({"due_days": "-5"}, True, "完成期限不能为负数。"),
    ],
)
def test_a_curriculum_that_cannot_work_is_refused_with_a_clear_message(
    client, org, org_admin, course, overrides, with_course, message
):
    client.force_login(org_admin.user)
    response = client.post(
        ADD_URL, _form(org, courses=[course] if with_course else [], **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Curriculum.objects.exists()


def test_an_administrator_cannot_open_another_organisations_curriculum(
    client, org, other_org, org_admin, course
):
    theirs = cf.curriculum(courses=[course], owner=other_org, audience_everyone=True)
    client.force_login(org_admin.user)
    assert client.get(f"/admin/snippets/content/curriculum/edit/{theirs.pk}/").status_code == 404
    listing = client.get("/admin/snippets/content/curriculum/").content.decode()
    assert theirs.name not in listing


def test_an_administrator_cannot_make_a_curriculum_for_another_organisation(
    client, org, other_org, org_admin, course
):
    client.force_login(org_admin.user)
    response = client.post(ADD_URL, _form(other_org, courses=[course]))
    assert response.status_code == 200
    assert not Curriculum.objects.exists()


def test_a_learner_cannot_reach_curricula(client, org):
    client.force_login(person(org).user)
    assert client.get(ADD_URL).status_code in (302, 403)

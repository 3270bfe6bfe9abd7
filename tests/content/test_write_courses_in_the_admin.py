"""Administrators write courses in Wagtail; another organisation's private course is 404."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from lms.organisations import roles
from lms.organisations.models import ComplianceRole
from tests.factories import content as cf
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def may_write_courses(db):
    """The course index; creating it grants compliance administrators and heads authoring."""
    index = cf.course_index()
    group = Group.objects.get(name=roles.COMPLIANCE_ADMIN)
    assert GroupPagePermission.objects.filter(group=group, page=index).count() == 3
    return index


def test_an_administrator_edits_their_own_private_course_but_not_anothers(
    client, org, other_org, may_write_courses
):
    ours = cf.course(title="本公司内部课程", owner=org, lessons=1)
    theirs = cf.course(title="他公司内部课程", owner=other_org, lessons=1)
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    client.force_login(admin.user)
    assert client.get(f"/admin/pages/{ours.pk}/edit/").status_code == 200
    # Refused like any page one has no permission on: back to the dashboard, nothing shown.
    their_lesson = theirs.lessons().get()
    for url in (
        f"/admin/pages/{theirs.pk}/edit/",
        f"/admin/pages/{their_lesson.pk}/edit/",
        f"/admin/pages/add/content/lessonpage/{theirs.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/", url


def test_an_administrators_new_course_must_belong_to_their_organisation(
    client, org, other_org, may_write_courses
):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    client.force_login(admin.user)
    page = client.get(f"/admin/pages/add/content/coursepage/{may_write_courses.pk}/")
    form = page.context["form"]
    assert list(form.fields["owner_organisation"].queryset) == [org]
    assert form.fields["owner_organisation"].required


def test_a_new_course_index_lets_administrators_and_heads_write_courses(client, org):
    index = cf.course_index()  # created like any page: no demo, no fixture granting anything
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD)
    learner = person(org, role=ComplianceRole.NONE)
    add_course = f"/admin/pages/add/content/coursepage/{index.pk}/"
    for author in (admin, head):
        client.force_login(author.user)
        assert client.get(add_course).status_code == 200
    client.force_login(learner.user)
    assert client.get(add_course).status_code in (302, 403)


def test_an_administrator_cannot_change_a_platform_wide_course(client, org, may_write_courses):
    shared = cf.course(title="全平台课程", owner=None, lessons=1)
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    client.force_login(admin.user)
    # Wagtail's admin answers a refusal by sending the person back to the dashboard.
    refused = (302, 403)
    response = client.get(f"/admin/pages/{shared.pk}/edit/")
    assert response.status_code in refused and "/edit/" not in response.get("Location", "")
    assert client.post(f"/admin/pages/{shared.pk}/edit/", {"title": "改"}).status_code in refused
    lesson = shared.lessons().get()
    assert client.get(f"/admin/pages/{lesson.pk}/edit/").status_code in refused
    assert client.get(f"/admin/pages/add/content/lessonpage/{shared.pk}/").status_code in refused
    assert client.post(f"/admin/pages/{shared.pk}/delete/").status_code in refused
    shared.refresh_from_db()
    assert shared.title == "全平台课程"


def test_another_organisations_private_course_is_not_listed_in_the_admin(
    client, org, other_org, may_write_courses
):
    ours = cf.course(title="本公司内部课程", owner=org, lessons=1)
    theirs = cf.course(title="他公司内部课程", owner=other_org, lessons=1)
    shared = cf.course(title="全平台公开课程", owner=None, lessons=1)
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    client.force_login(admin.user)

    explorer = client.get(f"/admin/pages/{may_write_courses.pk}/").content.decode()
    assert ours.title in explorer and shared.title in explorer
    assert "他公司内部课程" not in explorer

    found = client.get("/admin/pages/search/", {"q": "本公司内部课程"}).content.decode()
    assert ours.title in found
    results = client.get("/admin/pages/search/results/", {"q": "他公司内部课程"}).content.decode()
    assert f"/admin/pages/{theirs.pk}/" not in results  # (the query itself is echoed)

    chooser = client.get(f"/admin/choose-page/{may_write_courses.pk}/").json()["html"]
    assert ours.title in chooser and "他公司内部课程" not in chooser

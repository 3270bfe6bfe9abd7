"""Administrators write courses in Wagtail; another organisation's private course is 404."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from lms.organisations import roles
from lms.organisations.models import ComplianceRole
from tests.factories import content as cf
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def may_write_courses(db):
    index = cf.course_index()
    group = Group.objects.get(name=roles.COMPLIANCE_ADMIN)
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=index,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    return index


def test_an_administrator_edits_their_own_private_course_but_not_anothers(
    client, org, other_org, may_write_courses
):
    ours = cf.course(title="本公司内部课程", owner=org, lessons=1)
    theirs = cf.course(title="他公司内部课程", owner=other_org, lessons=1)
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    client.force_login(admin.user)
    assert client.get(f"/admin/pages/{ours.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{theirs.pk}/edit/").status_code == 404
    their_lesson = theirs.lessons().get()
    assert client.get(f"/admin/pages/{their_lesson.pk}/edit/").status_code == 404
    add_lesson = f"/admin/pages/add/content/lessonpage/{theirs.pk}/"
    assert client.get(add_lesson).status_code == 404


def test_an_administrators_new_course_must_belong_to_their_organisation(
    client, org, other_org, may_write_courses
):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    client.force_login(admin.user)
    page = client.get(f"/admin/pages/add/content/coursepage/{may_write_courses.pk}/")
    form = page.context["form"]
    assert list(form.fields["owner_organisation"].queryset) == [org]
    assert form.fields["owner_organisation"].required

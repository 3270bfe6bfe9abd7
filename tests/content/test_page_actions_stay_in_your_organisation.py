"""A compliance head acts on their own organisation's course pages only: another organisation's
private course and a platform-wide course refuse every page action, and the admin's page API and
reports show neither them nor the people who wrote them. Platform administrators change every
page, the platform-wide courses and the regulation library included."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction

from content.models import CourseIndexPage, CoursePage
from lms.organisations import roles
from lms.organisations.models import ComplianceRole
from tests.factories import content as cf
from tests.factories.organisations import UserFactory, person

pytestmark = pytest.mark.django_db

# Wagtail answers a refusal with a redirect to the dashboard ("Sorry, you do not have permission
# to access this area"); a page the person may not even see is 404.
REFUSED = (302, 403, 404)


def refused(response) -> bool:
    if response.status_code not in REFUSED:
        return False
    return response.status_code != 302 or response["Location"].rstrip("/") in ("/admin", "")


@pytest.fixture
def world(org, other_org):
    """云集-like `org` with a private course its head wrote; 鲜达-like `other_org` with its head;
    a platform-wide course; a second course index (a place to move a course to)."""
    index = cf.course_index()
    head_a = person(org, role=ComplianceRole.COMPLIANCE_HEAD)
    head_a.user.full_name = "云集合规负责人王芳"
    head_a.user.save()
    theirs = cf.course(title="云集内部反贿赂课程", owner=org, lessons=1)
    theirs.save_revision(user=head_a.user).publish(user=head_a.user)
    platform_wide = cf.course(title="全平台数据合规课程", owner=None, lessons=1)
    head_b = person(other_org, role=ComplianceRole.COMPLIANCE_HEAD)
    ours = cf.course(title="鲜达内部课程", owner=other_org, lessons=1)
    elsewhere = cf.home_page().add_child(instance=CourseIndexPage(title="课程二", slug="courses-2"))

    class World:
        pass

    w = World()
    w.index, w.theirs, w.platform_wide, w.ours, w.elsewhere = (
        index,
        theirs,
        platform_wide,
        ours,
        elsewhere,
    )
    w.head_a, w.head_b = head_a, head_b
    return w


@pytest.fixture(params=["theirs", "platform_wide"])
def not_ours(request, world):
    return getattr(world, request.param)


def test_a_head_cannot_unpublish_another_organisations_or_a_platform_wide_course(
    client, world, not_ours
):
    client.force_login(world.head_b.user)
    assert refused(
        client.post(f"/admin/pages/{not_ours.pk}/unpublish/", {"include_descendants": "on"})
    )
    assert refused(client.get(f"/admin/pages/{not_ours.pk}/unpublish/"))
    lesson = not_ours.lessons().get()
    assert refused(client.post(f"/admin/pages/{lesson.pk}/unpublish/"))
    # the explorer's bulk actions ask the same rule
    client.post(f"/admin/bulk/wagtailcore/page/unpublish/?id={not_ours.pk}&id={lesson.pk}")
    client.post(f"/admin/bulk/wagtailcore/page/delete/?id={lesson.pk}")
    assert CoursePage.objects.get(pk=not_ours.pk).live
    assert Page.objects.get(pk=lesson.pk).live


def test_a_head_cannot_password_lock_another_organisations_or_a_platform_wide_course(
    client, world, not_ours
):
    client.force_login(world.head_b.user)
    response = client.post(
        f"/admin/pages/{not_ours.pk}/privacy/",
        {"restriction_type": "password", "password": "lockedout"},
    )
    assert refused(response)
    assert not PageViewRestriction.objects.filter(page=not_ours).exists()
    assert refused(client.get(f"/admin/pages/{not_ours.pk}/privacy/"))


def test_a_head_cannot_move_another_organisations_or_a_platform_wide_course(
    client, world, not_ours
):
    client.force_login(world.head_b.user)
    assert refused(client.get(f"/admin/pages/{not_ours.pk}/move/"))
    response = client.post(f"/admin/pages/{not_ours.pk}/move/{world.elsewhere.pk}/confirm/")
    assert refused(response)
    assert Page.objects.get(pk=not_ours.pk).get_parent().pk == world.index.pk


def test_a_head_cannot_read_drafts_revisions_history_or_usage_of_pages_not_theirs(
    client, world, not_ours
):
    not_ours.title = "草稿标题（未发布）"
    revision = not_ours.save_revision()
    client.force_login(world.head_b.user)
    for url in (
        f"/admin/pages/{not_ours.pk}/view_draft/",
        f"/admin/pages/{not_ours.pk}/edit/preview/",
        f"/admin/pages/{not_ours.pk}/revisions/{revision.pk}/view/",
        f"/admin/pages/{not_ours.pk}/revisions/compare/earliest...latest/",
        f"/admin/pages/{not_ours.pk}/history/",
        f"/admin/pages/{not_ours.pk}/history/results/",
        f"/admin/pages/{not_ours.pk}/usage/",
        f"/admin/pages/{not_ours.pk}/workflow_history/",
        f"/admin/pages/{not_ours.pk}/copy/",
    ):
        response = client.get(url)
        assert refused(response), url
        assert "草稿标题" not in response.content.decode(), url
    assert refused(client.post(f"/admin/pages/{not_ours.pk}/lock/"))
    assert not Page.objects.get(pk=not_ours.pk).locked


def test_a_head_cannot_change_the_course_index_or_the_regulation_library(client, world):
    regulation = cf.regulation(title="反不正当竞争法")
    client.force_login(world.head_b.user)
    for page in (world.index, regulation, cf.regulation_index(), cf.home_page()):
        assert refused(client.post(f"/admin/pages/{page.pk}/unpublish/")), page
        assert refused(
            client.post(f"/admin/pages/{page.pk}/privacy/", {"restriction_type": "login"})
        ), page
        assert refused(client.get(f"/admin/pages/{page.pk}/edit/")), page
        assert Page.objects.get(pk=page.pk).live
    assert not PageViewRestriction.objects.exists()


def test_a_head_still_runs_their_own_organisations_course(client, world):
    client.force_login(world.head_b.user)
    ours = world.ours
    assert client.get(f"/admin/pages/{ours.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{ours.pk}/history/").status_code == 200
    assert client.get(f"/admin/pages/{ours.pk}/view_draft/").status_code == 200
    assert client.get(f"/admin/pages/add/content/coursepage/{world.index.pk}/").status_code == 200
    assert client.get(f"/admin/pages/add/content/lessonpage/{ours.pk}/").status_code == 200
    client.post(f"/admin/pages/{ours.pk}/unpublish/", {"include_descendants": "on"})
    assert not CoursePage.objects.get(pk=ours.pk).live


def test_the_admin_page_api_lists_no_other_organisations_pages(client, world):
    client.force_login(world.head_b.user)
    listing = client.get("/admin/api/main/pages/", {"limit": 20})
    assert listing.status_code == 200
    ids = {item["id"] for item in listing.json()["items"]}
    assert world.ours.pk in ids
    assert world.theirs.pk not in ids
    assert world.theirs.lessons().get().pk not in ids
    children = client.get("/admin/api/main/pages/", {"child_of": world.index.pk})
    assert "云集内部反贿赂课程" not in children.content.decode()
    assert client.get(f"/admin/api/main/pages/{world.theirs.pk}/").status_code == 404


def test_the_reports_show_no_other_organisations_pages_or_people(client, world):
    client.force_login(world.head_b.user)
    for url in (
        "/admin/reports/site-history/",
        "/admin/reports/site-history/results/",
        "/admin/reports/aging-pages/",
        "/admin/reports/page-types-usage/",
        "/admin/reports/locked-pages/",
    ):
        response = client.get(url)
        body = response.content.decode()
        assert "云集内部反贿赂课程" not in body, url
        assert "云集合规负责人王芳" not in body, url
        assert world.head_a.user.email not in body, url
    history = client.get("/admin/reports/site-history/", {"export": "csv"})
    exported = b"".join(history.streaming_content).decode("utf-8-sig", "replace")
    assert "鲜达内部课程" in exported  # the report works, and shows one's own pages
    assert "云集内部反贿赂课程" not in exported


def test_a_heads_admin_search_and_explorer_show_no_other_organisations_private_course(
    client, world
):
    client.force_login(world.head_b.user)
    explorer = client.get(f"/admin/pages/{world.index.pk}/").content.decode()
    assert "鲜达内部课程" in explorer and "全平台数据合规课程" in explorer
    assert "云集内部反贿赂课程" not in explorer
    assert refused(client.get(f"/admin/pages/{world.theirs.pk}/"))


@pytest.fixture
def platform_admin():
    """A platform administrator by role (the demo's admin@hegui.demo), not a Django superuser."""
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=roles.PLATFORM_ADMIN))
    return user


def test_a_platform_administrator_edits_platform_wide_courses_and_regulations(
    client, world, platform_admin
):
    regulation = cf.regulation(title="反不正当竞争法")
    client.force_login(platform_admin)
    for page in (world.platform_wide, world.theirs, regulation, world.index):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page
    assert (
        client.get(
            f"/admin/pages/add/content/regulationpage/{regulation.get_parent().pk}/"
        ).status_code
        == 200
    )
    client.post(f"/admin/pages/{world.platform_wide.pk}/unpublish/", {"include_descendants": "on"})
    assert not CoursePage.objects.get(pk=world.platform_wide.pk).live
    client.post(f"/admin/pages/{regulation.pk}/privacy/", {"restriction_type": "login"})
    assert PageViewRestriction.objects.filter(page=regulation).exists()


def test_a_platform_administrator_saves_changes_to_a_platform_wide_course_and_a_regulation(
    client, world, platform_admin
):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    regulation = cf.regulation(title="反不正当竞争法", authority="全国人大常委会")
    client.force_login(platform_admin)
    course_data = nested_form_data(
        {
            "title": "全平台数据合规课程（修订）",
            "slug": world.platform_wide.slug,
            "summary": "课程简介",
            "domains": "",
            "credit_hours": "1.0",
            "estimated_minutes": "30",
            "owner_organisation": "",
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = client.post(f"/admin/pages/{world.platform_wide.pk}/edit/", course_data)
    assert response.status_code == 302 and "/edit/" not in response["Location"]
    assert CoursePage.objects.get(pk=world.platform_wide.pk).title == "全平台数据合规课程（修订）"
    regulation_data = nested_form_data(
        {
            "title": "反不正当竞争法（2025年修订）",
            "slug": regulation.slug,
            "issuing_authority": "全国人大常委会",
            "document_number": "",
            "effective_date": "",
            "status": "in_force",
            "preamble": "",
            "clauses": inline_formset([]),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = client.post(f"/admin/pages/{regulation.pk}/edit/", regulation_data)
    assert response.status_code == 302 and "/edit/" not in response["Location"]
    assert Page.objects.get(pk=regulation.pk).title == "反不正当竞争法（2025年修订）"

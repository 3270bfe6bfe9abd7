"""A page in review (a Wagtail workflow whose group approval task names the compliance heads'
role) is reviewed by its own organisation's compliance heads only: another organisation's head,
though in the same role group, neither sees it on the dashboard or in the workflow reports nor
opens, previews, locks or approves it. The page chooser does not open inside another
organisation's course, and a move is confirmed only where the person may make it."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from wagtail.models import GroupApprovalTask, Page, TaskState, Workflow, WorkflowPage, WorkflowState

from content.models import CourseIndexPage
from lms.organisations import roles
from lms.organisations.models import ComplianceRole
from tests.factories import content as cf
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db

REFUSED = (302, 403, 404)
DRAFT_TITLE = "反贿赂第一课（待审稿）"


def refused(response) -> bool:
    """Wagtail's refusal: 403/404, or a redirect to the dashboard ("no permission")."""
    if response.status_code not in REFUSED:
        return False
    return response.status_code != 302 or response["Location"].rstrip("/") in ("/admin", "")


@pytest.fixture
def world(org, other_org):
    """云集-like `org`: a course whose lesson's draft awaits review by the compliance heads' role
    (a group approval task); 鲜达-like `other_org` with its own course and head."""
    head_a = person(org, role=ComplianceRole.COMPLIANCE_HEAD, user__full_name="云集负责人王芳")
    author_a = person(
        org, role=ComplianceRole.ADMIN_FULL_TIME, user__full_name="云集管理员提交人李雷"
    )
    head_b = person(other_org, role=ComplianceRole.COMPLIANCE_HEAD)
    theirs = cf.course(title="云集内部反贿赂课程", owner=org, lessons=1)
    ours = cf.course(title="鲜达内部课程", owner=other_org, lessons=1)
    elsewhere = cf.home_page().add_child(instance=CourseIndexPage(title="课程二", slug="courses-2"))

    workflow = Workflow.objects.create(name="课程审批流程")
    task = GroupApprovalTask.objects.create(name="合规负责人审批")
    task.groups.add(Group.objects.get(name=roles.COMPLIANCE_HEAD))
    workflow.workflow_tasks.create(task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=theirs)
    lesson = theirs.get_children().get().specific
    lesson.title = DRAFT_TITLE
    revision = lesson.save_revision(user=author_a.user)
    # Submitted for review, as Wagtail records it (its start() would run the whole workflow at
    # once inside a test's transaction).
    state = WorkflowState.objects.create(
        content_type=lesson.content_type,
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=str(lesson.pk),
        workflow=workflow,
        status=WorkflowState.STATUS_IN_PROGRESS,
        requested_by=author_a.user,
    )
    state.current_task_state = TaskState.objects.create(
        workflow_state=state,
        revision=revision,
        task=task,
        status=TaskState.STATUS_IN_PROGRESS,
        content_type=ContentType.objects.get_for_model(TaskState),
    )
    state.save(update_fields=["current_task_state"])

    class World:
        pass

    w = World()
    w.head_a, w.author_a, w.head_b = head_a, author_a, head_b
    w.theirs, w.ours, w.lesson, w.elsewhere = theirs, ours, lesson, elsewhere
    w.task, w.state = task, WorkflowState.objects.get(pk=state.pk)
    w.task_state = w.state.current_task_state
    return w


def approve_url(w) -> str:
    return f"/admin/pages/workflow/action/{w.lesson.pk}/approve/{w.task_state.pk}/"


def test_the_review_is_in_progress_and_its_own_head_approves_it(client, world):
    assert world.state.status == WorkflowState.STATUS_IN_PROGRESS
    client.force_login(world.head_a.user)
    assert DRAFT_TITLE in client.get("/admin/").content.decode()  # 待审核 on the dashboard
    preview = client.get(f"/admin/pages/workflow/preview/{world.lesson.pk}/{world.task.pk}/")
    assert preview.status_code == 200
    client.post(approve_url(world), {"comment": "同意"})
    assert WorkflowState.objects.get(pk=world.state.pk).status == WorkflowState.STATUS_APPROVED
    assert Page.objects.get(pk=world.lesson.pk).title == DRAFT_TITLE  # published


def test_another_organisations_head_cannot_approve_it(client, world):
    client.force_login(world.head_b.user)
    response = client.post(approve_url(world), {"comment": "外部尝试"})
    assert refused(response)
    assert WorkflowState.objects.get(pk=world.state.pk).status == WorkflowState.STATUS_IN_PROGRESS
    assert Page.objects.get(pk=world.lesson.pk).title != DRAFT_TITLE  # not published
    collect = f"/admin/pages/workflow/collect_action_data/{world.lesson.pk}/approve/"
    assert refused(client.post(f"{collect}{world.task_state.pk}/", {"comment": "外部"}))


def test_another_organisations_head_neither_sees_nor_opens_it(client, world):
    client.force_login(world.head_b.user)
    for url in (
        "/admin/",
        "/admin/reports/workflow/",
        "/admin/reports/workflow/results/",
        "/admin/reports/workflow_tasks/",
        "/admin/reports/workflow_tasks/results/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert DRAFT_TITLE not in body, url
        assert "云集管理员提交人李雷" not in body, url  # the report's "requested by" choices
    for url in (
        f"/admin/pages/workflow/preview/{world.lesson.pk}/{world.task.pk}/",
        f"/admin/pages/{world.lesson.pk}/workflow_history/",
        f"/admin/pages/{world.lesson.pk}/workflow_history/detail/{world.state.pk}/",
        f"/admin/pages/workflow/confirm_cancellation/{world.lesson.pk}/",
        f"/admin/pages/{world.lesson.pk}/edit/",
    ):
        response = client.get(url)
        assert refused(response), url
        assert DRAFT_TITLE not in response.content.decode(), url
    # nor does the admin home, after a refusal, repeat the page's title in a message
    assert DRAFT_TITLE not in client.get("/admin/").content.decode()
    assert refused(client.post(f"/admin/pages/{world.lesson.pk}/lock/"))
    assert not Page.objects.get(pk=world.lesson.pk).locked


def test_its_own_organisations_people_see_it_in_the_workflow_report(client, world):
    client.force_login(world.head_a.user)
    body = client.get("/admin/reports/workflow/").content.decode()
    assert "云集管理员提交人李雷" in body
    assert DRAFT_TITLE in body


def test_the_page_chooser_does_not_open_inside_another_organisations_course(client, world):
    client.force_login(world.head_b.user)
    response = client.get(f"/admin/choose-page/{world.theirs.pk}/")
    assert response.status_code == 404
    assert "云集内部反贿赂课程" not in response.content.decode()
    own = client.get(f"/admin/choose-page/{world.ours.pk}/")
    assert own.status_code == 200 and "鲜达内部课程" in own.json()["html"]


def test_the_page_chooser_is_for_the_admin_only(client, world):
    learner = person(world.theirs.owner_organisation)
    client.force_login(learner.user)
    response = client.get(f"/admin/choose-page/{world.theirs.pk}/")
    assert response.status_code == 302
    assert "云集内部反贿赂课程" not in response.content.decode()
    client.logout()
    assert client.get(f"/admin/choose-page/{world.theirs.pk}/").status_code == 302


def test_a_move_is_confirmed_only_where_the_person_may_make_it(client, world):
    client.force_login(world.head_b.user)
    confirm = f"/admin/pages/{world.theirs.pk}/move/{world.elsewhere.pk}/confirm/"
    response = client.get(confirm)
    assert refused(response)
    assert "云集内部反贿赂课程" not in response.content.decode()
    assert refused(client.post(confirm))
    assert Page.objects.get(pk=world.theirs.pk).get_parent().pk != world.elsewhere.pk
    # their own course moves to another course index, as before
    own = f"/admin/pages/{world.ours.pk}/move/{world.elsewhere.pk}/confirm/"
    assert client.get(own).status_code == 200
    client.post(own)
    assert Page.objects.get(pk=world.ours.pk).get_parent().pk == world.elsewhere.pk

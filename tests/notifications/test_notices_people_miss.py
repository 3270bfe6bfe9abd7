"""Notices people used to miss: a firm's compliance head and chief compliance officer hear of a
failed spot check, the rectification it demands and a report sent back; a candidate hears that
a pre-appointment exam awaits; the spot-check draw says so; an overdue course says it was due.
Each is sent once, however often the work runs again."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone, translation

from assessments.models import ExamKind
from assessments.services import exam_reminders_send
from assessments.spotchecks import services as spotchecks
from assessments.spotchecks.models import Rectification
from lms.learning.models import Enrolment
from lms.learning.services import reminders_send
from lms.notifications.models import Notification
from lms.organisations import services as org_services
from lms.organisations.models import ComplianceRole
from tests.factories import content as cf
from tests.factories.assessments import make_exam
from tests.factories.organisations import PositionFactory, person
from tests.factories.spotchecks import make_world, run_to_drawn

pytestmark = pytest.mark.django_db


def _texts(notice: Notification, language: str) -> str:
    from lms.notifications.rendering import render

    with translation.override(language):
        return " ".join(render(notice))


@pytest.fixture
def world():
    return make_world(enterprises=1, admins=2)


@pytest.fixture
def firm(world):
    enterprise = world.enterprises[0]
    cco = person(enterprise, role=ComplianceRole.CHIEF_COMPLIANCE_OFFICER).user
    return {"enterprise": enterprise, "head": world.heads[enterprise.pk], "cco": cco}


@pytest.fixture
def closed(world, firm):
    """A campaign nobody sat: the firm fails and owes a rectification."""
    campaign = run_to_drawn(world, enterprise_count_value=1, roles={"admin_full": 2})
    with TestCase.captureOnCommitCallbacks(execute=True):
        spotchecks.campaign_start(campaign=campaign, actor=world.officer)
    with TestCase.captureOnCommitCallbacks(execute=True):
        spotchecks.campaign_close(campaign=campaign, actor=world.officer)
    return campaign


def test_the_draw_notice_says_spot_check_not_newly_assigned_course(client, world, closed):
    drawn = Notification.objects.filter(kind="spotcheck_drawn")
    assert drawn.count() == 2  # the two administrators drawn
    client.force_login(drawn.first().user)
    page = client.get("/notifications/").content.decode()
    assert "抽查" in page and "新分配课程" not in page


def test_a_failed_firm_s_head_and_cco_hear_of_the_verdict_and_the_rectification_once(
    world, firm, closed
):
    told = {firm["head"].pk, firm["cco"].pk}
    failed = Notification.objects.filter(kind="spotcheck_failed")
    demanded = Notification.objects.filter(kind="rectification_demanded")
    assert set(failed.values_list("user", flat=True)) == told
    assert set(demanded.values_list("user", flat=True)) == told

    rectification = Rectification.objects.get(drawn_enterprise__campaign=closed)
    notice = demanded.get(user=firm["head"])
    assert notice.link == f"/spotchecks/rectifications/{rectification.pk}/"
    deadline = rectification.deadline.isoformat()
    assert f"by {deadline}" in _texts(notice, "en")
    assert f"于 {deadline} 前提交整改报告" in _texts(notice, "zh-hans")
    assert "0 of the 2 people" in _texts(failed.get(user=firm["cco"]), "en")

    assert spotchecks.failed_enterprises_notify(campaign_id=closed.pk) == 0
    assert failed.count() == 2 and demanded.count() == 2


def test_a_returned_report_is_told_to_the_firm_with_the_regulator_s_comments_once(
    world, firm, closed
):
    rectification = Rectification.objects.get(drawn_enterprise__campaign=closed)
    pdf = SimpleUploadedFile("整改.pdf", b"%PDF-1.4\n", "application/pdf")
    spotchecks.rectification_submit(
        rectification=rectification, text="已整改", files=[pdf], actor=firm["head"]
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        spotchecks.rectification_decide(
            rectification=rectification, accept=False, comment="缺少培训签到表", actor=world.officer
        )
    returned = Notification.objects.filter(kind="rectification_returned")
    assert set(returned.values_list("user", flat=True)) == {firm["head"].pk, firm["cco"].pk}
    assert "缺少培训签到表" in _texts(returned.first(), "en")

    report = rectification.reports.get()
    assert (
        spotchecks.rectification_returned_notify(
            rectification_id=rectification.pk, report_id=report.pk
        )
        == 0
    )
    # sent back a second time, after a new report: told again
    spotchecks.rectification_submit(
        rectification=rectification, text="已补充", files=[], actor=firm["head"]
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        spotchecks.rectification_decide(
            rectification=rectification, accept=False, comment="仍缺少记录", actor=world.officer
        )
    assert returned.count() == 4


def test_a_candidate_hears_that_a_pre_appointment_exam_awaits_once(org):
    post = PositionFactory(
        organisation=org,
        name="合规负责人",
        compliance_role=ComplianceRole.COMPLIANCE_HEAD,
        needs_pre_appointment_exam=True,
    )
    candidate = person(org, role=ComplianceRole.NONE)
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME).user
    exam = make_exam(
        org, kind=ExamKind.PRE_APPOINTMENT, closes_at=timezone.now() + dt.timedelta(days=60)
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        org_services.appointment_request(staff=candidate, position=post, actor=admin)

    notice = Notification.objects.get(user=candidate.user)
    assert notice.kind == "pre_appointment_exam" and notice.link == "/exams/"
    assert "Your appointment as 合规负责人 needs a passed pre-appointment exam" in _texts(
        notice, "en"
    )
    assert exam.title in _texts(notice, "zh-hans")
    exam_reminders_send()  # the exam's "opened" reminder would say the same again
    assert Notification.objects.filter(user=candidate.user).count() == 1


def test_an_overdue_notice_says_the_course_was_due_not_to_finish_before_a_past_date(org):
    learner = person(org)
    course = cf.course(title="反垄断合规", lessons=1)
    Enrolment.objects.create(
        user=learner.user,
        staff=learner,
        course=course,
        source="manual",
        due_on=dt.date(2026, 11, 20),
    )
    assert reminders_send(today=dt.date(2026, 11, 22)) >= 1
    notice = Notification.objects.get(user=learner.user, kind="overdue")
    english = _texts(notice, "en")
    assert "was due on 2026-11-20" in english and "by 2026-11-20" not in english
    chinese = _texts(notice, "zh-hans")
    assert "已于 2026-11-20 到期" in chinese and "前完成" not in chinese
    reminders_send(today=dt.date(2026, 11, 22))
    assert Notification.objects.filter(user=learner.user, kind="overdue").count() == 1

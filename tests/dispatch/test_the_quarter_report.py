"""The quarter's compliance report the platform drafts, gathered through each app's selectors
(training, exams, violations, commendations and penalties, spot checks, staffing, the duty log),
shown as a page and downloaded as a Word document that names the quarter."""

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt, ExamKind
from lms.dispatch import selectors, services
from lms.dispatch.quarters import Quarter, quarter_of
from lms.duties import services as duties
from lms.learning.models import Enrolment
from lms.records.models import Award, Violation, ViolationNature
from lms.word import docx_text
from tests.dispatch.conftest import Q, meeting_data
from tests.factories.assessments import make_exam
from tests.factories.content import course
from tests.factories.spotchecks import make_world, run_to_drawn

pytestmark = pytest.mark.django_db


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


def enrol(world, who, **fields):
    staff = world["staff"][who]
    return Enrolment.objects.create(
        user=staff.user, staff=staff, course=fields.pop("course"), source="curriculum", **fields
    )


def test_the_figures_of_the_quarter_come_from_every_app(world):
    org, s = world["org"], world["staff"]
    page = course(title="反商业贿赂")
    inside, before = at(date(2025, 5, 10)), at(date(2025, 3, 10))
    enrol(
        world,
        "learner",
        course=page,
        assigned_at=inside,
        status="completed",
        completed_at=inside,
        cycle=1,
    )
    enrol(world, "admin", course=page, assigned_at=inside, due_on=date(2025, 6, 1), cycle=1)
    enrol(world, "part_time", course=page, assigned_at=before, due_on=date(2025, 3, 1), cycle=1)
    Enrolment.objects.create(
        user=s["head"].user, staff=s["head"], course=page, source="self", assigned_at=inside
    )  # self-enrolled: not mandatory
    exam = make_exam(org, kind=ExamKind.ANNUAL, title="年度合规考试")
    for who, passed in (("learner", True), ("admin", False)):
        Attempt.objects.create(
            exam=exam,
            user=s[who].user,
            seed=1,
            started_at=inside,
            deadline=inside,
            status=Attempt.Status.GRADED,
            passed=passed,
            graded_at=inside,
        )
    nature = ViolationNature.objects.create(organisation=org, name="收受礼品")
    for severity, status in (
        ("general", "confirmed"),
        ("general", "dismissed"),
        ("major", "awaiting_statement"),
    ):
        Violation.objects.create(
            organisation=org,
            staff=s["learner"],
            occurred_on=date(2025, 5, 2),
            nature=nature,
            severity=severity,
            status=status,
            description="违规",
            reported_by=world["head"],
            statement_due=date(2025, 5, 9),
        )
    for kind in ("praise", "warning", "warning"):
        Award.objects.create(
            organisation=org,
            kind=kind,
            staff=s["learner"],
            reason="理由",
            decided_by=world["head"],
            decided_on=date(2025, 6, 3),
        )
    duties.duty_entry_record(
        actor=world["admin"],
        organisation_id=org.pk,
        kind="risk_screening",
        occurred_on=date(2025, 4, 8),
        description="排查",
        zero_risk=True,
    )
    services.meeting_record(actor=world["head"], **meeting_data(world))

    report = selectors.quarter_report(organisation=org, quarter=Q, today=date(2026, 1, 5))
    assert report["training"] == {"assigned": 2, "completed": 1, "overdue": 2}
    assert report["exams"] == {"sat": 2, "passed": 1, "failed": 1}
    by_severity = {v["severity"]: v for v in report["violations"]}
    assert (by_severity["general"]["reported"], by_severity["general"]["confirmed"]) == (1, 1)
    assert by_severity["major"]["open"] == 1
    assert (report["awards"]["commendations"], report["awards"]["penalties"]) == (1, 2)
    assert [p.user.full_name for p in report["staffing"]][:3] == ["周总经理", "吴首席", "张负责人"]
    assert "赵学员" not in [p.user.full_name for p in report["staffing"]]
    assert report["duties"]["total"] == 1
    assert len(report["meetings"]) == 1
    other = selectors.quarter_report(
        organisation=org, quarter=Quarter(2025, 1), today=date(2026, 1, 5)
    )
    assert other["exams"]["sat"] == 0 and other["awards"]["penalties"] == 0


def test_a_spot_check_and_its_rectification_are_in_the_quarter(db):
    spot = make_world(enterprises=1)
    run_to_drawn(spot, enterprise_count_value=1)
    enterprise = spot.enterprises[0]
    figures = selectors.quarter_report(
        organisation=enterprise, quarter=quarter_of(timezone.localdate())
    )["spot_checks"]
    assert [c["campaign"] for c in figures["checks"]] == ["2026年网络交易平台合规人员抽查"]
    assert figures["checks"][0]["drawn"] == 1


def test_the_head_downloads_the_word_report_naming_the_quarter(client, world):
    services.meeting_record(actor=world["head"], **meeting_data(world))
    client.force_login(world["principal"])
    address = reverse("dispatch:quarter") + f"?org={world['org'].pk}&quarter={Q.code}"
    page = client.get(address)
    assert page.status_code == 200 and "2025年第2季度" in page.text
    response = client.get(
        reverse("dispatch:quarter_word") + f"?org={world['org'].pk}&quarter={Q.code}"
    )
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "2025-Q2" in response["Content-Disposition"]
    text = docx_text(response.content)
    assert "合规管理工作报告（2025年第2季度）" in text
    assert world["org"].name in text
    assert "一、培训完成情况" in text and "六、合规人员配备" in text
    assert "采购部问题限期整改" in text  # the meeting's decisions
    assert "张负责人" in text and "周总经理" in text


def test_a_quarter_without_a_meeting_leaves_room_for_the_principal(client, world):
    client.force_login(world["head"])
    response = client.get(
        reverse("dispatch:quarter_word") + f"?org={world['org'].pk}&quarter={Q.code}"
    )
    text = docx_text(response.content)
    assert "本季度尚未记录调度会议" in text and "主要负责人意见" in text
    page = client.get(reverse("dispatch:quarter") + f"?org={world['org'].pk}&quarter={Q.code}")
    assert "缺失：未记录调度会议" in page.text

"""A confirmed violation has the policy's consequences: the person is enrolled in the remedial
curriculum (整改学习, in 我的学习) and barred from key and compliance positions for the policy's
months, the refusal naming the violation's date and when the bar lifts. A dismissed violation
has none."""

import copy
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from lms.audit.models import AuditEntry
from lms.learning.models import Enrolment
from lms.organisations import services as organisations
from lms.organisations.models import Appointment, ComplianceRole
from lms.records import scoring, services
from lms.records.scoring import DEFAULT_RULES
from tests.factories.content import course, curriculum
from tests.factories.organisations import PositionFactory, person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
OCCURRED = TODAY - timedelta(days=2)


@pytest.fixture
def world(org):
    ethics, gifts = course(title="廉洁从业整改课"), course(title="礼品与招待规定")
    remedial = curriculum(courses=[ethics, gifts], owner=org, name="违规整改学习")
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD).user
    rules = copy.deepcopy(DEFAULT_RULES)
    rules["remedial"] = {
        "from_severity": "major",
        "curriculum": remedial.pk,
        "courses": [],
        "due_days": 30,
    }
    rules["gate_months"] = {"serious": 12}
    services.policy_save(organisation=org, year=OCCURRED.year, rules=rules, actor=head)
    return {
        "org": org,
        "head": head,
        "admin": person(org, role=ComplianceRole.ADMIN_FULL_TIME).user,
        "cco": person(org, role=ComplianceRole.CHIEF_COMPLIANCE_OFFICER).user,
        "seller": person(org, user__full_name="王销售"),
        "courses": [ethics, gifts],
    }


def violation_of(world, *, severity="serious", confirm=True, today=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        violation = services.violation_report(
            actor=world["admin"],
            staff=world["seller"],
            occurred_on=OCCURRED if today is None else today - timedelta(days=2),
            nature="收受供应商礼品",
            severity=severity,
            description="在采购过程中收受供应商购物卡。",
            today=today,
        )
        services.violation_statement_give(
            user=world["seller"].user, violation=violation, statement="请求从轻处理。", today=today
        )
        return services.violation_decide(
            actor=world["head"], violation=violation, confirm=confirm, reason="核实", today=today
        )


def propose(world, position):
    return organisations.appointment_request(
        staff=world["seller"], position=position, actor=world["admin"]
    )


def test_a_confirmed_violation_enrols_the_person_in_the_remedial_curriculum(client, world):
    violation_of(world)
    enrolments = Enrolment.objects.filter(user=world["seller"].user)
    assert {e.course_id for e in enrolments} == {c.pk for c in world["courses"]}
    assert {e.due_on for e in enrolments} == {TODAY + timedelta(days=30)}
    assert all("2" in e.reason and "收受供应商礼品" in e.reason for e in enrolments)
    assert AuditEntry.objects.filter(action="enrolment.assign_remedial").count() == 1
    consequences = AuditEntry.objects.get(action="records.violation_consequences")
    assert len(consequences.data["remedial_courses"]) == 2
    client.force_login(world["seller"].user)
    page = client.get(reverse("learning:my_learning")).content.decode()
    assert "廉洁从业整改课" in page and "礼品与招待规定" in page


def test_a_second_confirmed_violation_enrols_nobody_twice(world):
    violation_of(world)
    violation_of(world, severity="major")
    assert Enrolment.objects.filter(user=world["seller"].user).count() == 2


def test_a_violation_below_the_remedial_severity_enrols_nobody_and_bars_nothing(world):
    violation = violation_of(world, severity="general")
    assert not Enrolment.objects.exists()
    assert violation.barred_until is None


def test_a_serious_violation_bars_key_and_compliance_positions_with_date_and_lifting(client, world):
    violation = violation_of(world)
    lifts = scoring.add_months(TODAY, 12)
    assert violation.barred_until == lifts
    client.force_login(world["seller"].user)
    page = client.get(reverse("records:violation", args=[violation.pk])).content.decode()
    assert "关键岗位和合规岗位任职限制至" in page and lifts.isoformat() in page
    key = PositionFactory(organisation=world["org"], name="采购经理", is_key=True)
    compliance = PositionFactory(
        organisation=world["org"],
        name="兼职合规管理员",
        compliance_role=ComplianceRole.ADMIN_PART_TIME,
    )
    plain = PositionFactory(organisation=world["org"], name="销售代表")
    for position in (key, compliance):
        appointment = propose(world, position)
        with pytest.raises(organisations.AppointmentRefused) as refused:
            organisations.appointment_approve(appointment=appointment, actor=world["cco"])
        (reason,) = [r for r in refused.value.reasons if "王销售" in r]
        assert OCCURRED.isoformat() in reason and lifts.isoformat() in reason
        assert "严重" in reason
        appointment.delete()
    appointment = propose(world, plain)
    organisations.appointment_approve(appointment=appointment, actor=world["cco"])
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.APPROVED


def test_the_bar_lifts_after_the_policy_months(world):
    long_ago = TODAY - timedelta(days=800)
    violation = violation_of(world, today=long_ago)
    assert violation.barred_until == scoring.add_months(long_ago, 12) < TODAY
    key = PositionFactory(organisation=world["org"], name="采购经理", is_key=True)
    appointment = propose(world, key)
    organisations.appointment_approve(appointment=appointment, actor=world["cco"])
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.APPROVED


def test_a_dismissed_violation_triggers_nothing(world):
    violation = violation_of(world, confirm=False)
    assert violation.barred_until is None
    assert not Enrolment.objects.exists()
    assert not AuditEntry.objects.filter(action="records.violation_consequences").exists()
    key = PositionFactory(organisation=world["org"], name="采购经理", is_key=True)
    appointment = propose(world, key)
    organisations.appointment_approve(appointment=appointment, actor=world["cco"])
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.APPROVED


def test_consequences_the_policy_cannot_hold_are_refused_whole(world):
    bad = copy.deepcopy(DEFAULT_RULES)
    bad["gate_months"] = {"serious": "1.5", "unknown": 3}
    bad["remedial"] = {"from_severity": "mild", "curriculum": "abc", "due_days": 0}
    with pytest.raises(ValidationError) as refused:
        services.policy_save(organisation=world["org"], year=2026, rules=bad, actor=world["head"])
    assert len(refused.value.messages) == 5


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 3, 15), 12, date(2027, 3, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
    ],
)
def test_months_are_added_to_the_same_day_or_the_months_last(day, months, expected):
    assert scoring.add_months(day, months) == expected


def test_the_head_sets_the_consequences_on_the_policy_page(client, world, other_org):
    from tests.records.test_edit_scoring_policy import form

    client.force_login(world["head"])
    url = reverse("records:policy")
    page = client.get(url, {"org": world["org"].pk, "year": 2026}).content.decode()
    assert "违规整改学习" in page
    remedial = curriculum(courses=world["courses"], owner=world["org"], name="第二套整改")
    data = form(
        world["org"],
        remedial_curriculum=remedial.pk,
        remedial_from="general",
        remedial_due_days="14",
        gate_general="0",
        gate_major="6",
        gate_serious="12",
        gate_very_serious="36",
    )
    assert client.post(url, data).status_code == 302
    rules = services.policy_for(organisation_id=world["org"].pk, year=2026).rules
    assert rules["remedial"]["curriculum"] == remedial.pk and rules["remedial"]["due_days"] == "14"
    assert scoring.gate_months_for(rules, "major") == 6
    foreign = curriculum(courses=[], owner=other_org, name="别家方案")
    response = client.post(url, {**data, "remedial_curriculum": foreign.pk, "gate_major": "-1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "整改" in html and "月" in html

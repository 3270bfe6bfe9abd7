"""Reminders before the due date, on it, weekly when overdue, escalated; each sent once."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from lms.learning.models import Enrolment
from lms.learning.services import assignment_run, reminder_event
from lms.learning.tasks import reminders_send_daily
from lms.notifications.models import Notification
from lms.organisations.models import ComplianceRole
from tests.factories import content as cf
from tests.factories.organisations import DepartmentFactory, person

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 8, tzinfo=TZ), tick=False)


@pytest.mark.parametrize(
    ("days_from_due", "expected"),
    [
        (-10, None),
        (-7, ("before_due", "before")),
        (-1, ("before_due", "before")),
        (0, ("due", "due")),
        (1, ("overdue", "overdue-w0")),
        (7, ("overdue", "overdue-w0")),
        (8, ("overdue", "overdue-w1")),
        (15, ("overdue", "overdue-w2")),
    ],
)
def test_which_reminder_a_day_calls_for(days_from_due, expected):
    due = dt.date(2026, 4, 30)
    assert reminder_event(due_on=due, today=due + dt.timedelta(days=days_from_due)) == expected


@pytest.fixture
def setup(org):
    department = DepartmentFactory(organisation=org, name="商家管理部")
    learner = person(org, department=department)
    dept_admin = person(org, role=ComplianceRole.ADMIN_PART_TIME, department=department)
    org_admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    course = cf.course(title="网络交易平台合规管理主体责任", lessons=1)
    return {"learner": learner, "dept_admin": dept_admin, "org_admin": org_admin, "course": course}


def _assign(org, staff, course, due):
    return Enrolment.objects.create(
        user=staff.user, staff=staff, course=course, source="manual", due_on=due
    )


def test_a_learner_is_reminded_before_on_and_weekly_after_the_due_date(org, setup):
    due = dt.date(2026, 4, 30)
    enrolment = _assign(org, setup["learner"], setup["course"], due)
    learner_mail = lambda: [m for m in mail.outbox if setup["learner"].user.email in m.to]  # noqa: E731
    with at(due - dt.timedelta(days=10)):
        reminders_send_daily()
    assert learner_mail() == []
    for day in range(-5, 0):
        with at(due + dt.timedelta(days=day)):
            reminders_send_daily()
    assert len(learner_mail()) == 1 and "即将到期" in learner_mail()[0].subject
    with at(due):
        reminders_send_daily()
        reminders_send_daily()
    assert len(learner_mail()) == 2 and "今日到期" in learner_mail()[1].subject
    for day in range(1, 16):
        with at(due + dt.timedelta(days=day)):
            reminders_send_daily()
    overdue = [m for m in learner_mail() if "已逾期" in m.subject]
    assert len(overdue) == 3  # days 1, 8 and 15
    kinds = list(
        Notification.objects.filter(user=setup["learner"].user).values_list("kind", flat=True)
    )
    assert sorted(kinds) == ["before_due", "due", "overdue", "overdue", "overdue"]
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.save()
    with at(due + dt.timedelta(days=22)):
        reminders_send_daily()
    assert len([m for m in learner_mail() if "已逾期" in m.subject]) == 3


def test_overdue_escalates_to_the_department_administrator_first(org, setup):
    due = dt.date(2026, 4, 30)
    _assign(org, setup["learner"], setup["course"], due)
    with at(due + dt.timedelta(days=1)):
        reminders_send_daily()
    escalations = Notification.objects.filter(kind="escalation")
    assert [n.user for n in escalations] == [setup["dept_admin"].user]
    assert setup["learner"].user.full_name in escalations[0].subject
    assert any(setup["dept_admin"].user.email in m.to for m in mail.outbox)


def test_without_a_department_administrator_the_organisations_administrator_is_told(org):
    learner = person(org)
    org_admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    course = cf.course(lessons=1)
    due = dt.date(2026, 4, 30)
    _assign(org, learner, course, due)
    with at(due + dt.timedelta(days=2)):
        reminders_send_daily()
    assert list(Notification.objects.filter(kind="escalation").values_list("user", flat=True)) == [
        org_admin.user.pk
    ]


def test_a_retried_run_never_sends_a_reminder_twice(org, setup):
    due = dt.date(2026, 4, 30)
    _assign(org, setup["learner"], setup["course"], due)
    with at(due + dt.timedelta(days=1)):
        reminders_send_daily()
        first = len(mail.outbox)
        reminders_send_daily()
        reminders_send_daily()
    assert len(mail.outbox) == first == 2  # the learner and the department administrator
    assert Notification.objects.count() == 2


def test_the_notification_list_shows_my_reminders(client, org, setup):
    due = dt.date.today()
    _assign(org, setup["learner"], setup["course"], due)
    reminders_send_daily()
    client.force_login(setup["learner"].user)
    page = client.get("/notifications/").content.decode()
    assert "课程今日到期：网络交易平台合规管理主体责任" in page
    client.post("/notifications/read/")
    assert not Notification.objects.filter(read_at__isnull=True, user=setup["learner"].user)


def test_assignment_then_reminders_over_a_course_lifetime(org):
    learner = person(org)
    course = cf.course(lessons=1)
    cf.curriculum(courses=[course], owner=org, audience_everyone=True, due_days=10)
    with at(dt.date(2026, 9, 1)):
        assignment_run(organisation=org)
    with at(dt.date(2026, 9, 11)):
        reminders_send_daily()
    assert Notification.objects.get(user=learner.user).kind == "due"

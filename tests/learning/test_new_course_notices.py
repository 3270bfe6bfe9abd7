"""People hear of newly assigned mandatory courses once, and see unread notices in the menu."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from lms.learning.models import Enrolment
from lms.learning.services import assignment_notices_send, assignment_run
from lms.learning.tasks import assignment_notices_send_hourly
from lms.notifications.models import Notification
from lms.organisations.models import Staff
from tests.factories import content as cf
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour: int = 9):
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False
    )


def test_new_courses_are_announced_once_in_one_notice_per_person(org):
    learner = person(org)
    first = cf.course(title="反商业贿赂合规")
    second = cf.course(title="个人信息保护合规")
    cf.curriculum(courses=[first, second], owner=org, audience_everyone=True, due_days=30)
    with at(dt.date(2026, 9, 1)):
        assignment_run(organisation=org)
        assert assignment_notices_send_hourly.delay().get() == 1
        assert assignment_notices_send() == 0, "a rerun announces nothing again"

    notice = Notification.objects.get(user=learner.user)
    assert notice.kind == "assigned"
    assert notice.subject == "2 门新的必修课程"
    assert "“反商业贿赂合规”，截止日期 2026-10-01" in notice.body
    assert "“个人信息保护合规”" in notice.body
    assert notice.link == "/learn/"
    assert [m.to for m in mail.outbox] == [[learner.user.email]]


def test_a_course_added_later_gets_its_own_notice(org):
    learner = person(org)
    cf.curriculum(courses=[cf.course(title="课程甲")], owner=org, audience_everyone=True)
    with at(dt.date(2026, 9, 1)):
        assignment_run(organisation=org)
        assignment_notices_send()
    cf.curriculum(courses=[cf.course(title="课程乙")], owner=org, audience_everyone=True)
    with at(dt.date(2026, 9, 2)):
        assignment_run(organisation=org)
        assert assignment_notices_send() == 1
    subjects = list(
        Notification.objects.filter(user=learner.user)
        .order_by("pk")
        .values_list("subject", flat=True)
    )
    assert subjects == ["新的必修课程：课程甲", "新的必修课程：课程乙"]


def test_waived_courses_people_who_left_and_old_enrolments_are_not_announced(org):
    leaver = person(org, status=Staff.Status.LEFT)
    waived = person(org)
    old = person(org)
    course = cf.course()
    with at(dt.date(2026, 9, 1)):
        Enrolment.objects.create(user=leaver.user, staff=leaver, course=course, source="manual")
        Enrolment.objects.create(
            user=waived.user, staff=waived, course=course, source="manual", status="waived"
        )
    with at(dt.date(2026, 8, 1)):
        Enrolment.objects.create(user=old.user, staff=old, course=course, source="manual")
    with at(dt.date(2026, 9, 1)):
        assert assignment_notices_send() == 0
    assert not Notification.objects.exists()


def test_the_menu_shows_how_many_notices_are_unread(client, org):
    learner = person(org)
    cf.curriculum(courses=[cf.course()], owner=org, audience_everyone=True)
    assignment_run(organisation=org)
    assignment_notices_send()
    client.force_login(learner.user)
    html = client.get("/learn/").content.decode()
    assert 'class="nav-count"' in html and ">1</span>" in html
    client.post("/notifications/read/")
    assert 'class="nav-count"' not in client.get("/learn/").content.decode()


def test_the_home_page_shows_the_newest_unread_notices(client, org):
    learner = person(org)
    cf.curriculum(courses=[cf.course(title="数据合规")], owner=org, audience_everyone=True)
    assignment_run(organisation=org)
    assignment_notices_send()
    client.force_login(learner.user)
    html = client.get("/").content.decode()
    assert 'id="panel-notices"' in html and "新的必修课程：数据合规" in html
    client.post("/notifications/read/")
    assert 'id="panel-notices"' not in client.get("/").content.decode()

"""Every year beat opens the annual exam from the organisation's template, with reminders."""

import datetime

import pytest
import time_machine
from django.core import mail

from assessments import services
from assessments.models import AnnualExamTemplate, Exam, ExamKind
from assessments.tasks import open_annual_exams, send_exam_reminders, submit_expired_attempts
from lms.organisations.models import ComplianceRole
from tests.factories.assessments import fill_bank, make_bank, make_blueprint
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(org):
    bank = make_bank(org)
    fill_bank(bank, count=5)
    return AnnualExamTemplate.objects.create(
        organisation=org,
        title="年度合规考试",
        blueprint=make_blueprint(bank),
        opens_month=3,
        opens_day=1,
        window_days=30,
        reminder_days_before_close=7,
    )


def test_the_annual_exam_opens_on_its_date_for_everyone_in_a_compliance_role(org, template):
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD).user
    admin = person(org, role=ComplianceRole.ADMIN_PART_TIME).user
    clerk = person(org, role=ComplianceRole.NONE).user
    with time_machine.travel(datetime.datetime(2027, 2, 28, 9, 0), tick=False):
        assert open_annual_exams.delay().get() == []
    with time_machine.travel(datetime.datetime(2027, 3, 1, 9, 0), tick=False):
        [exam_id] = open_annual_exams.delay().get()
        assert open_annual_exams.delay().get() == [exam_id], "idempotent"
    exam = Exam.objects.get(pk=exam_id)
    assert exam.kind == ExamKind.ANNUAL and exam.title == "年度合规考试 2027"
    assert set(exam.candidates.values_list("user_id", flat=True)) == {head.pk, admin.pk}
    assert clerk.pk not in exam.candidates.values_list("user_id", flat=True)
    with time_machine.travel(datetime.datetime(2028, 3, 2, 9, 0), tick=False):
        open_annual_exams.delay()
    assert Exam.objects.filter(annual_template=template).count() == 2


def test_reminders_are_sent_once_when_opened_and_once_before_closing(org, template):
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD).user
    with time_machine.travel(datetime.datetime(2027, 3, 1, 9, 0), tick=False):
        open_annual_exams.delay()
        assert send_exam_reminders.delay().get() == 1
        assert send_exam_reminders.delay().get() == 0
    with time_machine.travel(datetime.datetime(2027, 3, 26, 9, 0), tick=False):
        assert send_exam_reminders.delay().get() == 1
        assert send_exam_reminders.delay().get() == 0
    assert [m.to for m in mail.outbox] == [[head.email], [head.email]]
    # and both are in the person's notification list (通知), linking to 我的考试
    from lms.notifications.models import Notification

    notices = Notification.objects.filter(user=head, kind="exam")
    assert notices.count() == 2
    assert {n.link for n in notices} == {"/exams/"}


def test_the_sweep_submits_expired_attempts_at_their_deadline_with_their_answers(org, template):
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD).user
    with time_machine.travel(datetime.datetime(2027, 3, 1, 9, 0), tick=False):
        [exam_id] = open_annual_exams.delay().get()
        exam = Exam.objects.get(pk=exam_id)
        exam.time_limit_minutes = 30
        exam.save()
        attempt = services.attempt_start(exam=exam, user=head)
        item = attempt.items.first()
        services.response_save(
            attempt_id=attempt.pk,
            user_id=head.pk,
            question_id=item.question_id,
            answer=["B"],
            seq=1,
        )
    with time_machine.travel(datetime.datetime(2027, 3, 1, 9, 30, 30), tick=False):
        assert submit_expired_attempts.delay().get() == 0, "the grace for saves in flight"
    with time_machine.travel(datetime.datetime(2027, 3, 1, 9, 31, 30), tick=False):
        assert submit_expired_attempts.delay().get() == 1
    attempt.refresh_from_db()
    assert attempt.status == "graded" and attempt.auto_submitted
    assert attempt.submitted_at == attempt.deadline
    assert attempt.items.get(pk=item.pk).answer == ["B"]

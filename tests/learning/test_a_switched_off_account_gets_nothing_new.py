"""One definition of who is active (on the roster as 在岗, an account that may sign in, an
active organisation): a person whose account is switched off, or whose organisation is, is given
no new course, no exam place and no reminder, and is no compliance administrator to escalate to."""

import datetime as dt

import pytest
from django.core import mail

from assessments.services.exams import audience_staff
from lms.learning.models import Enrolment
from lms.learning.selectors import escalation_recipients, staff_in_curriculum_audience
from lms.learning.services import assignment_run, reminders_send
from lms.organisations.models import ComplianceRole, Staff
from lms.organisations.selectors import staff_active, staff_for_login
from tests.factories import content as cf
from tests.factories.assessments import make_exam
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


def _switch_off(staff: Staff) -> None:
    staff.user.is_active = False
    staff.user.save(update_fields=["is_active"])


def test_a_switched_off_account_is_not_active_staff(org):
    working = person(org)
    gone = person(org)
    _switch_off(gone)
    on_leave = person(org, status=Staff.Status.ON_LEAVE)
    active = set(staff_active().filter(organisation=org))
    assert working in active
    assert gone not in active
    assert on_leave not in active
    assert not staff_for_login(employee_number=gone.employee_number).exists()


def test_a_switched_off_account_is_given_no_course(org, course):
    working = person(org)
    gone = person(org)
    _switch_off(gone)
    curriculum = cf.curriculum(courses=[course], owner=org, audience_everyone=True)
    assert gone not in set(staff_in_curriculum_audience(curriculum=curriculum, organisation=org))
    assignment_run(organisation=org)
    assert Enrolment.objects.filter(user=working.user, course=course).exists()
    assert not Enrolment.objects.filter(user=gone.user).exists()


def test_an_inactive_organisation_gives_its_people_nothing(org, course):
    someone = person(org)
    org.is_active = False
    org.save(update_fields=["is_active"])
    assert not staff_active().filter(pk=someone.pk).exists()
    cf.curriculum(courses=[course], owner=org, audience_everyone=True)
    assert assignment_run(organisation=org) == 0


def test_a_switched_off_account_gets_no_exam_place(org):
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD)
    gone = person(org, role=ComplianceRole.COMPLIANCE_HEAD)
    _switch_off(gone)
    exam = make_exam(org, audience_roles=[ComplianceRole.COMPLIANCE_HEAD])
    assert set(audience_staff(exam=exam)) == {head}


def test_a_switched_off_account_is_not_reminded_nor_escalated_to(org, course):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    learner = person(org)
    cf.curriculum(courses=[course], owner=org, audience_everyone=True)
    assignment_run(organisation=org)
    Enrolment.objects.filter(user=learner.user).update(due_on=dt.date.today())
    _switch_off(learner)
    mail.outbox.clear()
    reminders_send()
    assert learner.user.email not in {r for m in mail.outbox for r in m.to}
    assert admin.user in escalation_recipients(staff=learner)
    _switch_off(admin)
    assert admin.user not in escalation_recipients(staff=learner)

"""Curricula assign courses to the right people, idempotently, and never erase history."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError

from lms.learning.models import Enrolment
from lms.learning.selectors import staff_in_curriculum_audience
from lms.learning.services import assignment_run, assignment_run_all
from lms.organisations.models import ComplianceRole, Staff
from lms.organisations.services import staff_save
from tests.factories import content as cf
from tests.factories.organisations import DepartmentFactory, PositionFactory, person

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def _enrolled(staff, course=None):
    qs = Enrolment.objects.filter(user=staff.user)
    return qs.filter(course=course) if course else qs


def test_each_audience_criterion_selects_its_people(org, department, key_position):
    sub = DepartmentFactory(organisation=org, name="运营一组", parent=department)
    manager = PositionFactory(organisation=org, name="部门经理", is_management=True)
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD)
    buyer = person(org, position=key_position)
    boss = person(org, position=manager)
    in_sub = person(org, department=sub)
    today = dt.date.today()
    recruit = person(org, hire_date=today - dt.timedelta(days=10))
    veteran = person(org, hire_date=today - dt.timedelta(days=400))
    course = cf.course(lessons=1)

    def audience(**fields):
        c = cf.curriculum(courses=[course], owner=org, **fields)
        return set(staff_in_curriculum_audience(curriculum=c, organisation=org))

    assert audience(audience_roles=[ComplianceRole.COMPLIANCE_HEAD]) == {head}
    assert audience(audience_key_positions=True) == {buyer}
    assert audience(audience_high_risk_positions=True) == {buyer}
    assert audience(audience_management_positions=True) == {boss}
    by_department = cf.curriculum(courses=[course], owner=org)
    by_department.audience_departments.add(department)
    assert set(staff_in_curriculum_audience(curriculum=by_department, organisation=org)) == {in_sub}
    assert audience(audience_new_hire_days=30) == {recruit}
    everyone = audience(audience_everyone=True)
    assert {head, buyer, boss, in_sub, recruit, veteran} <= everyone


def test_a_curriculum_of_one_organisation_never_reaches_another(org, other_org, course):
    theirs = person(other_org)
    c = cf.curriculum(courses=[course], owner=org, audience_everyone=True)
    assert not staff_in_curriculum_audience(curriculum=c, organisation=other_org).exists()
    assignment_run(organisation=other_org)
    assert not _enrolled(theirs).exists()


def test_running_assignment_again_changes_nothing(org, learner, course):
    second = cf.course(lessons=1)
    cf.curriculum(courses=[course, second], audience_everyone=True, due_days=14)
    assert assignment_run(organisation=org) == 2
    assert assignment_run(organisation=org) == 0
    assert assignment_run_all() == 0
    enrolment = _enrolled(learner, course).get()
    assert enrolment.due_on == dt.date.today() + dt.timedelta(days=14)
    assert enrolment.source == Enrolment.Source.CURRICULUM


def test_the_database_refuses_a_second_enrolment_for_the_same_cycle(org, learner, course):
    cf.curriculum(courses=[course], audience_everyone=True)
    assignment_run(organisation=org)
    with pytest.raises(IntegrityError):
        Enrolment.objects.create(
            user=learner.user, staff=learner, course=course, cycle=0, source="manual"
        )


def test_a_change_of_position_assigns_the_new_roles_courses(
    org, learner, key_position, course, django_capture_on_commit_callbacks
):
    cf.curriculum(courses=[course], owner=org, audience_key_positions=True)
    assert not _enrolled(learner).exists()
    learner.position = key_position
    with django_capture_on_commit_callbacks(execute=True):
        staff_save(staff=learner)
    assert _enrolled(learner, course).exists()


def test_leaving_the_audience_keeps_the_enrolment_and_its_history(
    org, learner, key_position, course, django_capture_on_commit_callbacks
):
    cf.curriculum(courses=[course], owner=org, audience_key_positions=True)
    learner.position = key_position
    with django_capture_on_commit_callbacks(execute=True):
        staff_save(staff=learner)
    learner.position = None
    learner.status = Staff.Status.LEFT
    with django_capture_on_commit_callbacks(execute=True):
        staff_save(staff=learner)
    assignment_run(organisation=org)
    assert _enrolled(learner, course).count() == 1


def test_new_hires_are_enrolled_while_new_and_kept_after(org, course):
    cf.curriculum(courses=[course], owner=org, audience_new_hire_days=30, due_days=30)
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=TZ), tick=False):
        recruit = person(org, hire_date=dt.date(2026, 2, 20))
        assignment_run(organisation=org)
        assert _enrolled(recruit).get().due_on == dt.date(2026, 3, 31)
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=TZ), tick=False):
        late = person(org, hire_date=dt.date(2026, 1, 1))
        assignment_run(organisation=org)
        assert _enrolled(recruit).count() == 1
        assert not _enrolled(late).exists()


def test_a_yearly_curriculum_opens_next_years_enrolments_and_keeps_last_years(org, course):
    cf.curriculum(courses=[course], owner=org, audience_everyone=True, refresh="yearly")
    with time_machine.travel(dt.datetime(2026, 5, 1, 9, tzinfo=TZ), tick=False):
        member = person(org)
        assignment_run_all()
        assignment_run_all()
    Enrolment.objects.filter(user=member.user).update(status=Enrolment.Status.COMPLETED)
    with time_machine.travel(dt.datetime(2027, 1, 1, 2, tzinfo=TZ), tick=False):
        assignment_run_all()
        assignment_run_all()
    cycles = dict(Enrolment.objects.filter(user=member.user).values_list("cycle", "status"))
    assert cycles == {2026: "completed", 2027: "assigned"}


def test_archived_courses_and_inactive_curricula_assign_nobody(org, learner, course):
    archived = cf.course(lessons=1, is_archived=True)
    cf.curriculum(courses=[archived], audience_everyone=True)
    cf.curriculum(courses=[course], audience_everyone=True, is_active=False)
    assert assignment_run(organisation=org) == 0

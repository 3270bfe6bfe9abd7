"""Every result a person gets (a mandatory course, an exam, a certificate, a spot check) enters
their compliance record once, through the signals the lower apps send; a backfill does the
same for results that came before, and running it twice adds nothing."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from assessments import services as exams
from assessments.models import ExamKind
from assessments.spotchecks import services as spotchecks
from assessments.spotchecks.models import DrawnPerson
from certificates import services as certificates
from lms.learning import services as learning
from lms.learning.models import Enrolment
from lms.organisations.models import ComplianceRole
from lms.records import receivers
from lms.records.models import LedgerEntry
from tests.factories import content
from tests.factories.assessments import make_exam
from tests.factories.certificates import CertificateTemplateFactory, issue
from tests.factories.organisations import DepartmentFactory, person
from tests.factories.spotchecks import make_world, run_to_drawn

pytestmark = pytest.mark.django_db


def kinds_of(user):
    return sorted(
        LedgerEntry.objects.filter(
            user=user, reverses__isnull=True, reversed_by__isnull=True
        ).values_list("kind", flat=True)
    )


@pytest.fixture
def admin(org):
    return person(org, role="admin_full").user


@pytest.fixture
def learner(org):
    return person(org, department=DepartmentFactory(organisation=org, name="销售部"))


def complete_assigned_course(staff, admin, *, late=False):
    course = content.course(lessons=0, title="反商业贿赂")
    learning.enrolment_assign_manual(
        staff=staff, course=course, due_on=timezone.localdate(), reason="年度必修", actor=admin
    )
    if late:
        Enrolment.objects.filter(staff=staff, course=course).update(
            due_on=timezone.localdate() - timedelta(days=3)
        )
    with TestCase.captureOnCommitCallbacks(execute=True):
        learning.enrolment_refresh_completion(user=staff.user, course_page_id=course.pk)
    return Enrolment.objects.get(staff=staff, course=course)


def sit(exam, user, *, correct: bool):
    attempt = exams.attempt_start(exam=exam, user=user)
    for n, item in enumerate(attempt.items.select_related("question"), start=1):
        exams.response_save(
            attempt_id=attempt.pk,
            user_id=user.pk,
            question_id=item.question_id,
            answer=item.question.key if correct else ["A"],
            seq=n,
        )
    with TestCase.captureOnCommitCallbacks(execute=True):
        return exams.attempt_submit(attempt_id=attempt.pk, user=user)


def test_a_mandatory_course_completed_on_time_or_late(learner, admin):
    enrolment = complete_assigned_course(learner, admin)
    assert enrolment.status == Enrolment.Status.COMPLETED
    entry = LedgerEntry.objects.get(user=learner.user)
    assert entry.kind == "course_on_time" and entry.points > 0
    assert "反商业贿赂" in entry.summary and entry.department_name == "销售部"

    complete_assigned_course(learner, admin, late=True)
    assert kinds_of(learner.user) == ["course_late", "course_on_time"]


def test_exam_failed_then_passed_on_a_retake_counts_the_pass_only(org, learner):
    exam = make_exam(org, kind=ExamKind.ANNUAL, users=[learner.user], attempts_allowed=2)
    sit(exam, learner.user, correct=False)
    assert kinds_of(learner.user) == ["exam_failed"]
    sit(exam, learner.user, correct=True)
    assert kinds_of(learner.user) == ["exam_passed"]
    reversal = LedgerEntry.objects.get(user=learner.user, reverses__isnull=False)
    assert reversal.reverses.kind == "exam_failed" and reversal.reason


def test_course_quizzes_do_not_count_as_exams(org, learner):
    quiz_course = content.course(lessons=0)
    exam = make_exam(org, kind=ExamKind.COURSE_QUIZ, users=[learner.user], course=quiz_course)
    sit(exam, learner.user, correct=False)
    assert kinds_of(learner.user) == []


def test_a_certificate_gained_then_revoked_by_the_head(org, learner):
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD).user
    template = CertificateTemplateFactory(issuing_organisation=org)
    with TestCase.captureOnCommitCallbacks(execute=True):
        certificate = issue(holder=learner.user, template=template)
    assert kinds_of(learner.user) == ["certificate_gained"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        certificates.certificate_revoke(certificate=certificate, reason="弄虚作假", actor=head)
    assert kinds_of(learner.user) == ["certificate_gained", "certificate_revoked"]
    assert "弄虚作假" in LedgerEntry.objects.get(kind="certificate_revoked").summary


def test_a_certificate_the_system_revokes_is_simply_taken_back(org, learner):
    template = CertificateTemplateFactory(issuing_organisation=org)
    with TestCase.captureOnCommitCallbacks(execute=True):
        certificate = issue(holder=learner.user, template=template)
    with TestCase.captureOnCommitCallbacks(execute=True):
        certificates.certificate_revoke(certificate=certificate, reason="误发", actor=None)
    assert kinds_of(learner.user) == []


def test_spot_check_verdicts_passed_failed_and_absent_enter_the_ledger_at_close():
    world = make_world(enterprises=2)
    campaign = run_to_drawn(world, roles={"admin_full": 2})
    with TestCase.captureOnCommitCallbacks(execute=True):
        spotchecks.campaign_start(campaign=campaign, actor=world.officer)
    campaign.refresh_from_db()
    people = list(DrawnPerson.objects.filter(campaign=campaign).order_by("pk"))
    assert len(people) == 4
    sit(campaign.exam, people[0].user, correct=True)
    sit(campaign.exam, people[1].user, correct=False)
    assert not LedgerEntry.objects.exists()  # nothing is final before the campaign closes
    with TestCase.captureOnCommitCallbacks(execute=True):
        spotchecks.campaign_close(campaign=campaign, actor=world.officer)
    assert kinds_of(people[0].user) == ["spotcheck_passed"]
    assert kinds_of(people[1].user) == ["spotcheck_failed"]
    assert kinds_of(people[2].user) == ["spotcheck_absent"]
    entry = LedgerEntry.objects.get(user=people[2].user)
    assert entry.organisation_id == people[2].staff.organisation_id
    assert campaign.title in entry.summary


def test_the_listener_uses_the_same_number_of_queries_however_many_entries(
    org, learner, django_assert_max_num_queries
):
    template = CertificateTemplateFactory(issuing_organisation=org)
    first = issue(holder=learner.user, template=template)
    with django_assert_max_num_queries(8) as few:
        receivers.on_certificate_issued(None, certificate=first)
    for n in range(30):
        receivers.on_certificate_issued(
            None, certificate=issue(holder=learner.user, template=template, title=f"证书{n}")
        )
    last = issue(holder=learner.user, template=template, title="最后一张")
    with django_assert_max_num_queries(len(few.captured_queries)):
        receivers.on_certificate_issued(None, certificate=last)
    assert LedgerEntry.objects.filter(user=learner.user).count() == 32


def test_the_exam_listener_query_count_does_not_grow_with_entries(
    org, learner, django_assert_max_num_queries
):
    exam = make_exam(org, kind=ExamKind.ANNUAL, users=[learner.user])
    attempt = sit(exam, learner.user, correct=True)
    with django_assert_max_num_queries(12) as few:
        receivers.on_attempt_finalised(None, attempt=attempt)
    template = CertificateTemplateFactory(issuing_organisation=org)
    for n in range(20):
        issue(holder=learner.user, template=template, title=f"证书{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        receivers.on_attempt_finalised(None, attempt=attempt)


def test_backfill_records_past_results_once(org, learner, admin):
    template = CertificateTemplateFactory(issuing_organisation=org)
    enrolment = complete_assigned_course(learner, admin)
    exam = make_exam(org, kind=ExamKind.ANNUAL, users=[learner.user])
    sit(exam, learner.user, correct=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        issue(holder=learner.user, template=template)
    listened = kinds_of(learner.user)
    assert len(listened) >= 3 and enrolment.status == Enrolment.Status.COMPLETED

    call_command("backfill_records")
    count = LedgerEntry.objects.count()
    call_command("backfill_records")
    assert LedgerEntry.objects.count() == count
    assert kinds_of(learner.user) == listened


def test_backfill_finds_results_the_ledger_never_heard_of(org, learner, admin):
    template = CertificateTemplateFactory(issuing_organisation=org)
    # results made without their signals being delivered (as before records listened)
    complete = content.course(lessons=0)
    learning.enrolment_assign_manual(
        staff=learner, course=complete, due_on=None, reason="必修", actor=admin
    )
    learning.enrolment_refresh_completion(user=learner.user, course_page_id=complete.pk)
    issue(holder=learner.user, template=template)
    assert not LedgerEntry.objects.exists()

    call_command("backfill_records")
    assert kinds_of(learner.user) == ["certificate_gained", "course_on_time"]
    call_command("backfill_records")
    assert LedgerEntry.objects.count() == 2

"""Certificates appear by themselves when a course is completed or an exam is passed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments import services as exam_services
from assessments.models import Attempt, ExamKind
from assessments.signals import attempt_finalised
from certificates import services
from certificates.models import Certificate, CertificateRule
from lms.learning import services as learning_services
from lms.learning.models import Enrolment
from lms.learning.signals import enrolment_completed
from lms.organisations.models import ComplianceRole
from tests.factories import content as content_factories
from tests.factories.assessments import make_exam
from tests.factories.certificates import CertificateTemplateFactory
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(org):
    return person(org, role=ComplianceRole.ADMIN_FULL_TIME).user


@pytest.fixture
def annual_rule(template):
    return services.certificate_rule_save(
        rule=CertificateRule(template=template, exam_kind=ExamKind.ANNUAL)
    )


def take_exam(exam, user, *, correctly: bool, capture) -> Attempt:
    attempt = exam_services.attempt_start(exam=exam, user=user)
    for item in attempt.items.select_related("question"):
        answer = item.question.key if correctly else ["A"]
        exam_services.response_save(
            attempt_id=attempt.pk,
            user_id=user.pk,
            question_id=item.question_id,
            answer=answer,
            seq=1,
        )
    with capture(execute=True):
        return exam_services.attempt_submit(attempt_id=attempt.pk, user=user)


def test_passing_an_annual_exam_issues_a_qualification(
    org, learner, annual_rule, django_capture_on_commit_callbacks
):
    exam = make_exam(org, kind=ExamKind.ANNUAL, users=[learner], title="2026年度合规知识考试")
    attempt = take_exam(exam, learner, correctly=True, capture=django_capture_on_commit_callbacks)
    assert attempt.passed
    certificate = Certificate.objects.get(holder=learner)
    assert certificate.kind == Certificate.Kind.EXAM_QUALIFICATION
    assert certificate.source == attempt
    assert certificate.title == "2026年度合规知识考试"
    assert certificate.score == Decimal("100.00")
    assert certificate.template == annual_rule.template
    assert certificate.pdf  # rendered by the (eager) Celery task after commit


def test_the_same_event_again_issues_nothing_new(
    org, learner, annual_rule, django_capture_on_commit_callbacks
):
    exam = make_exam(org, kind=ExamKind.ANNUAL, users=[learner])
    attempt = take_exam(exam, learner, correctly=True, capture=django_capture_on_commit_callbacks)
    for _ in range(3):
        attempt_finalised.send(sender=Attempt, attempt=attempt)
    assert Certificate.objects.filter(holder=learner).count() == 1


def test_one_certificate_per_source_is_a_database_rule(
    org, learner, annual_rule, django_capture_on_commit_callbacks
):
    from django.db import IntegrityError, transaction

    exam = make_exam(org, kind=ExamKind.ANNUAL, users=[learner])
    attempt = take_exam(exam, learner, correctly=True, capture=django_capture_on_commit_callbacks)
    first = Certificate.objects.get(holder=learner)
    duplicate = Certificate(
        holder=learner,
        holder_name="x",
        kind=first.kind,
        template=first.template,
        organisation=first.organisation,
        title="x",
        source_type=first.source_type,
        source_id=attempt.pk,
        issued_on=first.issued_on,
        qualified_since=first.issued_on,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_failing_issues_nothing(org, learner, annual_rule, django_capture_on_commit_callbacks):
    exam = make_exam(org, kind=ExamKind.ANNUAL, users=[learner])
    attempt = take_exam(exam, learner, correctly=False, capture=django_capture_on_commit_callbacks)
    assert attempt.passed is False
    assert not Certificate.objects.exists()


def test_an_exam_without_a_rule_issues_nothing(org, learner, django_capture_on_commit_callbacks):
    exam = make_exam(org, kind=ExamKind.ANNUAL, users=[learner])
    take_exam(exam, learner, correctly=True, capture=django_capture_on_commit_callbacks)
    assert not Certificate.objects.exists()


def test_another_organisations_rule_does_not_apply(
    org, other_org, learner, django_capture_on_commit_callbacks
):
    services.certificate_rule_save(
        rule=CertificateRule(
            template=CertificateTemplateFactory(issuing_organisation=other_org),
            exam_kind=ExamKind.ANNUAL,
        )
    )
    exam = make_exam(org, kind=ExamKind.ANNUAL, users=[learner])
    take_exam(exam, learner, correctly=True, capture=django_capture_on_commit_callbacks)
    assert not Certificate.objects.exists()


def test_next_years_annual_exam_supersedes_this_years(
    org, learner, annual_rule, django_capture_on_commit_callbacks
):
    first_exam = make_exam(org, kind=ExamKind.ANNUAL, users=[learner], title="2025年度考试")
    take_exam(first_exam, learner, correctly=True, capture=django_capture_on_commit_callbacks)
    first = Certificate.objects.get(holder=learner)
    Certificate.objects.filter(pk=first.pk).update(
        issued_on=first.issued_on - timedelta(days=330),
        qualified_since=first.issued_on - timedelta(days=330),
    )
    next_exam = make_exam(org, kind=ExamKind.ANNUAL, users=[learner], title="2026年度考试")
    take_exam(next_exam, learner, correctly=True, capture=django_capture_on_commit_callbacks)
    first.refresh_from_db()
    renewal = Certificate.objects.get(holder=learner, status=Certificate.Status.VALID)
    assert first.status == Certificate.Status.SUPERSEDED
    assert renewal.supersedes == first and renewal.title == "2026年度考试"
    assert renewal.qualified_since == first.qualified_since


def test_a_regrade_that_fails_the_attempt_revokes_its_certificate(
    org, learner, annual_rule, django_capture_on_commit_callbacks
):
    exam = make_exam(org, kind=ExamKind.ANNUAL, users=[learner])
    attempt = take_exam(exam, learner, correctly=True, capture=django_capture_on_commit_callbacks)
    Attempt.objects.filter(pk=attempt.pk).update(passed=False)
    attempt.refresh_from_db()
    attempt_finalised.send(sender=Attempt, attempt=attempt)
    certificate = Certificate.objects.get(holder=learner)
    assert certificate.status == Certificate.Status.REVOKED
    assert (
        "重新评分" in certificate.revocation_reason or "regraded" in certificate.revocation_reason
    )


def test_completing_a_course_issues_a_completion_certificate(
    org, learner, template, django_capture_on_commit_callbacks
):
    course = content_factories.course(title="反商业贿赂合规培训", lessons=1)
    services.certificate_rule_save(rule=CertificateRule(template=template, course=course.page_ptr))
    lesson = course.get_children().specific().first()
    with django_capture_on_commit_callbacks(execute=True):
        learning_services.lesson_complete(
            user=learner,
            lesson=lesson,
            opened_token=learning_services.lesson_opened_token(user=learner, lesson=lesson),
        )
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.status == Enrolment.Status.COMPLETED
    certificate = Certificate.objects.get(holder=learner)
    assert certificate.kind == Certificate.Kind.COURSE_COMPLETION
    assert certificate.title == "反商业贿赂合规培训"
    assert certificate.source == enrolment
    assert certificate.issued_on == timezone.localdate()
    enrolment_completed.send(sender=Enrolment, enrolment=enrolment)
    assert Certificate.objects.filter(holder=learner).count() == 1

"""An appointment to a post that needs it waits for a passed, still valid pre-appointment exam."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments import services
from assessments.models import Attempt, ExamCandidate, ExamKind
from lms.organisations import services as org_services
from lms.organisations.models import ComplianceRole
from tests.factories.assessments import make_exam
from tests.factories.organisations import PositionFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(org):
    return PositionFactory(
        organisation=org,
        name="合规负责人",
        compliance_role=ComplianceRole.COMPLIANCE_HEAD,
        needs_pre_appointment_exam=True,
    )


@pytest.fixture
def candidate(org):
    return person(org, role=ComplianceRole.NONE)


@pytest.fixture
def cco(org):
    """A compliance head's appointment is decided by someone who ranks above a head."""
    return person(org, role=ComplianceRole.CHIEF_COMPLIANCE_OFFICER).user


def request(candidate, post, actor, capture):
    with capture(execute=True):
        return org_services.appointment_request(staff=candidate, position=post, actor=actor)


def pass_exam(exam, user, *, when=None):
    attempt = services.attempt_start(exam=exam, user=user, now=when)
    for item in attempt.items.select_related("question"):
        services.response_save(
            attempt_id=attempt.pk,
            user_id=user.pk,
            question_id=item.question_id,
            answer=item.question.key,
            seq=1,
            now=when,
        )
    return services.attempt_submit(attempt_id=attempt.pk, now=when)


def test_requesting_the_appointment_puts_the_candidate_in_the_exam_and_refuses_until_passed(
    org, post, candidate, compliance_admin, cco, django_capture_on_commit_callbacks
):
    exam = make_exam(org, kind=ExamKind.PRE_APPOINTMENT)
    appointment = request(candidate, post, compliance_admin, django_capture_on_commit_callbacks)
    assert ExamCandidate.objects.get(exam=exam, user=candidate.user).source == "appointment"

    with pytest.raises(org_services.AppointmentRefused) as refused:
        org_services.appointment_approve(appointment=appointment, actor=cco)
    reason = refused.value.reasons[0]
    assert "合规负责人" in reason and "12" in reason
    name = candidate.user.full_name or candidate.user.email
    assert f"但{name}尚未参加该考试" in reason and "其" not in reason

    attempt = pass_exam(exam, candidate.user)
    assert attempt.passed
    org_services.appointment_approve(appointment=appointment, actor=cco)
    candidate.refresh_from_db()
    assert candidate.position == post


def test_a_failed_attempt_is_named_in_the_refusal(
    org, post, candidate, compliance_admin, cco, django_capture_on_commit_callbacks
):
    exam = make_exam(org, kind=ExamKind.PRE_APPOINTMENT)
    appointment = request(candidate, post, compliance_admin, django_capture_on_commit_callbacks)
    attempt = services.attempt_start(exam=exam, user=candidate.user)
    services.attempt_submit(attempt_id=attempt.pk)
    with pytest.raises(org_services.AppointmentRefused) as refused:
        org_services.appointment_approve(appointment=appointment, actor=cco)
    assert "（0%）" in refused.value.reasons[0]


def test_a_pass_older_than_its_validity_no_longer_counts(
    org, post, candidate, compliance_admin, cco, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - timedelta(days=400)
    exam = make_exam(
        org,
        kind=ExamKind.PRE_APPOINTMENT,
        opens_at=long_ago - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=30),
        users=[candidate.user],
    )
    pass_exam(exam, candidate.user, when=long_ago)
    assert Attempt.objects.get(user=candidate.user).passed
    appointment = request(candidate, post, compliance_admin, django_capture_on_commit_callbacks)
    with pytest.raises(org_services.AppointmentRefused) as refused:
        org_services.appointment_approve(appointment=appointment, actor=cco)
    assert "已超过有效期" in refused.value.reasons[0]


def test_posts_without_the_flag_are_not_gated(org, candidate, compliance_admin):
    plain = PositionFactory(organisation=org, name="运营专员")
    appointment = org_services.appointment_request(
        staff=candidate, position=plain, actor=compliance_admin
    )
    org_services.appointment_approve(appointment=appointment, actor=compliance_admin)

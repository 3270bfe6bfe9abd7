"""A person who moves into a position an open exam's audience covers is put into that exam."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import ExamCandidate
from lms.organisations.models import ComplianceRole, Position
from lms.organisations.services import staff_save
from tests.factories.assessments import make_exam
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


def promote(staff, role):
    staff.position, _ = Position.objects.get_or_create(
        organisation=staff.organisation, name=f"{role}-position", defaults={"compliance_role": role}
    )
    return staff_save(staff=staff)


def test_a_person_promoted_into_a_compliance_role_joins_the_open_annual_exam(
    org, django_capture_on_commit_callbacks
):
    clerk = person(org, role=ComplianceRole.NONE)
    exam = make_exam(org, audience_roles=[ComplianceRole.ADMIN_PART_TIME])
    assert not ExamCandidate.objects.filter(exam=exam, user=clerk.user).exists()

    with django_capture_on_commit_callbacks(execute=True):
        promote(clerk, ComplianceRole.ADMIN_PART_TIME)

    candidate = ExamCandidate.objects.get(exam=exam, user=clerk.user)
    assert candidate.source == ExamCandidate.Source.AUDIENCE


def test_closed_exams_and_other_organisations_exams_are_left_alone(
    org, other_org, django_capture_on_commit_callbacks
):
    clerk = person(org, role=ComplianceRole.NONE)
    now = timezone.now()
    closed = make_exam(
        org,
        audience_roles=[ComplianceRole.ADMIN_PART_TIME],
        opens_at=now - timedelta(days=10),
        closes_at=now - timedelta(days=1),
    )
    elsewhere = make_exam(other_org, audience_roles=[ComplianceRole.ADMIN_PART_TIME])

    with django_capture_on_commit_callbacks(execute=True):
        promote(clerk, ComplianceRole.ADMIN_PART_TIME)

    assert not ExamCandidate.objects.filter(exam__in=[closed, elsewhere], user=clerk.user).exists()


def test_leaving_the_audience_keeps_the_person_in_the_exam(org, django_capture_on_commit_callbacks):
    admin = person(org, role=ComplianceRole.ADMIN_PART_TIME)
    exam = make_exam(org, audience_roles=[ComplianceRole.ADMIN_PART_TIME])
    assert ExamCandidate.objects.filter(exam=exam, user=admin.user).exists()

    with django_capture_on_commit_callbacks(execute=True):
        promote(admin, ComplianceRole.NONE)

    assert ExamCandidate.objects.filter(exam=exam, user=admin.user).exists()

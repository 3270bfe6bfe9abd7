"""A new-hire campaign picks up people added to the roster later (onboarding)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lms.commitments.models import CommitmentSignature
from lms.organisations.services import person_create
from tests.factories.commitments import launched
from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_person_hired_after_the_launch_gets_the_letter():
    org = OrganisationFactory()
    campaign = launched(org, audience="new_hires", new_hire_days=30)
    assert campaign.signatures.count() == 0
    today = timezone.localdate()
    hired = person_create(
        organisation=org,
        full_name="新员工甲",
        email="xin-jia@example.cn",
        employee_number="N-001",
        hire_date=today - timedelta(days=2),
    )
    old_hand = person_create(
        organisation=org,
        full_name="老员工乙",
        email="lao-yi@example.cn",
        employee_number="N-002",
        hire_date=today - timedelta(days=300),
    )
    assert CommitmentSignature.objects.filter(campaign=campaign, staff=hired).exists()
    assert not CommitmentSignature.objects.filter(campaign=campaign, staff=old_hand).exists()


def test_a_closed_new_hire_campaign_takes_no_one_new():
    org = OrganisationFactory()
    campaign = launched(org, audience="new_hires", due_on=timezone.localdate() - timedelta(days=1))
    person_create(
        organisation=org,
        full_name="新员工丙",
        email="xin-bing@example.cn",
        employee_number="N-003",
        hire_date=timezone.localdate(),
    )
    assert campaign.signatures.count() == 0

"""A person reads their commitment letter, types their name and confirms: the text they signed,
its SHA-256, the time, address and browser are kept; an entry enters their compliance record."""

import hashlib

import pytest
from django.core.exceptions import ValidationError

from lms.audit.models import AuditEntry
from lms.commitments import services
from lms.commitments.models import CommitmentSignature
from lms.organisations.models import ComplianceRole
from lms.records.models import LedgerEntry
from tests.factories.commitments import CommitmentTemplateFactory, launched
from tests.factories.organisations import OrganisationFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganisationFactory(name="测试云集有限公司")


def sign(signature, user=None, name=None, confirmed=True):
    user = user or signature.user
    return services.commitment_sign(
        signature_id=signature.pk,
        user=user,
        typed_name=user.full_name if name is None else name,
        confirmed=confirmed,
        ip_address="10.1.2.3",
        user_agent="Mozilla/5.0 (iPhone)",
    )


def test_signing_keeps_the_rendered_text_and_its_hash(org, django_capture_on_commit_callbacks):
    clerk = person(org, employee_number="YJ-007")
    campaign = launched(org)
    signature = CommitmentSignature.objects.get(campaign=campaign, staff=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        signed = sign(signature, name=f" {clerk.user.full_name} ")
    signed.refresh_from_db()
    assert signed.status == "signed"
    assert clerk.user.full_name in signed.text and "YJ-007" in signed.text
    assert "测试云集有限公司" in signed.text and "{" not in signed.text
    assert signed.text_sha256 == hashlib.sha256(signed.text.encode()).hexdigest()
    assert signed.ip_address == "10.1.2.3" and signed.user_agent == "Mozilla/5.0 (iPhone)"
    assert signed.signed_at is not None
    assert AuditEntry.objects.filter(action="commitments.signed", object_id=str(signed.pk)).exists()
    entry = LedgerEntry.objects.get(user=clerk.user, kind="commitment")
    assert campaign.template.title in entry.summary


def test_signing_twice_is_refused(org):
    clerk = person(org)
    signature = CommitmentSignature.objects.get(campaign=launched(org), staff=clerk)
    first = sign(signature)
    with pytest.raises(services.SigningRefused) as refused:
        sign(signature)
    assert refused.value.status == 400
    signature.refresh_from_db()
    assert signature.signed_at == first.signed_at


def test_signing_someone_elses_letter_is_refused_as_not_found(org):
    clerk, other = person(org), person(org)
    signature = CommitmentSignature.objects.get(campaign=launched(org), staff=clerk)
    with pytest.raises(services.SigningRefused) as refused:
        sign(signature, user=other.user)
    assert refused.value.status == 404
    signature.refresh_from_db()
    assert signature.status == "pending"


def test_a_wrong_name_or_no_confirmation_is_refused_with_both_reasons(org):
    clerk = person(org)
    signature = CommitmentSignature.objects.get(campaign=launched(org), staff=clerk)
    with pytest.raises(services.SigningRefused) as refused:
        sign(signature, name="张三", confirmed=False)
    assert len(refused.value.messages) == 2
    signature.refresh_from_db()
    assert signature.status == "pending" and signature.text == ""


def test_a_template_with_an_unknown_placeholder_is_refused_naming_it(org):
    template = CommitmentTemplateFactory.build(
        organisation=org, body="本人{name}，部门{department}"
    )
    with pytest.raises(ValidationError) as refused:
        services.commitment_template_save(template=template, actor=None)
    assert "{department}" in str(refused.value)
    assert template.pk is None


def test_an_unmatched_brace_is_refused(org):
    template = CommitmentTemplateFactory.build(organisation=org, body="本人{name")
    with pytest.raises(ValidationError):
        services.commitment_template_save(template=template, actor=None)


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        ("management", {"manager"}),
        ("key_positions", {"key"}),
        ("new_hires", {"new"}),
        ("everyone", {"manager", "key", "new", "old"}),
    ],
)
def test_the_audience_picks_the_right_people(org, audience, expected):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories.organisations import PositionFactory

    today = timezone.localdate()
    long_ago = today - timedelta(days=400)
    people = {
        "manager": person(
            org,
            position=PositionFactory(organisation=org, is_management=True),
            hire_date=long_ago,
        ),
        "key": person(
            org, position=PositionFactory(organisation=org, is_key=True), hire_date=long_ago
        ),
        "new": person(org, hire_date=today - timedelta(days=5)),
        "old": person(org, hire_date=long_ago),
    }
    person(org, status="left")
    person(OrganisationFactory())  # another organisation's
    campaign = launched(org, audience=audience, new_hire_days=30)
    got = set(campaign.signatures.values_list("staff_id", flat=True))
    assert got == {people[name].pk for name in expected}


def test_launching_again_adds_only_the_missing_and_tells_each_person_once(
    org, django_capture_on_commit_callbacks
):
    from lms.notifications.models import Notification

    clerk = person(org)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = launched(org)
    assert Notification.objects.filter(user=clerk.user, kind="commitments").count() == 1
    newcomer = person(org, role=ComplianceRole.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.campaign_launch(campaign=campaign) == 1
    assert campaign.signatures.filter(staff=newcomer).exists()
    assert Notification.objects.filter(user=clerk.user, kind="commitments").count() == 1


def test_the_records_backfill_adds_a_signed_letter_once(org):
    from lms.records.backfill import backfill

    clerk = person(org)
    signature = CommitmentSignature.objects.get(campaign=launched(org), staff=clerk)
    sign(signature)  # its signal waits for a commit that never comes in this test
    assert not LedgerEntry.objects.filter(user=clerk.user, kind="commitment").exists()
    assert backfill()["commitments"] == 1
    assert backfill()["commitments"] == 0

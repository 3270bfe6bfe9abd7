"""Revocation: only the issuing organisation's compliance head, with a reason, audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from certificates import services
from certificates.models import Certificate
from lms.audit.models import AuditEntry
from lms.organisations.models import ComplianceRole
from tests.factories.certificates import issue
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(org):
    return person(org, role=ComplianceRole.COMPLIANCE_HEAD).user


def test_the_compliance_head_revokes_with_a_reason(template, head):
    certificate = issue(template=template)
    services.certificate_revoke(certificate=certificate, reason="考试舞弊", actor=head)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revocation_reason == "考试舞弊"
    assert certificate.revoked_by == head
    entry = AuditEntry.objects.get(action="certificate.revoke")
    assert entry.actor == head and entry.data["reason"] == "考试舞弊"
    assert entry.organisation == template.issuing_organisation


def test_revoking_twice_changes_nothing(template, head):
    certificate = issue(template=template)
    services.certificate_revoke(certificate=certificate, reason="考试舞弊", actor=head)
    with pytest.raises(services.AlreadyRevoked):
        services.certificate_revoke(certificate=certificate, reason="再次撤销", actor=head)
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "考试舞弊"
    assert AuditEntry.objects.filter(action="certificate.revoke").count() == 1


def test_a_reason_is_required(template, head):
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=issue(template=template), reason="  ", actor=head)


@pytest.mark.parametrize("role", [ComplianceRole.ADMIN_FULL_TIME, ComplianceRole.NONE])
def test_others_in_the_organisation_may_not_revoke(template, org, role):
    certificate = issue(template=template)
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(
            certificate=certificate, reason="x", actor=person(org, role=role).user
        )


def test_another_organisations_head_may_not_revoke(template, other_org):
    other_head = person(other_org, role=ComplianceRole.COMPLIANCE_HEAD).user
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(
            certificate=issue(template=template), reason="x", actor=other_head
        )
    assert not AuditEntry.objects.filter(action="certificate.revoke").exists()

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


def test_a_regulator_officer_revokes_the_regulators_spot_check_certificate(other_org):
    from tests.factories.certificates import CertificateTemplateFactory
    from tests.factories.organisations import RegulatorFactory

    regulator = RegulatorFactory(name="某市市场监督管理局")
    officer = person(regulator, role=ComplianceRole.REGULATOR_OFFICER).user
    certificate = issue(
        template=CertificateTemplateFactory(issuing_organisation=regulator),
        kind=Certificate.Kind.SPOT_CHECK_PASS,
    )
    services.certificate_revoke(certificate=certificate, reason="抽查考核作弊", actor=officer)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED

    elsewhere = RegulatorFactory(name="另一市场监督管理局")
    stranger = person(elsewhere, role=ComplianceRole.REGULATOR_OFFICER).user
    theirs = issue(
        template=CertificateTemplateFactory(issuing_organisation=regulator),
        kind=Certificate.Kind.SPOT_CHECK_PASS,
    )
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(certificate=theirs, reason="x", actor=stranger)
    enterprise_cert = issue(template=CertificateTemplateFactory(issuing_organisation=other_org))
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(certificate=enterprise_cert, reason="x", actor=officer)

"""Each organisation issues its own people's certificates, under its own rule and seal.

A platform-wide course may carry a rule of each organisation; a person completing it gets the
certificate of the organisation they completed it for, or none if that organisation has no
rule. Certificates issued to another organisation's people before this was so are neither listed
nor revocable by the issuer; a command revokes them.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from certificates import selectors, services
from certificates.models import Certificate, CertificateRule
from lms.audit.models import AuditEntry
from lms.learning.models import Enrolment
from lms.organisations.models import ComplianceRole
from tests.factories import content as cf
from tests.factories.certificates import CertificateTemplateFactory
from tests.factories.learning import complete_lesson
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return cf.course(title="反商业贿赂合规培训", lessons=1)


def rule_for(organisation, course):
    return services.certificate_rule_save(
        rule=CertificateRule(
            template=CertificateTemplateFactory(issuing_organisation=organisation),
            course=course.page_ptr,
        )
    )


def complete(client, user, course, capture) -> Enrolment:
    client.force_login(user)
    with capture(execute=True):
        complete_lesson(client, course.lessons().get())
    enrolment = Enrolment.objects.get(user=user, course=course)
    assert enrolment.status == Enrolment.Status.COMPLETED
    return enrolment


def test_only_the_holders_own_organisation_issues_the_certificate(
    client, org, other_org, course, django_capture_on_commit_callbacks
):
    rule_for(org, course)
    ours = person(org).user
    theirs = person(other_org).user
    complete(client, ours, course, django_capture_on_commit_callbacks)
    complete(client, theirs, course, django_capture_on_commit_callbacks)
    assert Certificate.objects.get(holder=ours).organisation == org
    assert not Certificate.objects.filter(holder=theirs).exists()


def test_each_organisation_may_have_its_own_rule_for_a_platform_wide_course(
    client, org, other_org, course, django_capture_on_commit_callbacks
):
    rule_for(org, course)
    their_rule = rule_for(other_org, course)
    theirs = person(other_org).user
    complete(client, theirs, course, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(holder=theirs)
    assert certificate.organisation == other_org
    assert certificate.template == their_rule.template

    with pytest.raises(ValidationError) as clash:
        rule_for(org, course)
    assert "course" in clash.value.message_dict


def test_a_rule_cannot_name_another_organisations_private_course(org, other_org):
    private = cf.course(title="别家企业内部课程", lessons=0, owner=other_org)
    with pytest.raises(ValidationError) as refused:
        rule_for(org, private)
    assert "course" in refused.value.message_dict


@pytest.fixture
def issued_in_error(client, org, other_org, course, django_capture_on_commit_callbacks):
    """What rules matched by course alone did: org's rule, other_org's person."""
    theirs = person(other_org).user
    enrolment = complete(client, theirs, course, django_capture_on_commit_callbacks)
    template = CertificateTemplateFactory(issuing_organisation=org)
    return services.certificate_issue(
        holder=theirs,
        kind=Certificate.Kind.COURSE_COMPLETION,
        source=enrolment,
        template=template,
        title=course.title,
    )


def test_the_issuer_neither_lists_nor_revokes_another_organisations_staffs_certificate(
    client, org, other_org, issued_in_error
):
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD).user
    client.force_login(head)
    assert (
        issued_in_error.serial
        not in client.get(reverse("certificates_admin:index")).content.decode()
    )
    revoke = reverse("certificates_admin:revoke", args=[issued_in_error.pk])
    assert client.get(revoke).status_code == 404
    assert client.post(revoke, {"reason": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(certificate=issued_in_error, reason="x", actor=head)

    their_head = person(other_org, role=ComplianceRole.COMPLIANCE_HEAD).user
    assert selectors.certificates_manageable_by(their_head).filter(pk=issued_in_error.pk).exists()
    assert (
        not selectors.certificates_revocable_by(their_head).filter(pk=issued_in_error.pk).exists()
    )


def test_the_issuer_still_revokes_what_it_issued_to_someone_who_has_left(org, template):
    from lms.organisations.models import Staff
    from tests.factories.certificates import issue

    former = person(org)
    certificate = issue(template=template, holder=former.user)
    Staff.objects.filter(pk=former.pk).update(status=Staff.Status.LEFT)
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD).user
    services.certificate_revoke(certificate=certificate, reason="培训记录造假", actor=head)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED


def test_a_command_revokes_the_certificates_issued_in_error(
    org, other_org, template, issued_in_error
):
    from io import StringIO

    from tests.factories.certificates import issue

    rightful = issue(template=template)
    dry = StringIO()
    call_command("revoke_certificates_issued_in_error", "--dry-run", stdout=dry)
    assert issued_in_error.serial in dry.getvalue() and rightful.serial not in dry.getvalue()
    issued_in_error.refresh_from_db()
    assert issued_in_error.status == Certificate.Status.VALID

    out = StringIO()
    call_command("revoke_certificates_issued_in_error", stdout=out)
    issued_in_error.refresh_from_db()
    rightful.refresh_from_db()
    assert issued_in_error.status == Certificate.Status.REVOKED
    assert other_org.name in issued_in_error.revocation_reason
    assert rightful.status == Certificate.Status.VALID
    entry = AuditEntry.objects.get(action="certificate.revoke")
    assert entry.actor is None and entry.data["serial"] == issued_in_error.serial

    again = StringIO()
    call_command("revoke_certificates_issued_in_error", stdout=again)
    assert issued_in_error.serial not in again.getvalue()
    assert AuditEntry.objects.filter(action="certificate.revoke").count() == 1

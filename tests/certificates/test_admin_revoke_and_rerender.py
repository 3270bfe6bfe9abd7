"""Administrators in the Wagtail admin: revoking (scoped), templates, bulk re-rendering."""

import pytest
from django.urls import reverse

from certificates.models import Certificate, CertificateTemplate
from lms.audit.models import AuditEntry
from lms.organisations.models import ComplianceRole
from tests.factories.certificates import issue
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(org):
    return person(org, role=ComplianceRole.COMPLIANCE_HEAD).user


def test_the_head_revokes_in_the_admin_and_it_is_audited(client, head, template):
    certificate = issue(template=template)
    client.force_login(head)
    url = reverse("certificates_admin:revoke", args=[certificate.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "培训记录造假"}, follow=True)
    assert "已撤销" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert AuditEntry.objects.get(action="certificate.revoke").actor == head


def test_revoking_twice_says_so_and_changes_nothing(client, head, template):
    certificate = issue(template=template)
    client.force_login(head)
    url = reverse("certificates_admin:revoke", args=[certificate.pk])
    client.post(url, {"reason": "培训记录造假"})
    response = client.post(url, {"reason": "再次撤销"}, follow=True)
    assert "已被撤销，未作更改" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "培训记录造假"
    assert AuditEntry.objects.filter(action="certificate.revoke").count() == 1


def test_a_reason_is_required_in_the_form(client, head, template):
    certificate = issue(template=template)
    client.force_login(head)
    response = client.post(
        reverse("certificates_admin:revoke", args=[certificate.pk]), {"reason": ""}
    )
    assert response.status_code == 200
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_another_organisations_head_gets_404(client, other_org, template):
    certificate = issue(template=template)
    client.force_login(person(other_org, role=ComplianceRole.COMPLIANCE_HEAD).user)
    url = reverse("certificates_admin:revoke", args=[certificate.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x"}).status_code == 404


def test_the_certificate_list_is_scoped_to_the_organisation(client, head, template, other_org):
    mine = issue(template=template)
    from tests.factories.certificates import CertificateTemplateFactory

    theirs = issue(template=CertificateTemplateFactory(issuing_organisation=other_org))
    client.force_login(head)
    page = client.get(reverse("certificates_admin:index")).content.decode()
    assert mine.serial in page and theirs.serial not in page
    inspect = reverse("certificates_admin:inspect", args=[theirs.pk])
    assert client.get(inspect).status_code == 404


def test_a_template_with_an_unknown_placeholder_is_refused_in_the_admin(client, head, org):
    client.force_login(head)
    response = client.post(
        reverse("certificate_templates:add"),
        {
            "issuing_organisation": org.pk,
            "title": "合规培训合格证书",
            "wording": "兹证明{name}于{date}完成培训",
            "validity_months": 12,
            "signer_name": "王建国",
            "signer_title": "首席合规官",
        },
    )
    assert response.status_code == 200
    assert "{date}" in response.content.decode()
    assert not CertificateTemplate.objects.exists()


def test_bulk_rerendering_shows_its_progress(
    client, head, template, django_capture_on_commit_callbacks
):
    certificates = [issue(template=template) for _ in range(3)]
    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates_rerender:index"), {"template": template.pk})
    assert response.status_code == 302
    job_id = int(response["Location"].split("job=")[1])
    progress = client.get(reverse("certificates_rerender:progress", args=[job_id])).json()
    assert progress == {"done": 3, "total": 3, "percent": 100, "finished": True}
    page = client.get(response["Location"]).content.decode()
    assert 'aria-valuenow="100"' in page
    for certificate in certificates:
        certificate.refresh_from_db()
        assert certificate.pdf


def test_someone_elses_render_job_is_404(client, head, org, template):
    client.force_login(head)
    response = client.post(reverse("certificates_rerender:index"), {"template": template.pk})
    job_id = int(response["Location"].split("job=")[1])
    client.force_login(person(org, role=ComplianceRole.ADMIN_FULL_TIME).user)
    assert client.get(reverse("certificates_rerender:progress", args=[job_id])).status_code == 404


def test_learners_may_not_rerender(client, org):
    client.force_login(person(org, role=ComplianceRole.NONE).user)
    assert client.get(reverse("certificates_rerender:index")).status_code in (302, 403)


def test_a_regulator_officer_revokes_a_spot_check_certificate_in_the_admin(client):
    from tests.factories.certificates import CertificateTemplateFactory
    from tests.factories.organisations import RegulatorFactory

    regulator = RegulatorFactory(name="某市市场监督管理局")
    officer = person(regulator, role=ComplianceRole.REGULATOR_OFFICER).user
    certificate = issue(
        template=CertificateTemplateFactory(issuing_organisation=regulator),
        kind=Certificate.Kind.SPOT_CHECK_PASS,
    )
    client.force_login(officer)
    url = reverse("certificates_admin:revoke", args=[certificate.pk])
    response = client.post(url, {"reason": "抽查考核替考"}, follow=True)
    assert "已撤销" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert AuditEntry.objects.get(action="certificate.revoke").actor == officer

"""Issuing, renewal by the next exam, expiry marking and expiry reminders."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from certificates import serials, services
from certificates.models import Certificate
from lms.audit.models import AuditEntry
from tests.factories.certificates import CertificateTemplateFactory, issue
from tests.factories.organisations import UserFactory

pytestmark = pytest.mark.django_db


def test_an_issued_certificate_has_a_checked_serial_token_and_expiry(template):
    certificate = issue(template=template, issued_on=date(2026, 3, 5))
    assert serials.parse(certificate.serial) == certificate.serial
    assert certificate.serial.startswith("HG-2026-")
    assert len(certificate.token) >= 32
    assert certificate.expires_on == date(2027, 3, 5)
    assert certificate.status == Certificate.Status.VALID
    assert certificate.organisation == template.issuing_organisation
    assert AuditEntry.objects.filter(action="certificate.issue", object_id=str(certificate.pk))


def test_tokens_differ_between_certificates(template):
    assert issue(template=template).token != issue(template=template).token


def test_a_template_without_validity_issues_certificates_that_never_expire(org):
    certificate = issue(
        template=CertificateTemplateFactory(issuing_organisation=org, validity_months=0)
    )
    assert certificate.expires_on is None
    assert services.certificates_mark_expired(today=date(2099, 1, 1)) == 0


def test_the_next_annual_pass_supersedes_and_carries_the_qualification_forward(template):
    holder = UserFactory(full_name="李四")
    first = issue(holder=holder, template=template, issued_on=date(2025, 3, 1))
    renewal = issue(holder=holder, template=template, issued_on=date(2026, 2, 20))
    first.refresh_from_db()
    assert first.status == Certificate.Status.SUPERSEDED
    assert renewal.supersedes == first
    assert renewal.qualified_since == date(2025, 3, 1)
    assert renewal.expires_on == date(2027, 2, 20)


def test_a_lapsed_qualification_is_earned_afresh(template):
    holder = UserFactory()
    old = issue(holder=holder, template=template, issued_on=date(2024, 1, 10))
    new = issue(holder=holder, template=template, issued_on=date(2026, 1, 10))
    old.refresh_from_db()
    assert old.status == Certificate.Status.VALID  # not yet marked; the nightly run will
    assert new.supersedes is None
    assert new.qualified_since == date(2026, 1, 10)


def test_course_completions_do_not_supersede_each_other(template):
    holder = UserFactory()
    a = issue(holder=holder, template=template, kind=Certificate.Kind.COURSE_COMPLETION)
    b = issue(holder=holder, template=template, kind=Certificate.Kind.COURSE_COMPLETION)
    a.refresh_from_db()
    assert a.status == b.status == Certificate.Status.VALID


def test_expired_certificates_are_marked_once_with_an_audit_entry(template):
    certificate = issue(template=template, issued_on=date(2024, 1, 1))
    assert certificate.effective_status(today=date(2025, 1, 2)) == Certificate.Status.EXPIRED
    assert services.certificates_mark_expired(today=date(2025, 1, 2)) == 1
    assert services.certificates_mark_expired(today=date(2025, 1, 2)) == 0
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.EXPIRED
    assert AuditEntry.objects.filter(action="certificate.expire").count() == 1


def test_the_last_valid_day_is_not_expired(template):
    certificate = issue(template=template, issued_on=date(2024, 1, 1))
    assert services.certificates_mark_expired(today=certificate.expires_on) == 0


def test_the_expiry_reminder_goes_30_days_ahead_and_only_once(template):
    holder = UserFactory(email="lisi@example.cn", full_name="李四")
    certificate = issue(holder=holder, template=template, issued_on=date(2025, 6, 1))
    too_early = certificate.expires_on - timedelta(days=31)
    assert services.certificates_send_expiry_reminders(today=too_early) == 0
    due = certificate.expires_on - timedelta(days=30)
    assert services.certificates_send_expiry_reminders(today=due) == 1
    assert services.certificates_send_expiry_reminders(today=due) == 0
    assert services.certificates_send_expiry_reminders(today=due + timedelta(days=5)) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lisi@example.cn"]
    assert certificate.serial in mail.outbox[0].body
    from lms.notifications.models import Notification

    notice = Notification.objects.get(user=holder, kind="certificate")
    assert certificate.serial in notice.body and notice.link == "/certificates/"


def test_a_renewed_certificate_gets_no_reminder(template):
    holder = UserFactory()
    first = issue(holder=holder, template=template, issued_on=date(2025, 6, 1))
    issue(holder=holder, template=template, issued_on=date(2026, 5, 1))
    assert (
        services.certificates_send_expiry_reminders(today=first.expires_on - timedelta(days=20))
        == 0
    )


def test_unknown_placeholders_in_the_wording_are_refused(org):
    template = CertificateTemplateFactory.build(
        issuing_organisation=org, wording="兹证明{name}于{date}通过{exam}"
    )
    with pytest.raises(ValidationError) as exc:
        services.certificate_template_save(template=template)
    assert "{date} {exam}" in str(exc.value.message_dict["wording"])


def test_a_good_template_is_saved_with_an_audit_entry(org):
    template = CertificateTemplateFactory.build(issuing_organisation=org)
    services.certificate_template_save(template=template)
    assert AuditEntry.objects.filter(action="certificate_template.create", organisation=org)

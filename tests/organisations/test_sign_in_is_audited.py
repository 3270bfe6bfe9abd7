"""Signing in, failing to, being locked out and signing out are in the audit log, under the
person's organisation so its compliance head reads them; an unknown identifier creates no
user and is stored masked."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from lms.audit.models import AuditEntry
from lms.audit.services import attempted_identifier, masked_identifier
from lms.organisations.models import ComplianceRole
from lms.organisations.selectors import audit_entries_visible_to
from tests.factories.organisations import PASSWORD, person

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def sign_in(client, login, password=PASSWORD):
    return client.post(LOGIN, {"login": login, "password": password})


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def test_signing_in_and_out_is_audited_under_the_persons_organisation(org, other_org):
    staff = person(org, employee_number="S0001")
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD).user
    client = Client(REMOTE_ADDR="198.51.100.4")
    assert sign_in(client, "S0001").status_code == 302
    client.post("/accounts/logout/")

    (signed_in,) = entries("auth.sign_in")
    (signed_out,) = entries("auth.sign_out")
    for entry in (signed_in, signed_out):
        assert entry.actor == staff.user and entry.object_id == str(staff.user.pk)
        assert entry.organisation == org and entry.ip_address == "198.51.100.4"
    visible = audit_entries_visible_to(head)
    assert visible.filter(pk__in=[signed_in.pk, signed_out.pk]).count() == 2
    other_head = person(other_org, role=ComplianceRole.COMPLIANCE_HEAD).user
    assert not audit_entries_visible_to(other_head).filter(action__startswith="auth.").exists()


def test_a_failed_sign_in_of_a_known_person_names_them_and_not_the_password(client, org):
    staff = person(org, employee_number="S0002")
    sign_in(client, "S0002", "Wrong-password-123")

    (failed,) = entries("auth.sign_in_failed")
    assert failed.actor is None and failed.actor_label == "anonymous"
    assert failed.object_id == str(staff.user.pk) and failed.organisation == org
    assert "Wrong-password-123" not in str(failed.data) + failed.object_repr


def test_a_failed_sign_in_for_an_unknown_email_creates_no_user_and_is_masked(client, org):
    users = get_user_model().objects.count()
    sign_in(client, "nobody.here@example.cn", "whatever")
    sign_in(client, "Nobody.Here@example.cn", "again")

    assert get_user_model().objects.count() == users
    first, second = entries("auth.sign_in_failed")
    assert first.actor is None and first.organisation is None and first.object_id == ""
    assert first.data["identifier"] == "n…@example.cn"
    assert "nobody.here" not in str(first.data)
    assert first.data["fingerprint"] == second.data["fingerprint"]  # the same text, tied together


def test_an_unknown_identifier_that_could_be_a_password_is_not_stored(client, org):
    sign_in(client, "MySecret-Passw0rd", "oops")
    (failed,) = entries("auth.sign_in_failed")
    assert failed.data["identifier"] == "M…"
    assert "Secret" not in str(failed.data)


def test_a_lock_out_is_audited_once_while_the_attempts_go_on(client, org):
    staff = person(org, employee_number="S0003")
    for _ in range(5):
        sign_in(client, "S0003", "wrong")
    for _ in range(3):
        assert "登录失败次数过多" in sign_in(client, "S0003").content.decode()

    assert len(entries("auth.sign_in_failed")) == 5
    (locked,) = entries("auth.locked_out")
    assert locked.object_id == str(staff.user.pk) and locked.organisation == org
    assert not entries("auth.sign_in")


def test_identifiers_are_stored_without_control_characters_and_bounded():
    assert attempted_identifier("a\x00b\u202ec\ud800@x.cn\n") == "abc@x.cn"
    assert len(attempted_identifier("x" * 10_000)) == 254
    assert masked_identifier("")["identifier"] == "…"

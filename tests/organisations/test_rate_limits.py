"""Sign-in rate limits: tight per account, generous per address (a company behind one NAT).

These run against the configured cache: local memory by default, Redis when REDIS_URL is set.
"""

import time

import pytest
import time_machine
from django.test import Client

from tests.factories.organisations import PASSWORD, UserFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_minute():
    """The bursts below happen within one rate-limit window however slow the machine is: the
    clock stands still while they run."""
    with time_machine.travel(time.time(), tick=False):
        yield


LOCKED = "登录失败次数过多，请等几分钟再试。"
MISMATCH = "电子邮箱或工号与密码不匹配。"


def sign_in(client, login, password=PASSWORD):
    return client.post("/accounts/login/", {"login": login, "password": password})


def test_five_failures_lock_that_login_even_with_the_right_password(client, org):
    staff = person(org, employee_number="A0100")
    for _ in range(5):
        assert MISMATCH in sign_in(client, "A0100", "wrong").content.decode()
    assert LOCKED in sign_in(client, "A0100").content.decode()
    # The lock is on the account, whichever identifier is used and from whichever address.
    elsewhere = Client(REMOTE_ADDR="10.9.9.9")
    assert LOCKED in sign_in(elsewhere, staff.user.email).content.decode()
    assert elsewhere.session.get("_auth_user_id") is None


def test_a_locked_login_does_not_lock_colleagues_behind_the_same_address(client, org):
    person(org, employee_number="A0101")
    colleague = person(org, employee_number="A0102")
    for _ in range(6):
        sign_in(client, "A0101", "wrong")
    other = Client()
    assert sign_in(other, "A0102").status_code == 302
    assert other.session["_auth_user_id"] == str(colleague.user.pk)


def test_the_lock_lifts_after_five_minutes(client, org, monkeypatch):
    person(org, employee_number="A0103")
    for _ in range(5):
        sign_in(client, "A0103", "wrong")
    assert LOCKED in sign_in(client, "A0103").content.decode()
    later = time.time() + 5 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert sign_in(client, "A0103").status_code == 302


def test_a_successful_sign_in_does_not_reset_the_failure_count(client, org):
    person(org, employee_number="A0104")
    for _ in range(4):
        sign_in(client, "A0104", "wrong")
    assert sign_in(Client(), "A0104").status_code == 302
    sign_in(client, "A0104", "wrong")
    assert LOCKED in sign_in(client, "A0104").content.decode()


def test_three_hundred_people_behind_one_address_all_sign_in_within_a_minute(org, one_minute):
    users = [UserFactory() for _ in range(300)]
    for user in users:
        client = Client(REMOTE_ADDR="203.0.113.7")
        response = sign_in(client, user.email)
        assert response.status_code == 302, response.content.decode()[:500]
        assert client.session["_auth_user_id"] == str(user.pk)


def test_a_company_with_some_typos_at_exam_start_still_gets_in(org, one_minute):
    users = [UserFactory() for _ in range(200)]
    client = Client(REMOTE_ADDR="203.0.113.8")
    for user in users:
        sign_in(client, user.email, "typo")  # everyone mistypes once
    for user in users:
        client = Client(REMOTE_ADDR="203.0.113.8")
        assert sign_in(client, user.email).status_code == 302


def test_password_spraying_from_one_address_is_stopped(db, one_minute):
    attacker = Client(REMOTE_ADDR="198.51.100.66")
    victim = UserFactory()
    for i in range(600):
        sign_in(attacker, f"guess{i}@example.cn", "123456")
    response = sign_in(attacker, victim.email)
    assert LOCKED in response.content.decode()
    assert attacker.session.get("_auth_user_id") is None
    # Other addresses are unaffected.
    assert sign_in(Client(REMOTE_ADDR="198.51.100.67"), victim.email).status_code == 302


def test_behind_a_reverse_proxy_each_client_address_counts_on_its_own(db, settings, one_minute):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = Client(HTTP_X_FORWARDED_FOR="198.51.100.66", **proxy)
    for i in range(600):
        sign_in(attacker, f"guess{i}@example.cn", "123456")
    victim = UserFactory()
    assert LOCKED in sign_in(attacker, victim.email).content.decode()
    # A spoofed first hop does not help the attacker: the proxy's own hop is the one trusted.
    spoofing = Client(HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.66", **proxy)
    assert LOCKED in sign_in(spoofing, victim.email).content.decode()
    colleague = Client(HTTP_X_FORWARDED_FOR="192.0.2.10", **proxy)
    assert sign_in(colleague, victim.email).status_code == 302


def test_the_audit_log_records_the_client_behind_the_proxy(client, org, settings):
    from lms.audit.models import AuditEntry
    from tests.factories.organisations import DepartmentFactory

    settings.TRUSTED_PROXY_COUNT = 1
    admin = person(org, role="admin_full")
    department = DepartmentFactory(organisation=org)
    client.force_login(admin.user)
    client.post(
        f"/admin/departments/edit/{department.pk}/",
        {"name": "新名称"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.77",
    )
    entry = AuditEntry.objects.get(action="department.update")
    assert entry.ip_address == "192.0.2.77"

"""Signing in by e-mail or employee number, resetting a password, signing out; no self sign-up."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from wagtail.users.models import UserProfile

from lms.organisations.models import ComplianceRole
from tests.factories.organisations import PASSWORD, OrganisationFactory, person

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def sign_in(client, login, password=PASSWORD, prefix=""):
    return client.post(f"{prefix}{LOGIN}", {"login": login, "password": password})


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_signs_in_with_email_in_any_case(client, org):
    staff = person(org, employee_number="A0001")
    response = sign_in(client, f"  {staff.user.email.upper()} ")
    assert response.status_code == 302
    assert response.url == "/"
    assert signed_in_user_id(client) == str(staff.user.pk)


def test_signs_in_with_employee_number(client, org):
    staff = person(org, employee_number="A0002")
    response = sign_in(client, "A0002")
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(staff.user.pk)


def test_employee_number_used_in_two_organisations_asks_for_the_email(client, org, other_org):
    first = person(org, employee_number="0001")
    person(other_org, employee_number="0001")
    response = sign_in(client, "0001")
    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    assert "此工号在多个组织中使用，请使用电子邮箱登录。" in response.content.decode()
    assert sign_in(client, first.user.email).status_code == 302


def test_employee_number_of_someone_who_left_does_not_sign_in(client, org):
    person(org, employee_number="L0001", status="left")
    response = sign_in(client, "L0001")
    assert response.status_code == 200
    assert signed_in_user_id(client) is None


def test_wrong_password_gets_a_clear_message_in_chinese_and_english(client, org):
    staff = person(org, employee_number="A0003")
    response = sign_in(client, "A0003", "wrong-password")
    assert response.status_code == 200
    assert "电子邮箱或工号与密码不匹配。" in response.content.decode()
    response = sign_in(client, staff.user.email, "wrong-password", prefix="/en")
    assert (
        "The e-mail address or employee number and the password do not match."
        in response.content.decode()
    )
    assert signed_in_user_id(client) is None


def test_unknown_employee_number_fails_like_a_wrong_password(client, db):
    response = sign_in(client, "NOBODY")
    assert "电子邮箱或工号与密码不匹配。" in response.content.decode()


def test_login_page_is_chinese_and_offers_password_reset_not_sign_up(client, db):
    html = client.get(LOGIN).content.decode()
    assert "电子邮箱或工号" in html
    assert "/accounts/password/reset/" in html
    assert "/accounts/signup/" not in html


def test_sign_up_is_closed(client, db):
    users_before = get_user_model().objects.count()
    response = client.get("/accounts/signup/")
    assert "不开放自行注册" in response.content.decode()
    client.post(
        "/accounts/signup/",
        {"email": "intruder@example.cn", "password1": "Xq!93kdLw", "password2": "Xq!93kdLw"},
    )
    assert get_user_model().objects.count() == users_before


def test_password_reset_end_to_end(client, org):
    staff = person(org, employee_number="R0001")
    response = client.post("/accounts/password/reset/", {"email": staff.user.email.upper()})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff.user.email]
    assert "合规学院" in message.subject
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", message.body).group(0)

    response = client.get(link, follow=True)
    assert "设置新密码" in response.content.decode()
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(
        form_url, {"password1": "Neu-Passwort-2026", "password2": "Neu-Passwort-2026"}
    )
    assert response.status_code == 302

    client.logout()
    assert sign_in(client, "R0001", PASSWORD).status_code == 200
    assert sign_in(client, "R0001", "Neu-Passwort-2026").status_code == 302
    # The link works once.
    client.logout()
    assert "链接已失效" in client.get(link, follow=True).content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing(client, db):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.cn"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_sign_out(client, org):
    staff = person(org)
    sign_in(client, staff.user.email)
    assert signed_in_user_id(client)
    assert "确定要退出" in client.get("/accounts/logout/").content.decode()
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert signed_in_user_id(client) is None


def test_people_cannot_add_email_addresses_to_their_account(client, org):
    staff = person(org)
    client.force_login(staff.user)
    response = client.post("/accounts/email/", {"action_add": "", "email": "second@example.cn"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(emailaddress__email="second@example.cn").exists()


class TestAdminSignInGoesThroughAllauth:
    def test_admin_sends_anonymous_people_to_the_allauth_login(self, client, db):
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=/admin/")

    def test_wagtail_login_form_cannot_be_used(self, client, org):
        staff = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
        response = client.post(
            "/admin/login/?next=/admin/", {"username": staff.user.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        assert response.url == "/accounts/login/?next=/admin/"
        assert signed_in_user_id(client) is None

    def test_wagtail_password_reset_is_off(self, client, db):
        assert client.get("/admin/password_reset/").status_code == 404

    def test_compliance_administrator_signs_in_and_reaches_the_admin(self, client, org):
        staff = person(org, role=ComplianceRole.ADMIN_FULL_TIME, employee_number="ADM1")
        response = client.post(f"{LOGIN}?next=/admin/", {"login": "ADM1", "password": PASSWORD})
        assert response.url == "/admin/"
        assert client.get("/admin/").status_code == 200
        assert signed_in_user_id(client) == str(staff.user.pk)


def test_two_different_organisations_do_not_collide_on_distinct_numbers(client, db):
    a, b = OrganisationFactory(), OrganisationFactory()
    pa = person(a, employee_number="X1")
    person(b, employee_number="X2")
    sign_in(client, "X1")
    assert signed_in_user_id(client) == str(pa.user.pk)


def test_admin_account_page_saves_name_and_language_but_not_email_or_password(client, org):
    staff = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    client.force_login(staff.user)
    html = client.get("/admin/account/").content.decode()
    assert 'name="name_email-full_name"' in html
    assert 'name="name_email-email"' not in html and 'name="password-old_password"' not in html
    response = client.post(
        "/admin/account/",
        {
            "name_email-full_name": "张三丰",
            "name_email-email": "hijack@example.cn",
            "locale-preferred_language": "en",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
        },
    )
    assert response.status_code == 302
    staff.user.refresh_from_db()
    assert staff.user.full_name == "张三丰"
    assert staff.user.email != "hijack@example.cn"
    assert UserProfile.get_for_user(staff.user).preferred_language == "en"

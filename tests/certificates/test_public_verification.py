"""Anyone can check a certificate by its QR link or its number, without signing in."""

from datetime import date

import pytest
from django.test import override_settings

from certificates import serials, services
from lms.organisations.models import ComplianceRole
from tests.factories.certificates import issue
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(template, org):
    return issue(holder=person(org, user__full_name="张小三").user, template=template)


def test_the_qr_link_shows_the_certificate_with_the_name_masked(
    client, certificate, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = client.get(f"/verify/{certificate.token}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "张*三" in page and "张小三" not in page
    assert certificate.serial in page
    assert certificate.organisation.name in page
    assert "2026年度合规知识考试" in page
    assert 'data-status="valid"' in page


def test_the_app_address_works_too(client, certificate):
    assert client.get(f"/certificates/verify/{certificate.token}/").status_code == 200


def test_a_revoked_certificate_says_revoked(client, certificate, org):
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD).user
    services.certificate_revoke(certificate=certificate, reason="违规", actor=head)
    page = client.get(f"/verify/{certificate.token}/").content.decode()
    assert "已撤销" in page and 'data-status="revoked"' in page


def test_an_expired_certificate_says_expired_even_before_the_nightly_run(client, template):
    certificate = issue(template=template, issued_on=date(2020, 1, 1))
    page = client.get(f"/verify/{certificate.token}/").content.decode()
    assert "已过期" in page and 'data-status="expired"' in page


def test_an_unknown_token_is_a_friendly_404(client):
    response = client.get("/verify/no-such-token/")
    assert response.status_code == 404
    assert "未找到证书" in response.content.decode()


def test_search_by_serial_finds_the_certificate(client, certificate, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/verify/", {"serial": certificate.serial.lower()})
    page = response.content.decode()
    assert "张*三" in page and 'data-status="valid"' in page
    assert certificate.token not in page


def test_a_wrong_check_character_says_the_number_is_invalid(client, certificate):
    wrong = next(c for c in serials.ALPHABET if c != certificate.serial[-1])
    page = client.get("/verify/", {"serial": certificate.serial[:-1] + wrong}).content.decode()
    assert "证书编号无效" in page
    assert "data-status" not in page


def test_a_well_formed_number_nobody_holds(client, certificate):
    serial = serials.format_serial(year=2026, number=99999999)
    page = client.get("/verify/", {"serial": serial}).content.decode()
    assert "没有此编号的证书" in page


@override_settings(CERTIFICATE_VERIFY_RATE_PER_MINUTE=3)
def test_checks_are_rate_limited_per_address(client, certificate):
    url = f"/verify/{certificate.token}/"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    assert client.get(url).status_code == 429
    assert client.get("/verify/", {"serial": certificate.serial}).status_code == 429
    other_address = client.get(url, REMOTE_ADDR="10.1.2.3")
    assert other_address.status_code == 200

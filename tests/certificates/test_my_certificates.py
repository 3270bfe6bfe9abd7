"""我的证书: a holder sees and downloads their own certificates, and nobody else's."""

import pytest
from django.urls import reverse

from tests.factories.certificates import issue
from tests.factories.organisations import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder():
    return UserFactory(full_name="王芳")


def test_my_certificates_lists_mine_only(client, holder, template):
    mine = issue(holder=holder, template=template, title="反商业贿赂合规培训")
    theirs = issue(template=template, title="数据合规专题")
    client.force_login(holder)
    page = client.get(reverse("certificates:mine")).content.decode()
    assert mine.serial in page and "反商业贿赂合规培训" in page
    assert theirs.serial not in page


def test_the_nav_and_home_panel_link_to_my_certificates(client, holder, template):
    issue(holder=holder, template=template, title="反商业贿赂合规培训")
    client.force_login(holder)
    page = client.get(reverse("certificates:mine")).content.decode()
    assert f'href="{reverse("certificates:mine")}"' in page
    assert "我的证书" in page


def test_the_holder_downloads_the_pdf(client, holder, template):
    certificate = issue(holder=holder, template=template)
    client.force_login(holder)
    response = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"{certificate.serial}.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_someone_elses_pdf_is_404(client, holder, template):
    certificate = issue(template=template)
    client.force_login(holder)
    assert client.get(reverse("certificates:download", args=[certificate.pk])).status_code == 404


def test_signing_in_is_required(client, template):
    certificate = issue(template=template)
    response = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

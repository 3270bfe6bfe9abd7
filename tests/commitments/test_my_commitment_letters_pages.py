"""我的承诺书: the person's list, the letter read and signed on its page, the signed letter's PDF
with a QR code to the public check, which shows who signed what and when."""

import pytest
from django.conf import settings
from django.urls import reverse

from lms.commitments.models import CommitmentSignature
from tests.certificates.conftest import pdf_page_png, pdf_text, read_qr_codes
from tests.factories.commitments import launched
from tests.factories.organisations import PASSWORD, OrganisationFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    org = OrganisationFactory(name="页面测试有限公司")
    clerk = person(org, employee_number="P-42")
    campaign = launched(org)
    client.login(username=clerk.user.email, password=PASSWORD)
    signature = CommitmentSignature.objects.get(campaign=campaign, staff=clerk)
    return clerk, campaign, signature


def sign_page(client, signature, name, confirm=True):
    data = {"typed_name": name}
    if confirm:
        data["confirm"] = "on"
    return client.post(reverse("commitments:letter", args=[signature.pk]), data)


def test_the_list_shows_the_letter_to_sign(client, world):
    clerk, campaign, signature = world
    page = client.get(reverse("commitments:mine")).content.decode()
    assert campaign.template.title in page
    assert reverse("commitments:letter", args=[signature.pk]) in page


def test_the_person_reads_the_filled_letter_and_signs(client, world):
    clerk, campaign, signature = world
    page = client.get(reverse("commitments:letter", args=[signature.pk])).content.decode()
    assert clerk.user.full_name in page and "P-42" in page
    response = sign_page(client, signature, clerk.user.full_name)
    assert response.status_code == 302
    signature.refresh_from_db()
    assert signature.status == "signed" and signature.user_agent is not None
    assert signature.ip_address == "127.0.0.1"


def test_a_wrong_name_keeps_what_was_typed_and_says_why(client, world):
    clerk, campaign, signature = world
    response = sign_page(client, signature, "别人的名字")
    assert response.status_code == 400
    assert "别人的名字" in response.content.decode()
    signature.refresh_from_db()
    assert signature.status == "pending"


def test_signing_twice_through_the_page_is_refused(client, world):
    clerk, campaign, signature = world
    sign_page(client, signature, clerk.user.full_name)
    response = sign_page(client, signature, clerk.user.full_name)
    assert response.status_code == 400


def test_someone_elses_letter_is_not_found(client, world):
    clerk, campaign, signature = world
    other = person(clerk.organisation)
    others = CommitmentSignature.objects.create(campaign=campaign, staff=other, user=other.user)
    assert client.get(reverse("commitments:letter", args=[others.pk])).status_code == 404
    assert sign_page(client, others, other.user.full_name).status_code == 404
    others.refresh_from_db()
    assert others.status == "pending"


def test_the_pdf_carries_the_text_and_a_qr_code_to_the_check(client, world, tmp_path):
    clerk, campaign, signature = world
    assert client.get(reverse("commitments:pdf", args=[signature.pk])).status_code == 404
    sign_page(client, signature, clerk.user.full_name)
    signature.refresh_from_db()
    response = client.get(reverse("commitments:pdf", args=[signature.pk]))
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    assert clerk.user.full_name in text and signature.text_sha256[:16] in text.replace("\n", "")
    expected = f"{settings.BASE_URL.rstrip('/')}/commitments/check/{signature.token}/"
    assert read_qr_codes(pdf_page_png(content, tmp_path)) == [expected]


def test_the_public_check_shows_a_valid_letter_and_a_tampered_text(client, world):
    clerk, campaign, signature = world
    sign_page(client, signature, clerk.user.full_name)
    signature.refresh_from_db()
    client.logout()
    url = reverse("commitments:check", args=[signature.token])
    page = client.get(url).content.decode()
    assert campaign.template.title in page and "页面测试有限公司" in page
    assert clerk.user.full_name not in page  # the name is masked
    assert 'id="check-result"' in page and "badge success" in page
    CommitmentSignature.objects.filter(pk=signature.pk).update(text=signature.text + "篡改")
    assert "badge danger" in client.get(url).content.decode()


def test_a_tampered_or_pending_token_is_not_found(client, world):
    clerk, campaign, signature = world
    assert client.get(reverse("commitments:check", args=[signature.token])).status_code == 404
    sign_page(client, signature, clerk.user.full_name)
    bad = signature.token[:-2] + ("aa" if not signature.token.endswith("aa") else "bb")
    assert client.get(reverse("commitments:check", args=[bad])).status_code == 404


def test_the_home_page_lists_the_letters_to_sign_until_signed(client, world):
    from tests.factories.content import home_page

    home_page()
    clerk, campaign, signature = world
    page = client.get("/").content.decode()
    assert 'id="panel-commitments"' in page and campaign.template.title in page
    sign_page(client, signature, clerk.user.full_name)
    assert 'id="panel-commitments"' not in client.get("/").content.decode()

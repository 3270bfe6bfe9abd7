"""The issue's "done when": a new hire signs the commitment letter on a phone-width page (390 px)
and downloads its PDF, whose QR code opens a valid check."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from lms.organisations.services import person_create
from tests.browser.conftest import sign_in
from tests.certificates.conftest import pdf_page_png, read_qr_codes
from tests.factories.commitments import launched
from tests.factories.content import home_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _site_home_page(transactional_db):
    home_page()


def no_overflow(page) -> bool:
    return (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )


def test_a_new_hire_signs_on_a_phone_and_the_pdfs_qr_opens_a_valid_check(
    phone_page, live_server, org, tmp_path
):
    launched(org, audience="new_hires", new_hire_days=30, title="新员工入职合规承诺")
    hire = person_create(
        organisation=org,
        full_name="林新月",
        email="lin.xinyue@example.cn",
        employee_number="NH-0001",
        hire_date=timezone.localdate() - timedelta(days=1),
        password="Demo-2026!",
    )
    page = phone_page
    sign_in(page, live_server, hire.user.email)
    page.goto(f"{live_server.url}/commitments/")
    assert page.locator("h1").inner_text() == "我的承诺书"
    assert no_overflow(page)
    page.get_by_role("link", name="阅读并签署").click()
    assert "NH-0001" in page.locator("article.commitment-text").inner_text()
    assert no_overflow(page)

    page.fill("#typed_name", "林新")  # not the full name: refused, what was typed kept
    page.check("input[name=confirm]")
    page.get_by_role("button", name="签署").click()
    assert "请输入与花名册一致的本人姓名" in page.locator(".errorlist").inner_text()
    assert page.input_value("#typed_name") == "林新"

    page.fill("#typed_name", "林新月")
    page.check("input[name=confirm]")
    page.get_by_role("button", name="签署").click()
    page.wait_for_load_state("networkidle")
    assert "签署成功" in page.content()
    assert no_overflow(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载 PDF").click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    (qr,) = read_qr_codes(pdf_page_png(pdf, tmp_path))

    page.goto(f"{live_server.url}{urlparse(qr).path}")
    assert "有效" in page.locator("#check-result").inner_text()
    assert "林*月" in page.content()
    assert no_overflow(page)

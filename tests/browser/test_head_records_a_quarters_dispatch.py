"""The issue's "done when": the compliance head records a quarter's dispatch meeting on a
phone-width page (390 px) and downloads the quarter's Word report, which opens and names the
quarter."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lms.dispatch.quarters import last_closed
from lms.organisations.models import ComplianceRole
from lms.word import docx_text
from tests.browser.conftest import sign_in
from tests.factories.content import home_page
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _site_home_page(transactional_db):
    home_page()


def no_overflow(page) -> bool:
    return (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )


def test_the_head_records_the_dispatch_and_downloads_the_word_report(
    phone_page, live_server, org, tmp_path
):
    principal = person(org, role=ComplianceRole.PRINCIPAL, user__full_name="周总经理")
    head = person(
        org,
        role=ComplianceRole.COMPLIANCE_HEAD,
        user__full_name="张负责人",
        user__email="head@dispatch.example.cn",
    )
    quarter = last_closed(timezone.localdate())
    page = phone_page
    sign_in(page, live_server, head.user.email)
    page.goto(f"{live_server.url}/dispatch/?org={org.pk}&year={quarter.year}")
    row = page.locator("#dispatch-quarters tr", has_text=quarter.label)
    assert "缺失" in row.inner_text()
    assert no_overflow(page)
    row.get_by_role("link", name="记录调度会议").click()

    page.fill("#held_on", (quarter.start + timedelta(days=20)).isoformat())
    page.get_by_label("周总经理", exact=False).check()
    page.get_by_label("张负责人", exact=False).check()
    page.fill("#minutes", "合规负责人汇报本季度合规管理、风险排查和问题整改情况。")
    page.fill("#decisions", "采购部问题限期一个月整改。")
    page.fill("#priorities", "开展招投标领域专项排查。")
    pdf = tmp_path / "会议材料.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% dispatch minutes\n")
    page.set_input_files("#files", str(pdf))
    assert no_overflow(page)
    page.get_by_role("button", name="记录").click()
    page.wait_for_load_state("networkidle")
    assert "调度会议已记录" in page.content()
    assert "采购部问题限期一个月整改" in page.content()
    assert "会议材料.pdf" in page.content()
    assert no_overflow(page)

    page.get_by_role("link", name="本季度报告").click()
    assert quarter.label in page.locator("h1").inner_text()
    assert no_overflow(page)
    with page.expect_download() as download_info:
        page.locator("#download-word").click()
    download = download_info.value
    assert quarter.code in download.suggested_filename
    text = docx_text(download.path().read_bytes())
    assert f"合规管理工作报告（{quarter.label}）" in text
    assert "采购部问题限期一个月整改" in text and principal.user.full_name in text

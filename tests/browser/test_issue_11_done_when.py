"""Issue 11's "done when", as one journey through the demo's people in real headless Chromium:

1. a new hire of 城投集团 signs the commitment letter on a phone-width page (390×844) and
   downloads its PDF, whose QR code opens a valid check;
2. the compliance head records a quarter's dispatch and downloads the Word report;
3. the group's CCO sees the subsidiary 城投置业's coverage gap;
4. the SASAC officer sees both enterprises' figures and 城投置业's late self-inspection, with the
   due date the SASAC set for this year;
5. the head downloads the inspection archive and it opens.

The steps' own journeys (tests/browser/test_new_hire_signs_commitment_on_a_phone.py and its
neighbours) check each page in more detail; this one checks they hold together on one site.
"""

import io
import zipfile
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from lms.dispatch.quarters import last_closed
from lms.organisations import demo as organisations_demo
from lms.organisations.models import Organisation
from lms.organisations.services import person_create
from lms.oversight import demo as oversight_demo
from lms.oversight import selectors as oversight
from lms.spreadsheets import read_rows
from lms.word import docx_text
from tests.browser.conftest import sign_in
from tests.certificates.conftest import pdf_page_png, read_qr_codes
from tests.factories.commitments import launched
from tests.factories.content import home_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _demo(transactional_db):
    home_page()
    organisations_demo.seed()
    oversight_demo.seed()


def fits(page) -> bool:
    return (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )


def as_(page, live_server, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, email)


def test_issue_11_done_when(page, phone_page, live_server, tmp_path):
    group = Organisation.objects.get(short_name="城投集团")
    today = timezone.localdate()

    # 1. The new hire signs on a phone; the PDF's QR opens a valid check.
    launched(group, audience="new_hires", new_hire_days=30, title="新员工入职合规承诺")
    hire = person_create(
        organisation=group,
        full_name="林新月",
        email="lin.xinyue@chengtou.demo",
        employee_number="CT-NH-01",
        hire_date=today - timedelta(days=1),
        password="Demo-2026!",
    )
    phone = phone_page
    sign_in(phone, live_server, hire.user.email)
    phone.goto(f"{live_server.url}/commitments/")
    phone.get_by_role("link", name="阅读并签署").click()
    assert fits(phone)
    phone.fill("#typed_name", "林新月")
    phone.check("input[name=confirm]")
    phone.get_by_role("button", name="签署").click()
    phone.wait_for_load_state("networkidle")
    assert "签署成功" in phone.content() and fits(phone)
    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="下载 PDF").click()
    letter = download_info.value.path().read_bytes()
    assert letter.startswith(b"%PDF")
    (qr,) = read_qr_codes(pdf_page_png(letter, tmp_path))
    phone.goto(f"{live_server.url}{urlparse(qr).path}")
    assert "有效" in phone.locator("#check-result").inner_text()
    assert fits(phone)

    # 2. The head records the last quarter's dispatch and downloads the Word report.
    quarter = last_closed(today)
    as_(page, live_server, "head@chengtou.demo")
    page.goto(f"{live_server.url}/dispatch/?org={group.pk}&year={quarter.year}")
    row = page.locator("#dispatch-quarters tr", has_text=quarter.label)
    row.get_by_role("link", name="记录调度会议").click()
    page.fill("#held_on", (quarter.start + timedelta(days=20)).isoformat())
    attendees = page.locator("input[name=attendees]")
    attendees.nth(0).check()
    attendees.nth(1).check()
    page.fill("#minutes", "合规负责人汇报本季度合规管理情况。")
    page.fill("#decisions", "采购部问题限期一个月整改。")
    page.fill("#priorities", "开展招投标领域专项排查。")
    page.get_by_role("button", name="记录").click()
    page.wait_for_load_state("networkidle")
    assert "调度会议已记录" in page.content()
    page.get_by_role("link", name="本季度报告").click()
    with page.expect_download() as download_info:
        page.locator("#download-word").click()
    report = docx_text(download_info.value.path().read_bytes())
    assert f"合规管理工作报告（{quarter.label}）" in report
    assert "采购部问题限期一个月整改" in report

    # 3. The group's CCO sees 城投置业's coverage gap.
    as_(page, live_server, "cco@chengtou.demo")
    page.goto(f"{live_server.url}/organisations/coverage/")
    gaps = page.locator("#coverage-gaps").inner_text()
    assert "城投置业" in gaps and "未设首席合规官" in gaps

    # 4. The SASAC officer sees both enterprises' figures and the late self-inspection.
    as_(page, live_server, "officer@sasac.demo")
    page.goto(f"{live_server.url}/oversight/")
    table = page.locator("table.data").inner_text()
    assert "城投集团" in table and "城投置业" in table
    page.get_by_role("link", name="查看名单").click()
    assert "逾期未报送" in page.locator("tr", has_text="城投置业").inner_text()
    assert "已报送" in page.locator("tr", has_text="城投集团").inner_text()
    page.goto(f"{live_server.url}/oversight/self-inspections/?year={today.year}")
    due = oversight.due_dates_set(year=today.year)
    assert [d.isoformat() for d in due.values()] == [f"{today.year + 1}-01-20"]
    assert f"{today.year + 1}-01-20" in page.content()

    # 5. The head downloads the inspection archive, and it opens.
    as_(page, live_server, "head@chengtou.demo")
    page.goto(f"{live_server.url}/archive/")
    page.get_by_role("button", name="生成存档").click()
    page.wait_for_load_state("networkidle")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载存档（压缩包）").click()
    archive = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    assert archive.testzip() is None
    names = archive.namelist()
    assert "目录.xlsx" in names and "审计日志摘录.xlsx" in names
    pdfs = [n for n in names if n.endswith(".pdf")]
    assert pdfs and all(archive.read(n).startswith(b"%PDF") for n in pdfs)
    assert any(n.startswith("调度") or "调度" in n for n in names)
    index = [row for _n, row in read_rows(archive.read("目录.xlsx"))]
    assert set(pdfs) <= {row[0] for row in index[1:]}

"""The issue's "done when": the compliance head asks for the inspection archive, follows its
build and downloads it, and it opens: a real ZIP with the index and the compliance staff's PDFs."""

import io
import zipfile

import pytest

from lms.organisations.models import ComplianceRole
from lms.spreadsheets import read_rows
from tests.browser.conftest import sign_in
from tests.factories.content import home_page
from tests.factories.organisations import PASSWORD, person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _site_home_page(transactional_db):
    home_page()


def test_the_head_downloads_the_inspection_archive_and_it_opens(page, live_server, org):
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD, user__full_name="周负责人")
    person(org, role=ComplianceRole.ADMIN_FULL_TIME, user__full_name="吴专职")
    person(org, user__full_name="郑学员")
    sign_in(page, live_server, head.user.email, PASSWORD)
    page.goto(f"{live_server.url}/archive/")
    assert page.locator("h1").inner_text() == "存档备查"
    page.get_by_role("button", name="生成存档").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "检查存档"
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载存档（压缩包）").click()
    data = download_info.value.path().read_bytes()

    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    names = archive.namelist()
    pdfs = [n for n in names if n.endswith(".pdf")]
    assert len(pdfs) == 2 and all(archive.read(n).startswith(b"%PDF") for n in pdfs)
    assert any("周负责人" in n for n in pdfs) and not any("郑学员" in n for n in names)
    index = [row for _n, row in read_rows(archive.read("目录.xlsx"))]
    assert index[0][0] == "文件"
    assert set(pdfs) <= {row[0] for row in index[1:]}
    assert "README.txt" in names and "审计日志摘录.xlsx" in names

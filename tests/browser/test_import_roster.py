"""A compliance administrator imports a roster in the admin: upload, preview, fix, import."""

import pytest

from lms.organisations.models import ComplianceRole, Staff
from tests.browser.conftest import sign_in
from tests.factories.organisations import OrganisationFactory, person
from tests.organisations.files.roster import person_row, xlsx_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_administrator_fixes_a_bad_row_then_imports(page, live_server, tmp_path, settings):
    settings.ROSTER_UPLOAD_DIR = tmp_path / "uploads"
    org = OrganisationFactory(name="甲网络科技有限公司")
    # An employee number the file does not use, whatever the factory sequence has reached.
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME, employee_number="ADMIN-1")
    bad = tmp_path / "花名册.xlsx"
    bad.write_bytes(xlsx_bytes([person_row(1), person_row(2, 入职日期="2024-02-30")]))
    good = tmp_path / "花名册2.xlsx"
    good.write_bytes(xlsx_bytes([person_row(1), person_row(2, 入职日期="2024-02-29")]))

    sign_in(page, live_server, admin.user.email)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="导入花名册").first.click()
    page.set_input_files("input[name=file]", str(bad))
    page.get_by_role("button", name="检查文件").click()

    problems = page.locator("#roster-problems")
    assert "3" in problems.locator("tbody tr td").first.inner_text()
    assert "不是真实存在的日期" in problems.inner_text()
    assert not Staff.objects.filter(organisation=org, employee_number="E00001").exists()

    page.get_by_role("link", name="上传修改后的文件").click()
    page.set_input_files("input[name=file]", str(good))
    page.get_by_role("button", name="检查文件").click()
    page.get_by_role("button", name="导入 2 行").click()

    assert "新建 2，更新 0，未变 0" in page.locator(".messages").inner_text()
    assert (
        Staff.objects.filter(organisation=org, employee_number__in=["E00001", "E00002"]).count()
        == 2
    )

"""A compliance administrator imports a GIFT file into a bank: the page first shows what it
would create and overwrite (old and new stem) and skip, and imports only on confirmation, on a
desktop and on a phone."""

import pytest
from django.urls import reverse

from lms.organisations.models import ComplianceRole
from tests.browser.conftest import sign_in
from tests.factories.assessments import make_bank, make_question
from tests.factories.organisations import OrganisationFactory, person

pytestmark = pytest.mark.django_db(transaction=True)

GIFT = """::改题:: 合规负责人不得兼任业务部门负责人。 {T}

::新题:: 发现重大风险应当向谁报告？ {=合规负责人 ~客户 ~供应商}

::数值:: 罚款上限是多少万元？ {#50}
"""


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_the_administrator_previews_then_confirms_the_import(
    device, request, live_server, tmp_path
):
    page = request.getfixturevalue(device)
    org = OrganisationFactory(name="乙银行股份有限公司")
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME, employee_number="ADMIN-Q")
    bank = make_bank(org, name="年度题库")
    old = make_question(bank, kind="true_false", stem="旧：合规负责人可以兼任业务部门负责人。")
    old.name, old.key = "改题", ["false"]
    old.save()
    upload = tmp_path / "题库.gift.txt"
    upload.write_text(GIFT, encoding="utf-8")

    sign_in(page, live_server, admin.user.email)
    page.goto(live_server.url + reverse("assessments_admin:bank_transfer", args=[bank.pk]))
    page.set_input_files("input[name=file]", str(upload))
    page.get_by_role("button", name="检查文件").click()

    report = page.locator("#import-report")
    assert "将新建 1，更新 1" in report.inner_text()
    updates = page.locator("#import-updates").inner_text()
    assert "旧：合规负责人可以兼任业务部门负责人。" in updates
    assert "合规负责人不得兼任业务部门负责人。" in updates
    assert "不支持数值题：1 道" in page.locator("#import-skipped-reasons").inner_text()
    assert bank.questions.count() == 1
    if device == "phone_page":  # the preview stays within the phone's width
        right = page.evaluate(
            "document.querySelector('#import-report').getBoundingClientRect().right"
        )
        assert right <= 390

    page.get_by_role("button", name="确认导入").click()
    assert "新建 1，更新 1" in page.locator("#import-counts").inner_text()
    assert bank.questions.filter(status="active").count() == 2
    assert bank.questions.get(status="active", name="改题").key == ["true"]

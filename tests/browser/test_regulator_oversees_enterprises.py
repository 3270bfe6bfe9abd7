"""The SASAC officer sees 城投集团's and 城投置业's figures and 城投置业's late self-inspection
report, on a desktop and on a phone (390 px, nothing off the side of the screen)."""

import pytest

from lms.organisations import demo as organisations_demo
from lms.oversight import demo
from tests.browser.conftest import sign_in
from tests.factories.content import home_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _demo(transactional_db):
    home_page()
    organisations_demo.seed()
    demo.seed()


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_the_sasac_officer_sees_both_enterprises_and_the_late_report(device, request, live_server):
    page = request.getfixturevalue(device)
    sign_in(page, live_server, "officer@sasac.demo")
    page.goto(f"{live_server.url}/oversight/")
    table = page.locator("table.data").inner_text()
    assert "城投集团" in table and "城投置业" in table
    assert "逾期" in page.locator("[role=alert]").inner_text()
    page.get_by_role("link", name="查看名单").click()
    late = page.locator("tr", has_text="城投置业").inner_text()
    assert "逾期未报送" in late
    assert "已报送" in page.locator("tr", has_text="城投集团").inner_text()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0

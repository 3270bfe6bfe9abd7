"""The group's chief compliance officer opens 合规人员配备 and sees the subsidiary's gap, on a
desktop and on a phone (390×844), and opens the subsidiary's read-only page."""

import pytest

from tests.browser.conftest import sign_in
from tests.factories.content import home_page
from tests.organisations.group_world import build_group_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _site_home_page(transactional_db):
    home_page()


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_the_group_cco_sees_the_subsidiarys_coverage_gap(request, device, live_server):
    browser_page = request.getfixturevalue(device)
    world = build_group_world()
    sign_in(browser_page, live_server, world.group_cco.user.email)
    browser_page.goto(f"{live_server.url}/organisations/coverage/")
    gaps = browser_page.locator("#coverage-gaps")
    assert "丙城投置业" in gaps.inner_text()
    assert "未设首席合规官" in gaps.inner_text()
    assert browser_page.locator("#coverage-progress svg").count() == 3
    overflow = browser_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    browser_page.goto(f"{live_server.url}/organisations/group/")
    browser_page.get_by_role("link", name="打开").first.click()
    assert browser_page.locator("h1").inner_text() in {"丙城投置业", "丙城投建设", "丙置业物业"}

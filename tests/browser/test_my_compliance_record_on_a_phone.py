"""A person reads 我的合规档案 on a phone (390 px): nothing runs off the side of the screen."""

import pytest
from django.utils import timezone

from lms.records import services
from tests.browser.conftest import sign_in
from tests.factories.content import home_page
from tests.factories.organisations import DepartmentFactory, person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _site_home_page(transactional_db):
    home_page()


def test_a_learner_reads_their_record_on_a_phone(phone_page, live_server, org):
    staff = person(org, department=DepartmentFactory(organisation=org, name="市场部"))
    for n in range(3):
        services.record_entry(
            staff=staff,
            kind="course_late",
            source=DepartmentFactory(organisation=org),
            occurred_at=timezone.now(),
            summary=f"逾期完成必修课程《一个名称相当长的合规培训课程第{n}讲：反商业贿赂与反不正当竞争》",
        )
    sign_in(phone_page, live_server, staff.user.email)
    phone_page.goto(f"{live_server.url}/records/")
    assert phone_page.locator("h1").inner_text() == "我的合规档案"
    assert phone_page.locator("li.entry").count() == 3
    assert phone_page.locator(".score").inner_text() == "97"
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0

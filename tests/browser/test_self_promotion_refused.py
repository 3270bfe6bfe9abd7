"""A part-time compliance administrator tries to make himself chief compliance officer in the
admin: he is told clearly that he cannot, and shown the way to the appointment process."""

import pytest
from playwright.sync_api import expect

from lms.organisations.models import ComplianceRole, Department, Position, Staff
from tests.browser.conftest import sign_in
from tests.factories.organisations import OrganisationFactory, person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_part_time_administrator_cannot_make_himself_cco(request, viewport, live_server):
    page = request.getfixturevalue(viewport)
    org = OrganisationFactory(name="云集优选网络科技有限公司")
    merchants = Department.objects.create(organisation=org, name="商家管理部")
    Position.objects.create(
        organisation=org,
        name="首席合规官",
        compliance_role=ComplianceRole.CHIEF_COMPLIANCE_OFFICER,
        needs_pre_appointment_exam=True,
    )
    part_time = person(org, role=ComplianceRole.ADMIN_PART_TIME, department=merchants)
    before = Staff.objects.filter(pk=part_time.pk).values().get()

    sign_in(page, live_server, part_time.user.email)
    page.goto(f"{live_server.url}/admin/staff/edit/{part_time.pk}/")
    # Opening his own record already says it is not his to change.
    assert "您不能更改自己的人员记录" in page.locator(".messages").inner_text()

    page.select_option("select[name=position]", label="首席合规官（须经任职）")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()

    messages = page.locator(".messages")
    expect(messages).to_contain_text("无法保存")  # the answer to the save, not the first warning
    expect(messages).to_contain_text("您不能更改自己的人员记录")
    expect(messages).to_contain_text("合规职务只能通过任职申请与审批取得")
    expect(messages).to_be_visible()
    assert Staff.objects.filter(pk=part_time.pk).values().get() == before
    assert not part_time.user.groups.filter(name="合规负责人").exists()

    with page.expect_navigation():
        messages.get_by_role("link", name="前往任职").first.click()
    assert page.url.endswith("/admin/appointments/")

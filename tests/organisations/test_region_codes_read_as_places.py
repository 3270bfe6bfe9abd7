"""People read a place's name where the database keeps its administrative division code."""

import pytest
from django.urls import reverse

from lms.organisations import regions


def test_a_district_reads_with_its_province_and_city():
    assert regions.name_of("330102") == "浙江省杭州市上城区"
    assert regions.name_of("440305") == "广东省深圳市南山区"
    assert regions.short_name_of("330106") == "西湖区"


def test_a_jurisdictions_prefix_names_a_province_or_city():
    assert regions.name_of("33") == "浙江省"
    assert regions.name_of("3301") == "浙江省杭州市"
    assert regions.name_of("1101") == "北京市"
    assert regions.names_of_prefixes("3301, 4403") == "浙江省杭州市、广东省深圳市"


def test_an_unknown_or_malformed_code_is_shown_as_it_is():
    assert regions.name_of("999999") == "999999"
    assert regions.name_of("33a1") == "33a1"
    assert regions.name_of("") == ""
    assert regions.name_of("３３") == "３３"


@pytest.mark.django_db
def test_the_organisation_list_and_page_name_the_region(client):
    from django.contrib.auth.models import Group

    from lms.organisations import roles
    from tests.factories.organisations import OrganisationFactory, UserFactory

    organisation = OrganisationFactory(name="西湖网络科技有限公司", region_code="330106")
    admin = UserFactory(full_name="平台管理员")
    admin.groups.add(Group.objects.get(name=roles.PLATFORM_ADMIN))
    client.force_login(admin)
    listing = client.get(reverse("orgs:index")).content.decode()
    assert "浙江省杭州市西湖区" in listing
    page = client.get(reverse("orgs:inspect", args=[organisation.pk])).content.decode()
    assert "浙江省杭州市西湖区" in page

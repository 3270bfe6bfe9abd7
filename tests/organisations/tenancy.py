"""A small world of two enterprises, a group with a subsidiary and two regulators, for the
tenancy tests: who may see and change what in the Wagtail admin."""

from dataclasses import dataclass

from django.contrib.auth.models import Group

from lms.organisations import roles
from lms.organisations.models import ComplianceRole, Organisation, Staff
from lms.organisations.services import staff_sync_roles
from tests.factories.organisations import (
    DepartmentFactory,
    JurisdictionFactory,
    OrganisationFactory,
    PositionFactory,
    RegulatorFactory,
    UserFactory,
    person,
)


@dataclass
class World:
    a: Organisation
    b: Organisation
    group: Organisation
    subsidiary: Organisation
    city_regulator: Organisation
    assets_regulator: Organisation
    admin_a: Staff
    head_a: Staff
    part_time_a: Staff
    learner_a: Staff
    learner_a_legal: Staff
    admin_b: Staff
    learner_b: Staff
    learner_group: Staff
    learner_subsidiary: Staff
    city_officer: Staff
    assets_officer: Staff
    platform_admin: object
    departments: dict
    positions: dict


def build_world() -> World:
    a = OrganisationFactory(name="甲网络科技有限公司", region_code="330106")
    b = OrganisationFactory(name="乙电子商务有限公司", region_code="330108")
    group = OrganisationFactory(
        name="丙集团有限公司", region_code="110000", sector=Organisation.Sector.STATE_OWNED
    )
    subsidiary = OrganisationFactory(
        name="丙集团深圳子公司",
        region_code="440300",
        sector=Organisation.Sector.STATE_OWNED,
        parent=group,
    )
    city_regulator = RegulatorFactory(name="杭州市市场监督管理局", region_code="330100")
    JurisdictionFactory(
        regulator=city_regulator,
        region_prefixes="3301",
        sectors=[Organisation.Sector.ONLINE_PLATFORM],
    )
    assets_regulator = RegulatorFactory(
        name="国资委", region_code="110000", regulator_type=Organisation.RegulatorType.STATE_ASSETS
    )
    jurisdiction = JurisdictionFactory(regulator=assets_regulator, region_prefixes="")
    jurisdiction.enterprises.add(group)

    head_office = DepartmentFactory(organisation=a, name="总部")
    legal = DepartmentFactory(organisation=a, name="法务部", parent=head_office)
    compliance_unit = DepartmentFactory(organisation=a, name="合规科", parent=legal)
    sales = DepartmentFactory(organisation=a, name="销售部", parent=head_office)
    b_ops = DepartmentFactory(organisation=b, name="运营部")
    a_clerk = PositionFactory(organisation=a, name="专员")
    b_clerk = PositionFactory(organisation=b, name="乙专员")

    platform_user = UserFactory(full_name="平台管理员甲")
    platform_user.groups.add(Group.objects.get(name=roles.PLATFORM_ADMIN))

    return World(
        a=a,
        b=b,
        group=group,
        subsidiary=subsidiary,
        city_regulator=city_regulator,
        assets_regulator=assets_regulator,
        admin_a=person(a, role=ComplianceRole.ADMIN_FULL_TIME, department=legal),
        head_a=person(a, role=ComplianceRole.COMPLIANCE_HEAD, department=head_office),
        part_time_a=person(a, role=ComplianceRole.ADMIN_PART_TIME, department=legal),
        learner_a=person(a, department=sales, position=a_clerk),
        learner_a_legal=person(a, department=compliance_unit, position=a_clerk),
        admin_b=person(b, role=ComplianceRole.ADMIN_FULL_TIME, department=b_ops),
        learner_b=person(b, department=b_ops, position=b_clerk),
        learner_group=person(group),
        learner_subsidiary=person(subsidiary),
        city_officer=person(city_regulator, role=ComplianceRole.REGULATOR_OFFICER),
        assets_officer=person(assets_regulator, role=ComplianceRole.REGULATOR_OFFICER),
        platform_admin=platform_user,
        departments={
            "head_office": head_office,
            "legal": legal,
            "compliance_unit": compliance_unit,
            "sales": sales,
            "b_ops": b_ops,
        },
        positions={"a_clerk": a_clerk, "b_clerk": b_clerk},
    )


def refused(response) -> bool:
    """403, 404, or Wagtail's way of saying 403: back to the admin home with an error."""
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and response.url in ("/admin/", "/admin")


def sync(staff: Staff) -> None:
    staff_sync_roles(user=staff.user)

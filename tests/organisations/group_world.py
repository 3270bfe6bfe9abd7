"""A group with a key subsidiary (which has its own subsidiary), a sibling subsidiary, an
unrelated enterprise and a regulator over the group: for the group roll-up tests."""

from dataclasses import dataclass

from lms.organisations.models import ComplianceRole, Organisation, Staff
from tests.factories.organisations import (
    DepartmentFactory,
    JurisdictionFactory,
    OrganisationFactory,
    RegulatorFactory,
    person,
)

R = ComplianceRole


@dataclass
class GroupWorld:
    group: Organisation
    subsidiary: Organisation
    grandchild: Organisation
    sibling: Organisation
    other: Organisation
    regulator: Organisation
    group_cco: Staff
    group_head: Staff
    group_admin: Staff
    group_part_time: Staff
    group_learner: Staff
    subsidiary_head: Staff
    subsidiary_learner: Staff
    sibling_head: Staff
    regulator_officer: Staff


def build_group_world() -> GroupWorld:
    state_owned = Organisation.Sector.STATE_OWNED
    group = OrganisationFactory(name="丙城投集团", region_code="330100", sector=state_owned)
    subsidiary = OrganisationFactory(
        name="丙城投置业",
        region_code="330100",
        sector=state_owned,
        parent=group,
        is_key_subsidiary=True,
    )
    grandchild = OrganisationFactory(
        name="丙置业物业", region_code="330100", sector=state_owned, parent=subsidiary
    )
    sibling = OrganisationFactory(
        name="丙城投建设",
        region_code="330100",
        sector=state_owned,
        parent=group,
        is_key_subsidiary=True,
    )
    other = OrganisationFactory(name="丁科技有限公司", region_code="330106")
    regulator = RegulatorFactory(
        name="丙市国资委",
        region_code="330100",
        regulator_type=Organisation.RegulatorType.STATE_ASSETS,
    )
    JurisdictionFactory(regulator=regulator, region_prefixes="").enterprises.add(group)

    group_legal = DepartmentFactory(
        organisation=group, name="法务合规部", is_business_department=False
    )
    group_finance = DepartmentFactory(organisation=group, name="财务部")
    sub_ops = DepartmentFactory(organisation=subsidiary, name="运营部")
    sub_legal = DepartmentFactory(
        organisation=subsidiary, name="法务合规部", is_business_department=False
    )
    sibling_ops = DepartmentFactory(organisation=sibling, name="建设运营部")
    return GroupWorld(
        group=group,
        subsidiary=subsidiary,
        grandchild=grandchild,
        sibling=sibling,
        other=other,
        regulator=regulator,
        group_cco=person(group, role=R.CHIEF_COMPLIANCE_OFFICER, department=group_legal),
        group_head=person(group, role=R.COMPLIANCE_HEAD, department=group_legal),
        group_admin=person(group, role=R.ADMIN_FULL_TIME, department=group_legal),
        group_part_time=person(group, role=R.ADMIN_PART_TIME, department=group_finance),
        group_learner=person(group, department=group_finance),
        subsidiary_head=person(subsidiary, role=R.COMPLIANCE_HEAD, department=sub_legal),
        subsidiary_learner=person(subsidiary, department=sub_ops),
        sibling_head=person(sibling, role=R.COMPLIANCE_HEAD, department=sibling_ops),
        regulator_officer=person(regulator, role=R.REGULATOR_OFFICER),
    )

import pytest

from lms.organisations.models import ComplianceRole
from tests.factories import content as cf
from tests.factories.organisations import DepartmentFactory, PositionFactory, person


@pytest.fixture
def department(org):
    return DepartmentFactory(organisation=org, name="运营部")


@pytest.fixture
def learner(org, department):
    return person(org, department=department)


@pytest.fixture
def org_admin(org):
    return person(org, role=ComplianceRole.ADMIN_FULL_TIME)


@pytest.fixture
def key_position(org):
    return PositionFactory(organisation=org, name="采购专员", is_key=True, is_high_risk=True)


@pytest.fixture
def course():
    return cf.course(title="新员工合规必修课", lessons=3)

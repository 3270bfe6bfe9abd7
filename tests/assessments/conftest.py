import pytest

from lms.organisations.models import ComplianceRole
from tests.factories.organisations import person


@pytest.fixture
def learner(org):
    return person(org, role=ComplianceRole.NONE).user


@pytest.fixture
def compliance_admin(org):
    return person(org, role=ComplianceRole.ADMIN_FULL_TIME).user


@pytest.fixture
def other_admin(other_org):
    return person(other_org, role=ComplianceRole.ADMIN_FULL_TIME).user

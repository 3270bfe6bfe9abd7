import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lms.organisations.models import ComplianceRole
from tests.factories.organisations import DepartmentFactory, person


@pytest.fixture
def world(org):
    legal = DepartmentFactory(organisation=org, name="法务部")
    sales = DepartmentFactory(organisation=org, name="销售部")
    return {
        "org": org,
        "legal": legal,
        "sales": sales,
        "head": person(org, role=ComplianceRole.COMPLIANCE_HEAD, user__full_name="张负责人").user,
        "admin": person(org, role=ComplianceRole.ADMIN_FULL_TIME, user__full_name="李专职").user,
        "part_time": person(
            org, role=ComplianceRole.ADMIN_PART_TIME, department=legal, user__full_name="王兼职"
        ).user,
        "learner": person(org, department=sales, user__full_name="赵学员").user,
    }


def pdf(name="意见书.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")

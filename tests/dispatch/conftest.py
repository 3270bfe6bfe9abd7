import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lms.dispatch.quarters import Quarter
from lms.organisations.models import ComplianceRole
from tests.factories.organisations import DepartmentFactory, person

# a closed quarter, so every date in it is in the past
Q = Quarter(2025, 2)


@pytest.fixture
def world(org):
    legal = DepartmentFactory(organisation=org, name="法务部")
    sales = DepartmentFactory(organisation=org, name="销售部")
    staff = {
        "principal": person(
            org, role=ComplianceRole.PRINCIPAL, department=legal, user__full_name="周总经理"
        ),
        "cco": person(
            org,
            role=ComplianceRole.CHIEF_COMPLIANCE_OFFICER,
            department=legal,
            user__full_name="吴首席",
        ),
        "head": person(
            org, role=ComplianceRole.COMPLIANCE_HEAD, department=legal, user__full_name="张负责人"
        ),
        "admin": person(
            org, role=ComplianceRole.ADMIN_FULL_TIME, department=legal, user__full_name="李专职"
        ),
        "part_time": person(
            org, role=ComplianceRole.ADMIN_PART_TIME, department=sales, user__full_name="王兼职"
        ),
        "learner": person(org, department=sales, user__full_name="赵学员"),
    }
    return {"org": org, "legal": legal, "sales": sales, "staff": staff} | {
        key: s.user for key, s in staff.items()
    }


def pdf(name="会议材料.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


def meeting_data(world, **extra):
    data = {
        "organisation_id": world["org"].pk,
        "quarter": Q,
        "held_on": Q.start.replace(day=20),
        "attendee_ids": [world["staff"][k].pk for k in ("principal", "head", "admin")],
        "minutes": "合规负责人汇报本季度合规管理、风险排查和问题整改情况。",
        "decisions": "采购部问题限期整改。",
        "priorities": "开展招投标专项排查。",
    }
    data.update(extra)
    return data

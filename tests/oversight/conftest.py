import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lms.organisations.models import ComplianceRole
from lms.records import services as records
from tests.factories.organisations import (
    DepartmentFactory,
    JurisdictionFactory,
    OrganisationFactory,
    RegulatorFactory,
    person,
)

LEARNER_NAME = "赵学员甲"


@pytest.fixture
def world(db):
    """Regulator R (region 3301) oversees enterprises A and B; C (region 4403) is outside.
    A has a CCO, a head, a part-time administrator in one of its two departments, a learner
    with a confirmed serious violation."""
    regulator = RegulatorFactory(name="测试国资委")
    JurisdictionFactory(regulator=regulator, region_prefixes="3301")
    a = OrganisationFactory(name="甲集团有限公司", short_name="甲集团")
    b = OrganisationFactory(name="乙公司", short_name="乙公司")
    c = OrganisationFactory(name="丙公司", region_code="440300")
    legal = DepartmentFactory(organisation=a, name="法务部")
    DepartmentFactory(organisation=a, name="销售部")
    head = person(a, role=ComplianceRole.COMPLIANCE_HEAD, user__full_name="钱负责人").user
    cco = person(a, role=ComplianceRole.CHIEF_COMPLIANCE_OFFICER, user__full_name="孙首席").user
    person(a, role=ComplianceRole.ADMIN_PART_TIME, department=legal, user__full_name="李兼职")
    learner = person(a, department=legal, user__full_name=LEARNER_NAME)
    officer = person(
        regulator, role=ComplianceRole.REGULATOR_OFFICER, user__full_name="周科长"
    ).user
    inspector = person(
        regulator, role=ComplianceRole.REGULATOR_INSPECTOR, user__full_name="吴检查员"
    ).user
    head_b = person(b, role=ComplianceRole.COMPLIANCE_HEAD, user__full_name="郑负责人").user
    today = timezone.localdate()
    violation = records.violation_report(
        actor=cco,
        staff=learner,
        occurred_on=today,
        nature="收受供应商礼品",
        severity="serious",
        description="收受购物卡。",
    )
    records.violation_statement_give(user=learner.user, violation=violation, statement="知错。")
    records.violation_decide(actor=head, violation=violation, confirm=True, reason="核实")
    return {
        "regulator": regulator,
        "a": a,
        "b": b,
        "c": c,
        "head": head,
        "cco": cco,
        "learner": learner,
        "officer": officer,
        "inspector": inspector,
        "head_b": head_b,
        "head_c": person(c, role=ComplianceRole.COMPLIANCE_HEAD).user,
    }


def pdf(name="自查报告.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")

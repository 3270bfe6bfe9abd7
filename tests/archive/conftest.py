import pytest

from lms.commitments import services as commitments
from lms.commitments.models import CommitmentSignature
from lms.organisations.models import ComplianceRole
from lms.records import services as records
from tests.factories.certificates import CertificateTemplateFactory, issue
from tests.factories.commitments import launched
from tests.factories.organisations import DepartmentFactory, person


@pytest.fixture
def world(org):
    legal = DepartmentFactory(organisation=org, name="法务部")
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD, user__full_name="张负责人")
    admin = person(
        org, role=ComplianceRole.ADMIN_FULL_TIME, department=legal, user__full_name="李专职"
    )
    learner = person(org, department=legal, user__full_name="赵学员", employee_number="L-7")
    campaign = launched(org)
    signature = CommitmentSignature.objects.get(campaign=campaign, staff=learner)
    commitments.commitment_sign(
        signature_id=signature.pk,
        user=learner.user,
        typed_name=learner.user.full_name,
        confirmed=True,
    )
    records.award_give(actor=head.user, kind="praise", reason="主动报告风险线索", staff=learner)
    issue(
        holder=learner.user,
        template=CertificateTemplateFactory(issuing_organisation=org),
        title="年度合规知识考试合格证书",
    )
    return {"org": org, "head": head, "admin": admin, "learner": learner, "campaign": campaign}

import pytest
from taggit.models import Tag

from content.models import RegulationClause
from lms.organisations.models import ComplianceRole
from tests.factories.content import course, regulation
from tests.factories.dutylists import key_position
from tests.factories.organisations import OrganisationFactory, person


@pytest.fixture
def org():
    return OrganisationFactory(name="测试云集有限公司")


@pytest.fixture
def world(org):
    law = regulation(title="反不正当竞争法")
    clause = RegulationClause.objects.create(
        page=law, number="第七条", heading="商业贿赂", text="经营者不得采用财物或者其他手段贿赂。"
    )
    bribery = course(title="反商业贿赂实务")
    bribery.domains.add("反商业贿赂")
    bribery.save()
    buying = key_position(org, "采购专员")
    return {
        "org": org,
        "head": person(org, role=ComplianceRole.COMPLIANCE_HEAD, user__full_name="张负责人"),
        "admin": person(org, role=ComplianceRole.ADMIN_FULL_TIME, user__full_name="李专职"),
        "learner": person(org, user__full_name="赵学员"),
        "buyer": person(org, position=buying, user__full_name="钱采购", employee_number="YJ-088"),
        "position": buying,
        "clause": clause,
        "course": bribery,
        "domain": Tag.objects.get(name="反商业贿赂"),
    }

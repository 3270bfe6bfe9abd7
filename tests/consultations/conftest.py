import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from content.models import RegulationClause
from lms.organisations.models import ComplianceRole
from tests.factories import content
from tests.factories.organisations import DepartmentFactory, person


@pytest.fixture
def world(org, other_org):
    return build_world(org, other_org)


def build_world(org, other_org) -> dict:
    merchants = DepartmentFactory(organisation=org, name="商家管理部")
    team = DepartmentFactory(organisation=org, name="商家一组", parent=merchants)
    operations = DepartmentFactory(organisation=org, name="运营部")
    legal = DepartmentFactory(organisation=org, name="法务合规部")
    elsewhere = DepartmentFactory(organisation=other_org, name="商家管理部")
    course = content.course(title="反商业贿赂", lessons=2, owner=org)
    regulation = content.regulation(title="反不正当竞争法")
    clause = RegulationClause.objects.create(
        page=regulation,
        number="第七条",
        heading="商业贿赂",
        text="经营者不得采用财物或者其他手段贿赂单位或者个人。",
    )
    return {
        "org": org,
        "other_org": other_org,
        "merchants": merchants,
        "team": team,
        "operations": operations,
        "course": course,
        "lesson": course.lessons().first(),
        "clause": clause,
        "cco": person(
            org,
            role=ComplianceRole.CHIEF_COMPLIANCE_OFFICER,
            department=legal,
            user__full_name="钱首席",
        ).user,
        "head": person(
            org, role=ComplianceRole.COMPLIANCE_HEAD, department=legal, user__full_name="孙负责人"
        ).user,
        "admin": person(
            org, role=ComplianceRole.ADMIN_FULL_TIME, department=legal, user__full_name="李专职"
        ).user,
        "part_time": person(
            org,
            role=ComplianceRole.ADMIN_PART_TIME,
            department=merchants,
            user__full_name="王兼职",
        ).user,
        "learner": person(org, department=team, user__full_name="赵学员").user,
        "colleague": person(org, department=operations, user__full_name="周同事").user,
        "other_part_time": person(
            other_org,
            role=ComplianceRole.ADMIN_PART_TIME,
            department=elsewhere,
            user__full_name="吴外部",
        ).user,
        "other_head": person(
            other_org, role=ComplianceRole.COMPLIANCE_HEAD, user__full_name="郑外部负责人"
        ).user,
    }


def pdf(name="说明.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


def ask(world, *, actor=None, text="收到商家赠送的购物卡怎么办？", **kwargs):
    from lms.consultations import services

    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.question_ask(actor=actor or world["learner"], text=text, **kwargs)


def answer(world, question, *, actor=None, clauses=()):
    from lms.consultations import services

    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.question_answer(
            actor=actor or world["part_time"],
            question_id=question.pk,
            answer="不得收受，应当婉拒并登记。",
            clause_ids=[c.pk for c in clauses],
        )


def report(world, *, actor=None, anonymous=True, **kwargs):
    from lms.consultations import services

    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.report_submit(
            actor=actor or world["learner"],
            subject=kwargs.pop("subject", "采购回扣线索"),
            description=kwargs.pop("description", "采购部有人收取供应商回扣。"),
            anonymous=anonymous,
            **kwargs,
        )

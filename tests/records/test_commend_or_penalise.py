"""表彰奖励 / 惩戒: the compliance head commends or penalises a person or a department, with a
reason; a person's award enters the ledger; the honour roll shows the commendations."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lms.audit.models import AuditEntry
from lms.organisations.models import ComplianceRole
from lms.records import services
from lms.records.models import Award, LedgerEntry
from tests.factories.organisations import DepartmentFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org):
    legal = DepartmentFactory(organisation=org, name="法务部")
    return {
        "head": person(org, role=ComplianceRole.COMPLIANCE_HEAD).user,
        "admin": person(org, role=ComplianceRole.ADMIN_FULL_TIME).user,
        "learner": person(org, department=legal, user__full_name="赵先进"),
        "legal": legal,
    }


def test_a_commendation_and_a_penalty_enter_the_ledger_with_their_sign(world):
    services.award_give(
        actor=world["head"],
        kind=Award.Kind.ADVANCED_PERSON,
        staff=world["learner"],
        reason="全年零违规并主动报告风险",
        points="10",
    )
    services.award_give(
        actor=world["head"],
        kind=Award.Kind.WARNING,
        staff=world["learner"],
        reason="未按时提交合规承诺书",
        points="5",
    )
    points = dict(LedgerEntry.objects.values_list("kind", "points"))
    assert points == {"commendation": Decimal("10.00"), "penalty": Decimal("-5.00")}
    assert (
        AuditEntry.objects.filter(action__in=["records.commendation", "records.penalty"]).count()
        == 2
    )


def test_a_model_department_is_on_the_honour_roll_and_only_the_head_decides(client, world):
    with pytest.raises(PermissionDenied):
        services.award_give(
            actor=world["admin"],
            kind=Award.Kind.MODEL_DEPARTMENT,
            department=world["legal"],
            reason="合规示范",
        )
    services.award_give(
        actor=world["head"],
        kind=Award.Kind.MODEL_DEPARTMENT,
        department=world["legal"],
        reason="合规体系建设成效显著",
    )
    assert not LedgerEntry.objects.exists()
    client.force_login(world["learner"].user)
    html = client.get(reverse("records:honour_roll")).content.decode()
    assert "法务部" in html and "合规示范部门" in html


def test_bad_input_is_refused_and_nothing_saved(world, other_org):
    with pytest.raises(ValidationError):
        services.award_give(actor=world["head"], kind="medal", staff=world["learner"], reason="x")
    with pytest.raises(ValidationError):
        services.award_give(
            actor=world["head"], kind=Award.Kind.WARNING, staff=world["learner"], reason=" "
        )
    with pytest.raises(PermissionDenied):
        services.award_give(
            actor=world["head"], kind=Award.Kind.WARNING, staff=person(other_org), reason="x"
        )
    assert not Award.objects.exists() and not LedgerEntry.objects.exists()

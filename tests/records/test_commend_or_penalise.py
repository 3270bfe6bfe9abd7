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


# --- the give-form -----------------------------------------------------------------------------

FORM = reverse("records:award_new")


def confirmed_violation(world):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    violation = services.violation_report(
        actor=world["admin"],
        staff=world["learner"],
        occurred_on=today - timedelta(days=1),
        nature="虚报费用",
        severity="major",
        description="报销虚开发票。",
    )
    services.violation_statement_give(
        user=world["learner"].user, violation=violation, statement="认错"
    )
    return services.violation_decide(
        actor=world["head"], violation=violation, confirm=True, reason="属实"
    )


def test_the_head_commends_a_person_and_a_department_through_the_form(client, world):
    client.force_login(world["head"])
    page = client.get(FORM).content.decode()
    assert "赵先进" in page and "法务部" in page and "年度合规先进个人" in page
    response = client.post(
        FORM,
        {
            "recipient": "person",
            "staff": world["learner"].pk,
            "kind": Award.Kind.ADVANCED_PERSON,
            "reason": "全年零违规",
            "points": "8",
        },
    )
    assert response.status_code == 302
    assert LedgerEntry.objects.get(kind="commendation").points == Decimal("8.00")
    response = client.post(
        FORM,
        {
            "recipient": "department",
            "department": world["legal"].pk,
            "kind": Award.Kind.MODEL_DEPARTMENT,
            "reason": "合规示范",
        },
    )
    assert response.status_code == 302
    assert Award.objects.filter(department=world["legal"]).exists()


def test_a_penalty_links_a_confirmed_violation_of_that_person(client, world):
    violation = confirmed_violation(world)
    client.force_login(world["head"])
    assert "虚报费用" in client.get(FORM).content.decode()
    response = client.post(
        FORM,
        {
            "recipient": "person",
            "staff": world["learner"].pk,
            "kind": Award.Kind.DEMERIT,
            "reason": "虚报费用记过",
            "points": "6",
            "violation": violation.pk,
        },
    )
    assert response.status_code == 302
    award = Award.objects.get(kind=Award.Kind.DEMERIT)
    assert award.violation == violation and award.points == Decimal("-6.00")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": ""}, "请选择"),
        ({"reason": "  "}, "理由"),
        ({"points": "abc"}, "数字"),
        ({"points": "1000"}, "100"),
        ({"staff": ""}, "请选择人员"),
        ({"kind": "model_department"}, "部门"),
        ({"kind": "praise", "violation": "LINK"}, "惩戒"),
    ],
)
def test_bad_input_through_the_form_is_refused_whole_with_a_clear_message(
    client, world, changes, message
):
    data = {
        "recipient": "person",
        "staff": world["learner"].pk,
        "kind": Award.Kind.WARNING,
        "reason": "迟交承诺书",
        "points": "2",
    }
    if changes.get("violation") == "LINK":
        changes["violation"] = confirmed_violation(world).pk
    data.update(changes)
    client.force_login(world["head"])
    entries = LedgerEntry.objects.count()
    response = client.post(FORM, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert not data["reason"].strip() or data["reason"] in html  # nothing typed is lost
    assert not Award.objects.exists() and LedgerEntry.objects.count() == entries


def test_only_the_head_gives_and_never_to_themselves_or_outside_their_scope(
    client, world, other_org
):
    from lms.organisations.models import Staff

    client.force_login(world["admin"])
    assert client.get(FORM).status_code == 404
    client.force_login(world["head"])
    own = Staff.objects.get(user=world["head"])
    stranger = person(other_org, user__full_name="外单位员工")
    page = client.get(FORM).content.decode()
    assert "外单位员工" not in page
    for staff in (own, stranger):
        response = client.post(
            FORM,
            {"recipient": "person", "staff": staff.pk, "kind": "praise", "reason": "自评"},
        )
        assert response.status_code == 400
    assert not Award.objects.exists()

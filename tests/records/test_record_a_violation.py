"""违规行为记录: an administrator records a violation with evidence; the person is notified and
may give a statement by the deadline; the compliance head confirms or dismisses, once, with
reasons; a confirmed violation enters the ledger and lowers the grade. Bad input refused whole."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from lms.audit.models import AuditEntry
from lms.notifications.models import Notification
from lms.organisations.models import ComplianceRole
from lms.records import services
from lms.records.models import LedgerEntry, Violation, ViolationEvidence
from tests.factories.organisations import DepartmentFactory, person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def world(org):
    legal = DepartmentFactory(organisation=org, name="法务部")
    sales = DepartmentFactory(organisation=org, name="销售部")
    return {
        "head": person(org, role=ComplianceRole.COMPLIANCE_HEAD).user,
        "admin": person(org, role=ComplianceRole.ADMIN_FULL_TIME).user,
        "part_time": person(org, role=ComplianceRole.ADMIN_PART_TIME, department=legal).user,
        "seller": person(org, department=sales, user__full_name="王销售"),
    }


def report(world, *, actor=None, staff=None, files=(), **changes):
    data = {
        "occurred_on": TODAY - timedelta(days=2),
        "nature": "收受供应商礼品",
        "severity": "serious",
        "description": "在采购过程中收受供应商购物卡。",
        "harm": "影响采购公正",
        "files": files,
    }
    data.update(changes)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.violation_report(
            actor=actor or world["admin"], staff=staff or world["seller"], **data
        )


def pdf(name="证据.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


def test_the_person_is_notified_and_the_report_is_audited_with_its_evidence(world):
    violation = report(world, files=[pdf()])
    assert violation.status == Violation.Status.AWAITING_STATEMENT
    assert violation.statement_due == TODAY + timedelta(days=services.STATEMENT_DAYS)
    assert ViolationEvidence.objects.filter(violation=violation).count() == 1
    notice = Notification.objects.get(user=world["seller"].user)
    assert notice.kind == "records" and reverse("records:violation", args=[violation.pk]) in (
        notice.link
    )
    assert AuditEntry.objects.filter(action="records.violation_report").count() == 1
    assert not LedgerEntry.objects.exists()  # nothing counts before the head confirms


def test_someone_outside_the_scope_is_refused_and_a_404_on_the_page(client, world, other_org):
    with pytest.raises(PermissionDenied):
        report(world, actor=world["part_time"])  # the seller is not in their department
    stranger = person(other_org)
    with pytest.raises(PermissionDenied):
        report(world, staff=stranger)
    client.force_login(world["admin"])
    response = client.post(
        reverse("records:violation_new"),
        {
            "staff": stranger.pk,
            "occurred_on": "2026-01-05",
            "nature": "x",
            "severity": "general",
            "description": "x",
        },
    )
    assert response.status_code == 404
    assert not Violation.objects.exists()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("evil.exe", b"MZ" + b"0" * 10),
        SimpleUploadedFile("fake.pdf", b"MZ not a pdf"),
    ],
)
def test_evidence_of_a_wrong_type_is_refused_and_nothing_is_saved(world, upload):
    with pytest.raises(ValidationError) as refused:
        report(world, files=[upload])
    assert "files" in refused.value.message_dict
    assert not Violation.objects.exists() and not ViolationEvidence.objects.exists()


def test_evidence_too_big_is_refused(world, settings):
    from lms import attachments

    too_big = pdf(size=attachments.MAX_ATTACHMENT_BYTES + 1)
    with pytest.raises(ValidationError, match="MB"):
        report(world, files=[too_big])
    assert not Violation.objects.exists()


def test_a_statement_by_the_deadline_then_the_head_confirms_once(world):
    violation = report(world)
    services.violation_statement_give(
        user=world["seller"].user, violation=violation, statement="礼品已退回，请求从轻处理。"
    )
    with pytest.raises(PermissionDenied):
        services.violation_decide(
            actor=world["admin"], violation=violation, confirm=True, reason="证据确凿"
        )
    services.violation_decide(
        actor=world["head"], violation=violation, confirm=True, reason="证据确凿"
    )
    entry = LedgerEntry.objects.get(user=world["seller"].user)
    assert entry.kind == "violation" and entry.severity == "serious" and entry.points < 0
    with pytest.raises(services.ViolationRefused):
        services.violation_decide(
            actor=world["head"], violation=violation, confirm=True, reason="再次确认"
        )
    assert LedgerEntry.objects.count() == 1
    assert AuditEntry.objects.filter(action="records.violation_confirm").count() == 1


def test_a_statement_after_the_deadline_is_refused(world):
    violation = report(world)
    late = violation.statement_due + timedelta(days=1)
    with pytest.raises(services.ViolationRefused, match="ended|截止|结束"):
        services.violation_statement_give(
            user=world["seller"].user, violation=violation, statement="迟到的申辩", today=late
        )
    violation.refresh_from_db()
    assert violation.statement == "" and violation.status == Violation.Status.AWAITING_STATEMENT


def test_no_decision_while_the_person_may_still_give_a_statement(world):
    violation = report(world)
    with pytest.raises(services.ViolationRefused):
        services.violation_decide(
            actor=world["head"], violation=violation, confirm=True, reason="证据确凿"
        )
    after = violation.statement_due + timedelta(days=1)
    services.violation_decide(
        actor=world["head"], violation=violation, confirm=False, reason="证据不足", today=after
    )
    violation.refresh_from_db()
    assert violation.status == Violation.Status.DISMISSED
    assert not LedgerEntry.objects.exists()


def test_the_person_states_and_the_head_confirms_through_the_pages(client, world):
    violation = report(world)
    url = reverse("records:violation", args=[violation.pk])
    client.force_login(world["seller"].user)
    html = client.get(reverse("records:my_record")).content.decode()
    assert "收受供应商礼品" in html
    assert "statement-form" in client.get(url).content.decode()
    client.post(url, {"action": "statement", "statement": "我已退回购物卡。"})
    client.force_login(world["head"])
    page = client.get(url).content.decode()
    assert "我已退回购物卡。" in page and "decision-form" in page
    client.post(url, {"action": "confirm", "reason": "证据确凿"})
    violation.refresh_from_db()
    assert violation.status == Violation.Status.CONFIRMED
    client.force_login(world["seller"].user)
    record = client.get(reverse("records:my_record")).content.decode()
    assert "基本合格" in record  # a serious violation caps the grade
    other = person(world["seller"].organisation)
    client.force_login(other.user)
    assert client.get(url).status_code == 404

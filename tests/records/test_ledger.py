"""The compliance ledger: one entry per event, never edited, corrected by a reversing entry."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from lms.audit.models import AuditEntry
from lms.organisations.models import ComplianceRole
from lms.records import services
from lms.records.models import LedgerEntry, LedgerIsAppendOnly
from lms.records.scoring import DEFAULT_RULES, PolicyError
from tests.factories.organisations import DepartmentFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(org):
    return person(org, department=DepartmentFactory(organisation=org, name="法务部"))


def _record(staff, kind="course_on_time", source=None, **kwargs):
    return services.record_entry(
        staff=staff,
        kind=kind,
        source=source or staff,
        occurred_at=timezone.now(),
        summary="完成必修课程",
        **kwargs,
    )


def test_an_entry_keeps_the_persons_place_and_the_policys_points(staff):
    entry = _record(staff)
    assert entry.organisation_id == staff.organisation_id
    assert entry.department_name == "法务部"
    assert entry.category == "training"
    assert entry.year == timezone.localdate().year
    assert entry.points == Decimal(DEFAULT_RULES["points"]["course_on_time"])


def test_a_repeated_event_never_counts_twice(staff):
    first = _record(staff)
    again = _record(staff)
    assert again.pk == first.pk
    assert LedgerEntry.objects.count() == 1


def test_a_correction_is_a_reversing_entry_with_a_reason_and_is_audited(staff, org):
    entry = _record(staff)
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD).user
    reversal = services.reverse_entry(entry=entry, reason="录入错误", actor=head)
    assert reversal.reverses == entry
    assert reversal.points == -entry.points
    assert reversal.reason == "录入错误"
    assert AuditEntry.objects.filter(action="records.entry_reverse", actor=head).count() == 1


def test_reversing_twice_is_refused_and_changes_nothing(staff):
    entry = _record(staff)
    services.reverse_entry(entry=entry, reason="录入错误")
    with pytest.raises(services.EntryAlreadyReversed):
        services.reverse_entry(entry=entry, reason="再次更正")
    assert LedgerEntry.objects.count() == 2


def test_a_correction_needs_a_reason_and_is_never_itself_reversed(staff):
    entry = _record(staff)
    with pytest.raises(ValidationError):
        services.reverse_entry(entry=entry, reason="  ")
    reversal = services.reverse_entry(entry=entry, reason="录入错误")
    with pytest.raises(ValidationError):
        services.reverse_entry(entry=reversal, reason="撤销更正")
    assert LedgerEntry.objects.count() == 2


def test_the_same_event_after_a_reversal_counts_again_once(staff):
    entry = _record(staff)
    services.reverse_entry(entry=entry, reason="成绩复核")
    again = _record(staff)
    assert again.pk != entry.pk and again.generation == 2
    assert _record(staff).pk == again.pk


def test_a_kind_the_ledger_or_the_policy_does_not_know_is_refused(staff, org):
    with pytest.raises(PolicyError):
        _record(staff, kind="birthday")
    rules = {**DEFAULT_RULES, "points": {"exam_passed": "5"}}
    services.policy_save(organisation=org, year=timezone.localdate().year, rules=rules)
    with pytest.raises(PolicyError, match="no points|未规定"):
        _record(staff, kind="course_on_time")
    assert LedgerEntry.objects.count() == 0


def test_the_model_refuses_update_and_delete(staff):
    entry = _record(staff)
    entry.summary = "篡改"
    with pytest.raises(LedgerIsAppendOnly):
        entry.save()
    with pytest.raises(LedgerIsAppendOnly):
        entry.delete()
    with pytest.raises(LedgerIsAppendOnly):
        LedgerEntry.objects.filter(pk=entry.pk).update(summary="篡改")
    with pytest.raises(LedgerIsAppendOnly):
        LedgerEntry.objects.all().delete()


def test_the_database_refuses_update_and_delete(staff):
    _record(staff)
    table = LedgerEntry._meta.db_table
    for sql in (f"UPDATE {table} SET summary = 'tampered'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert LedgerEntry.objects.filter(summary="tampered").count() == 0
    assert LedgerEntry.objects.count() == 1

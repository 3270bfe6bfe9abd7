"""A duty in the log counts once in the author's compliance record, under the duty category;
the backfill adds nothing more; a stored policy that predates duties keeps it at 0 points."""

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from lms.duties import services
from lms.duties.models import DutyType
from lms.records import receivers
from lms.records.backfill import backfill
from lms.records.kinds import Category
from lms.records.models import LedgerEntry, ScoringPolicy

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def record(world):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.duty_entry_record(
            actor=world["part_time"],
            organisation_id=world["org"].pk,
            kind=DutyType.RISK_SCREENING,
            occurred_on=TODAY - timedelta(days=1),
            department_id=world["legal"].pk,
            description="月度风险排查",
            zero_risk=True,
        )


def test_a_duty_enters_the_ledger_once_under_the_duty_category(world):
    entry = record(world)
    ledger = LedgerEntry.objects.get()
    assert ledger.user == world["part_time"] and ledger.category == Category.DUTY
    assert ledger.kind == "duty_logged" and ledger.points == 1
    assert ledger.year == entry.occurred_on.year and "风险排查" in ledger.summary
    receivers.on_duty_logged(None, entry=entry)  # the signal heard twice
    backfill()
    assert LedgerEntry.objects.count() == 1


def test_a_stored_policy_without_duties_keeps_the_entry_at_zero_points(world):
    ScoringPolicy.objects.create(
        organisation=world["org"],
        year=(TODAY - timedelta(days=1)).year,
        version=1,
        rules={"base": "100", "points": {"course_on_time": "2"}},
    )
    record(world)
    assert LedgerEntry.objects.get().points == 0

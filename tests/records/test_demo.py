import pytest
from django.utils import timezone

from lms.organisations import demo as organisations_demo
from lms.records import demo
from lms.records.models import LedgerEntry, Violation

pytestmark = pytest.mark.django_db


def test_the_demo_has_violations_at_every_stage_and_last_years_record_and_runs_twice():
    organisations_demo.seed()
    demo.seed()
    counts = (Violation.objects.count(), LedgerEntry.objects.count())
    demo.seed()
    assert (Violation.objects.count(), LedgerEntry.objects.count()) == counts
    assert set(Violation.objects.values_list("status", flat=True)) == {
        Violation.Status.AWAITING_STATEMENT,
        Violation.Status.AWAITING_DECISION,
        Violation.Status.CONFIRMED,
        Violation.Status.DISMISSED,
    }
    years = set(LedgerEntry.objects.values_list("year", flat=True))
    assert {timezone.localdate().year - 1, timezone.localdate().year} <= years

import pytest
from django.test import TestCase

from lms.duties import demo
from lms.duties.models import DutyEntry, DutyType
from lms.organisations import demo as organisations_demo
from lms.records.models import LedgerEntry

pytestmark = pytest.mark.django_db


def test_the_demo_logs_a_month_of_yunjis_administrators_duties_once():
    organisations_demo.seed()
    with TestCase.captureOnCommitCallbacks(execute=True):
        demo.seed()
        demo.seed()
    screening = DutyEntry.objects.get(kind=DutyType.RISK_SCREENING)
    assert screening.zero_risk and screening.author.user.email == "admin2@yunji.demo"
    inspection = DutyEntry.objects.get(kind=DutyType.SELF_INSPECTION)
    assert inspection.opinion and inspection.author.user.email == "admin@yunji.demo"
    assert DutyEntry.objects.count() == len(demo.ENTRIES)
    assert LedgerEntry.objects.filter(kind="duty_logged").count() == len(demo.ENTRIES)

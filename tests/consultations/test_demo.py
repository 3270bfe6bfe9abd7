import pytest
from django.test import TestCase

from lms.consultations import demo
from lms.consultations.models import FaqEntry, Question, Report
from lms.organisations import demo as organisations_demo

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_yunjis_consultations_once():
    organisations_demo.seed()
    with TestCase.captureOnCommitCallbacks(execute=True):
        demo.seed()
        demo.seed()
    assert Question.objects.filter(status="answered").count() == 1
    assert Question.objects.filter(status="open").count() == 1
    assert FaqEntry.objects.count() == 1
    made = Report.objects.get()
    assert made.anonymous and made.organisation.name.startswith("杭州云集")

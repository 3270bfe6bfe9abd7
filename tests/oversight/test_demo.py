import pytest
from django.test import TestCase

from lms.notifications.models import Notification
from lms.organisations import demo as organisations_demo
from lms.oversight import demo
from lms.oversight.models import EnterpriseFigures, SelfInspection

pytestmark = pytest.mark.django_db


def test_the_demo_submits_chengtous_report_and_leaves_zhiyes_late_once():
    organisations_demo.seed()
    with TestCase.captureOnCommitCallbacks(execute=True):
        demo.seed()
        demo.seed()
    report = SelfInspection.objects.get()
    assert report.organisation.short_name == "城投集团"
    assert report.replaced_count == 0
    late = Notification.objects.filter(kind="self_inspection_late")
    assert late.filter(user__email="head@zhiye.demo").count() == 1
    assert not late.filter(user__email="head@chengtou.demo").exists()
    assert EnterpriseFigures.objects.filter(organisation=report.organisation).exists()

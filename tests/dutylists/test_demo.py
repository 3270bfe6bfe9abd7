import pytest
from django.test import TestCase

from content import demo as content_demo
from lms.dutylists import demo
from lms.dutylists.models import DutyAcknowledgement, DutyList, PostCourse
from lms.learning.models import Enrolment
from lms.organisations import demo as organisations_demo

pytestmark = pytest.mark.django_db


def test_the_demo_writes_yunjis_key_position_lists_with_one_unacknowledged_once():
    organisations_demo.seed()
    content_demo.seed()
    with TestCase.captureOnCommitCallbacks(execute=True):
        demo.seed()
        demo.seed()
    assert DutyList.objects.count() == len(demo.LISTS)
    assert all(d.current_version == 1 for d in DutyList.objects.all())
    pending = DutyAcknowledgement.objects.filter(status="pending")
    assert [a.user.email for a in pending] == ["buyer@yunji.demo"]
    signed = DutyAcknowledgement.objects.filter(status="signed")
    assert {a.user.email for a in signed} == {f"{x}@yunji.demo" for x in demo.ACKNOWLEDGED_BY}
    assert (
        DutyList.objects.get(position__name="采购专员")
        .versions.get()
        .items.filter(clauses__isnull=False)
        .exists()
    )
    assert PostCourse.objects.filter(duty_list__position__name="采购专员").exists()
    assert Enrolment.objects.filter(
        user__email="buyer@yunji.demo", reason__contains="采购专员"
    ).exists()

import pytest

from certificates import demo
from certificates.models import Certificate
from lms.organisations import demo as organisations_demo

pytestmark = pytest.mark.django_db


def test_the_demo_shows_valid_revoked_and_expired_certificates_and_runs_twice():
    organisations_demo.seed()
    demo.seed()
    count = Certificate.objects.count()
    demo.seed()
    assert Certificate.objects.count() == count
    statuses = set(Certificate.objects.values_list("status", flat=True))
    assert {
        Certificate.Status.VALID,
        Certificate.Status.REVOKED,
        Certificate.Status.EXPIRED,
    } <= statuses
    assert all(c.template.seal for c in Certificate.objects.select_related("template"))

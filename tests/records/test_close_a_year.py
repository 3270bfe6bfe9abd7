"""The compliance head closes a year: each person's appraisal is frozen with the policy and a
hash of the entries; a closed year is never recomputed; closing twice is refused."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from lms.audit.models import AuditEntry
from lms.organisations.models import ComplianceRole
from lms.records import services
from lms.records.models import Appraisal, ClosedYear
from lms.records.signals import year_closed
from tests.factories.organisations import DepartmentFactory, person

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def world(org):
    return {
        "head": person(org, role=ComplianceRole.COMPLIANCE_HEAD).user,
        "admin": person(org, role=ComplianceRole.ADMIN_FULL_TIME).user,
        "learner": person(org, department=DepartmentFactory(organisation=org, name="法务部")),
    }


def record(staff, kind="course_on_time"):
    return services.record_entry(
        staff=staff,
        kind=kind,
        source=DepartmentFactory(organisation=staff.organisation),
        occurred_at=timezone.now(),
        summary="事项",
    )


def test_closing_freezes_each_persons_appraisal_and_tells_integrations(org, world):
    record(world["learner"])
    heard = []
    year_closed.connect(lambda sender, closed_year, **kw: heard.append(closed_year), weak=False)
    with TestCase.captureOnCommitCallbacks(execute=True):
        closed = services.year_close(actor=world["head"], organisation=org, year=YEAR)
    frozen = Appraisal.objects.get(closed_year=closed, staff=world["learner"])
    assert str(frozen.score) == "102.00" and frozen.grade == "pass"
    assert len(frozen.entries_hash) == 64
    assert heard == [closed]
    assert AuditEntry.objects.filter(action="records.year_close").count() == 1


def test_a_closed_year_is_never_recomputed_and_closing_twice_is_refused(client, org, world):
    record(world["learner"])
    services.year_close(actor=world["head"], organisation=org, year=YEAR)
    record(world["learner"], "exam_failed")  # a late entry does not change the frozen year
    client.force_login(world["head"])
    html = client.get(reverse("records:appraisal"), {"year": YEAR}).content.decode()
    assert 'id="closed"' in html and "102" in html and "不合格" not in html.split("people")[-1]
    with pytest.raises(services.YearAlreadyClosed):
        services.year_close(actor=world["head"], organisation=org, year=YEAR)
    response = client.post(reverse("records:year_close"), {"org": org.pk, "year": YEAR})
    assert response.status_code == 302
    assert ClosedYear.objects.count() == 1


def test_only_the_head_closes_a_year(client, org, world):
    with pytest.raises(PermissionDenied):
        services.year_close(actor=world["admin"], organisation=org, year=YEAR)
    client.force_login(world["admin"])
    assert (
        client.post(reverse("records:year_close"), {"org": org.pk, "year": YEAR}).status_code == 404
    )
    assert not ClosedYear.objects.exists()

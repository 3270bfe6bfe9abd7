"""After a year is closed, the compliance head amends a person's appraisal (a correction came in):
a new version with the reason, audited; the closed version stays readable; no amendment
without a reason, on an open year, or when nothing changed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from lms.audit.models import AuditEntry
from lms.organisations.models import ComplianceRole
from lms.records import services
from lms.records.models import Appraisal
from tests.factories.organisations import DepartmentFactory, person

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def world(org):
    learner = person(org, user__full_name="李更正")
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD).user
    failed = services.record_entry(
        staff=learner,
        kind="exam_failed",
        source=DepartmentFactory(organisation=org),
        occurred_at=timezone.now(),
        summary="年度考试未通过",
    )
    services.year_close(actor=head, organisation=org, year=YEAR)
    return {"org": org, "head": head, "learner": learner, "failed": failed}


def test_a_correction_then_an_amendment_makes_a_new_version_and_keeps_the_closed_one(client, world):
    services.reverse_entry(
        entry=world["failed"], reason="阅卷错误，已复核通过", actor=world["head"]
    )
    amended = services.appraisal_amend(
        actor=world["head"], staff=world["learner"], year=YEAR, reason="复核后更正考试结果"
    )
    versions = Appraisal.objects.filter(staff=world["learner"]).order_by("version")
    first, second = versions
    assert (first.version, first.grade, str(first.score)) == (1, "fail", "90.00")
    assert (second.version, second.grade, str(second.score)) == (2, "pass", "100.00")
    assert second == amended and second.reason == "复核后更正考试结果"
    audit = AuditEntry.objects.get(action="records.appraisal_amend")
    assert audit.data["before"]["grade"] == "fail" and audit.data["after"]["grade"] == "pass"

    client.force_login(world["head"])
    page = client.get(reverse("records:person", args=[world["learner"].pk]), {"year": YEAR})
    html = page.content.decode()
    assert "v1" in html and "v2" in html and "复核后更正考试结果" in html
    overview = client.get(reverse("records:appraisal"), {"year": YEAR}).content.decode()
    assert "李更正" in overview and "合格" in overview.split("李更正")[1][:400]


def test_no_amendment_without_a_reason_or_a_change_or_on_an_open_year(client, world):
    with pytest.raises(ValidationError):
        services.appraisal_amend(actor=world["head"], staff=world["learner"], year=YEAR, reason=" ")
    with pytest.raises(services.AmendmentRefused, match="第 1 版"):
        services.appraisal_amend(
            actor=world["head"], staff=world["learner"], year=YEAR, reason="无变化"
        )
    with pytest.raises(services.AmendmentRefused, match=str(YEAR - 1)):
        services.appraisal_amend(
            actor=world["head"], staff=world["learner"], year=YEAR - 1, reason="未关闭"
        )
    assert not Appraisal.objects.filter(version__gt=1).exists()

    client.force_login(world["head"])
    url = reverse("records:appraisal_amend", args=[world["learner"].pk])
    response = client.post(url, {"year": YEAR, "reason": ""}, follow=True)
    assert "请填写修正理由" in response.content.decode()
    assert not Appraisal.objects.filter(version__gt=1).exists() and not AuditEntry.objects.filter(
        action="records.appraisal_amend"
    )


def test_only_the_head_amends_and_never_their_own(client, world, org):
    from lms.organisations.models import Staff

    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME).user
    services.reverse_entry(entry=world["failed"], reason="阅卷错误", actor=world["head"])
    with pytest.raises(PermissionDenied):
        services.appraisal_amend(actor=admin, staff=world["learner"], year=YEAR, reason="越权")
    own = Staff.objects.get(user=world["head"])
    with pytest.raises(PermissionDenied):
        services.appraisal_amend(actor=world["head"], staff=own, year=YEAR, reason="自己")
    client.force_login(admin)
    url = reverse("records:appraisal_amend", args=[world["learner"].pk])
    assert client.post(url, {"year": YEAR, "reason": "越权"}).status_code == 404
    assert Appraisal.objects.filter(version__gt=1).count() == 0

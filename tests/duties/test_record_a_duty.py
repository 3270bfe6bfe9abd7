"""履职记录: compliance staff record what they did, each type with what it needs; a file of the
wrong type or too big is refused; outside one's scope is refused; every entry is audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from lms import attachments
from lms.audit.models import AuditEntry
from lms.duties import services
from lms.duties.models import DutyAttachment, DutyEntry, DutyType
from tests.duties.conftest import pdf

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def record(world, *, actor=None, **changes):
    data = {
        "organisation_id": world["org"].pk,
        "kind": DutyType.TRAINING,
        "occurred_on": TODAY - timedelta(days=1),
        "description": "为法务部讲授反商业贿赂课程。",
        "department_id": world["legal"].pk,
    }
    data.update(changes)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.duty_entry_record(actor=actor or world["part_time"], **data)


@pytest.mark.parametrize(
    "kind,extra",
    [
        (DutyType.SELF_INSPECTION, {"opinion": "采购流程基本合规，建议加强供应商礼品登记。"}),
        (DutyType.RISK_SCREENING, {"opinion": "发现两份合同缺少合规审查记录。"}),
        (DutyType.RISK_SCREENING, {"zero_risk": True}),
        (DutyType.TRAINING, {}),
        (DutyType.CONSULTATION, {}),
        (DutyType.REPORT, {}),
    ],
)
def test_each_type_of_duty_is_recorded_and_audited(world, kind, extra):
    entry = record(world, kind=kind, **extra)
    assert entry.author.user == world["part_time"]
    assert entry.kind == kind and entry.zero_risk == extra.get("zero_risk", False)
    assert AuditEntry.objects.filter(action="duties.entry_record", object_id=str(entry.pk)).exists()


def test_a_self_inspection_needs_its_written_opinion(world):
    with pytest.raises(ValidationError) as refused:
        record(world, kind=DutyType.SELF_INSPECTION)
    assert "opinion" in refused.value.message_dict
    assert not DutyEntry.objects.exists()


def test_a_risk_screening_needs_findings_or_a_zero_risk_report_not_both(world):
    with pytest.raises(ValidationError) as refused:
        record(world, kind=DutyType.RISK_SCREENING)
    assert "opinion" in refused.value.message_dict
    with pytest.raises(ValidationError):
        record(world, kind=DutyType.RISK_SCREENING, zero_risk=True, opinion="发现问题")


def test_a_future_date_and_an_empty_description_are_refused(world):
    with pytest.raises(ValidationError) as refused:
        record(world, occurred_on=TODAY + timedelta(days=1), description=" ")
    assert set(refused.value.message_dict) == {"occurred_on", "description"}


def test_attachments_are_kept(world):
    entry = record(world, files=[pdf()])
    assert [a.name for a in entry.attachments.all()] == ["意见书.pdf"]


def test_an_attachment_of_the_wrong_type_is_refused_and_nothing_saved(world):
    script = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    renamed = SimpleUploadedFile("fake.pdf", b"MZ\x90\x00" * 10, content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        record(world, files=[script, renamed])
    assert len(refused.value.message_dict["files"]) == 2
    assert not DutyEntry.objects.exists() and not DutyAttachment.objects.exists()


def test_an_attachment_too_big_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        record(world, files=[pdf(size=attachments.MAX_ATTACHMENT_BYTES + 1)])
    assert "MB" in refused.value.message_dict["files"][0]
    assert not DutyEntry.objects.exists()


def test_a_department_outside_a_part_time_administrators_scope_is_refused(world):
    with pytest.raises(PermissionDenied):
        record(world, department_id=world["sales"].pk)
    assert not DutyEntry.objects.exists()


def test_a_part_time_administrator_names_the_department(world):
    with pytest.raises(ValidationError) as refused:
        record(world, department_id=None)
    assert "department" in refused.value.message_dict


def test_the_head_records_about_any_department_or_the_whole_organisation(world):
    assert record(world, actor=world["head"], department_id=world["sales"].pk).department
    assert record(world, actor=world["head"], department_id=None).department is None


def test_a_learner_or_another_organisations_staff_keeps_no_log_here(world, other_org):
    with pytest.raises(services.DutyRefused):
        record(world, actor=world["learner"], department_id=None)
    with pytest.raises(services.DutyRefused):
        record(world, organisation_id=other_org.pk, department_id=None)
    assert not DutyEntry.objects.exists()

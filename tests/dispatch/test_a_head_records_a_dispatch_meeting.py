"""The compliance head records the quarter's dispatch meeting from the form (attendees chosen
among the organisation's staff, attachments checked), corrects it until it is finalised, and may
record several meetings in one quarter, which still counts once."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lms.attachments import MAX_ATTACHMENT_BYTES
from lms.audit.models import AuditEntry
from lms.dispatch import selectors, services
from lms.dispatch.models import DispatchMeeting
from tests.dispatch.conftest import Q, meeting_data, pdf
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


def audit_of(meeting):
    return list(
        AuditEntry.objects.filter(
            action__startswith="dispatch.", object_id=str(meeting.pk)
        ).order_by("pk")
    )


def form(world, **extra):
    data = {
        "held_on": Q.start.replace(day=20).isoformat(),
        "attendees": [world["staff"][k].pk for k in ("principal", "head")],
        "minutes": "合规负责人汇报了本季度的合规管理情况。",
        "decisions": "财务部完善审批流程。",
        "priorities": "迎接年度检查。",
    }
    data.update(extra)
    return data


def url(name, world):
    return reverse(name) + f"?org={world['org'].pk}&quarter={Q.code}"


def test_the_head_records_a_meeting_with_its_minutes_and_an_attachment(client, world):
    client.force_login(world["head"])
    page = client.get(url("dispatch:meeting_new", world))
    assert page.status_code == 200 and "周总经理" in page.text
    response = client.post(url("dispatch:meeting_new", world), form(world, files=[pdf()]))
    meeting = DispatchMeeting.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "dispatch:meeting", args=[meeting.pk]
    )
    assert (meeting.year, meeting.quarter, meeting.held_on) == (2025, 2, date(2025, 4, 20))
    assert {s.user.full_name for s in meeting.attendees.all()} == {"周总经理", "张负责人"}
    shown = client.get(response.url)
    assert "合规负责人汇报了本季度的合规管理情况" in shown.text and "会议材料.pdf" in shown.text
    download = client.get(
        reverse("dispatch:attachment", args=[meeting.pk, meeting.attachments.get().pk])
    )
    assert download.status_code == 200
    assert [e.action for e in audit_of(meeting)] == ["dispatch.meeting_record"]


def test_a_meeting_date_outside_the_quarter_is_refused(client, world):
    client.force_login(world["head"])
    response = client.post(url("dispatch:meeting_new", world), form(world, held_on="2025-07-01"))
    assert response.status_code == 400
    assert "2025-04-01" in response.text and "2025-06-30" in response.text
    assert "合规负责人汇报了本季度的合规管理情况" in response.text  # what was typed is kept
    assert not DispatchMeeting.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.meeting_record(
            actor=world["head"], **meeting_data(world, held_on=date(2025, 3, 31))
        )
    assert "held_on" in refused.value.message_dict


def test_a_date_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        services.meeting_record(
            actor=world["head"], **meeting_data(world), today=Q.start.replace(day=10)
        )
    assert "held_on" in refused.value.message_dict


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("纪要.exe", b"MZ\x90\x00", "application/octet-stream"),
        SimpleUploadedFile("改名.pdf", b"PK\x03\x04 not a pdf", "application/pdf"),
        SimpleUploadedFile(
            "太大.pdf", b"%PDF-1.4\n" + b"0" * MAX_ATTACHMENT_BYTES, "application/pdf"
        ),
    ],
    ids=["wrong type", "renamed", "too big"],
)
def test_an_attachment_of_the_wrong_type_or_too_big_is_refused(client, world, upload):
    client.force_login(world["head"])
    response = client.post(url("dispatch:meeting_new", world), form(world, files=[upload]))
    assert response.status_code == 400 and upload.name in response.text
    assert not DispatchMeeting.objects.exists()


def test_attendees_come_from_the_organisation_and_someone_must_attend(world, other_org):
    outsider = person(other_org, user__full_name="外单位人员")
    with pytest.raises(ValidationError) as refused:
        services.meeting_record(
            actor=world["head"],
            **meeting_data(world, attendee_ids=[world["staff"]["head"].pk, outsider.pk]),
        )
    assert "attendees" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.meeting_record(actor=world["head"], **meeting_data(world, attendee_ids=[]))
    assert not DispatchMeeting.objects.exists()


def test_a_second_meeting_in_a_quarter_is_allowed_and_the_quarter_counts_once(world):
    services.meeting_record(actor=world["head"], **meeting_data(world))
    services.meeting_record(
        actor=world["cco"], **meeting_data(world, held_on=Q.end, minutes="专题调度")
    )
    rows = {
        r.quarter: r
        for r in selectors.quarters_overview(
            organisation=world["org"], year=2025, today=date(2026, 1, 5)
        )
    }
    assert len(rows[Q].meetings) == 2 and rows[Q].held and not rows[Q].missing
    assert [q.quarter for q, r in sorted(rows.items()) if r.missing] == [1, 3, 4]
    held = selectors.dispatch_quarters_held(organisation_ids=[world["org"].pk], year=2025)
    assert len(held[world["org"].pk][2]) == 2
    assert sum(1 for q in held[world["org"].pk].values() if q) == 1  # one quarter held


def test_the_head_corrects_the_minutes_until_they_are_finalised(client, world):
    meeting = services.meeting_record(actor=world["head"], **meeting_data(world))
    client.force_login(world["head"])
    edit = reverse("dispatch:meeting_edit", args=[meeting.pk])
    assert "采购部问题限期整改" in client.get(edit).text
    response = client.post(edit, form(world, decisions="采购部问题一个月内整改完毕。"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.decisions == "采购部问题一个月内整改完毕。"
    changed = [e for e in audit_of(meeting) if e.action == "dispatch.meeting_change"]
    assert "decisions" in changed[0].data["changed"]

    assert client.post(reverse("dispatch:meeting_lock", args=[meeting.pk])).status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_locked and meeting.locked_by == world["head"]
    refused = client.post(edit, form(world, decisions="定稿后再改"))
    assert refused.status_code == 409
    meeting.refresh_from_db()
    assert meeting.decisions == "采购部问题一个月内整改完毕。"
    assert "修改纪要" not in client.get(reverse("dispatch:meeting", args=[meeting.pk])).text

"""《合规管理工作自查报告》: the head downloads a Word draft with the year's figures, uploads the
final (PDF or Word) and submits it; submitting again replaces it. The regulator sees who
submitted (by role) and when, and who is late; the late enterprise is told once. Nothing of
another enterprise's report is reachable."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lms import attachments
from lms.audit.models import AuditEntry
from lms.notifications.models import Notification
from lms.oversight import deadlines, services
from lms.oversight.models import SelfInspection
from lms.word import docx_text
from tests.oversight.conftest import LEARNER_NAME, pdf

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = TODAY.year - 1


def submit_url(world, org="a", year=YEAR):
    return reverse("oversight:self_inspection_submit", args=[world[org].pk, year])


def test_the_head_downloads_a_word_draft_with_the_years_figures(client, world):
    client.force_login(world["head"])
    page = client.get(reverse("oversight:self_inspection"))
    assert page.status_code == 200
    response = client.get(
        reverse("oversight:self_inspection_draft", args=[world["a"].pk, TODAY.year])
    )
    assert response.status_code == 200
    text = docx_text(response.content)
    assert "甲集团有限公司" in text
    assert "自查报告" in text or "self-inspection" in text
    assert "| 1" in text  # the serious violation counted in a table
    assert LEARNER_NAME not in text


def test_the_head_submits_the_final_report_and_the_regulator_sees_it(client, world):
    client.force_login(world["head"])
    response = client.post(submit_url(world), {"file": pdf()})
    assert response.status_code == 302
    report = SelfInspection.objects.get(organisation=world["a"], year=YEAR)
    assert report.submitted_by == world["head"]
    assert AuditEntry.objects.filter(action="oversight.self_inspection_submit").count() == 1
    client.force_login(world["officer"])
    page = client.get(reverse("oversight:self_inspections"), {"year": YEAR})
    text = page.content.decode()
    assert "合规负责人" in text or "Compliance head" in text  # by role, not by name
    assert "钱负责人" not in text
    states = {o.pk: s for o, s in page.context["rows"]}
    assert states[world["a"].pk].submitted_at is not None
    assert states[world["b"].pk].late == (deadlines.default_due_on(YEAR) < TODAY)
    download = client.get(reverse("oversight:self_inspection_file", args=[world["a"].pk, YEAR]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_submitting_twice_replaces_the_report_keeping_the_first_time(client, world):
    client.force_login(world["head"])
    client.post(submit_url(world), {"file": pdf("初稿.pdf")})
    first = SelfInspection.objects.get(organisation=world["a"], year=YEAR)
    word = SimpleUploadedFile("终稿.docx", b"PK\x03\x04" + b"0" * 50)
    assert client.post(submit_url(world), {"file": word}).status_code == 302
    report = SelfInspection.objects.get(organisation=world["a"], year=YEAR)
    assert report.name == "终稿.docx"
    assert report.replaced_count == 1
    assert report.first_submitted_at == first.first_submitted_at
    entries = AuditEntry.objects.filter(action="oversight.self_inspection_submit").order_by("pk")
    assert entries.count() == 2
    assert entries.last().data["replaces"]["name"] == "初稿.pdf"


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("报告.exe", b"MZ\x90\x00"),
        SimpleUploadedFile("报告.xlsx", b"PK\x03\x04" + b"0" * 20),  # allowed elsewhere, not here
        SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not a pdf"),  # renamed
    ],
    ids=["wrong type", "a spreadsheet", "renamed"],
)
def test_an_upload_of_the_wrong_type_is_refused(client, world, upload):
    client.force_login(world["head"])
    response = client.post(submit_url(world), {"file": upload})
    assert response.status_code == 400
    assert not SelfInspection.objects.exists()


def test_an_upload_too_big_is_refused(client, world, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 1000)
    client.force_login(world["head"])
    response = client.post(submit_url(world), {"file": pdf(size=2000)})
    assert response.status_code == 400
    assert "MB" in response.content.decode()
    assert not SelfInspection.objects.exists()


def test_an_enterprise_cannot_reach_anothers_self_inspection(client, world):
    client.force_login(world["head"])
    client.post(submit_url(world), {"file": pdf()})
    client.force_login(world["head_b"])
    a = world["a"].pk
    assert client.get(reverse("oversight:self_inspection_draft", args=[a, YEAR])).status_code == 404
    assert client.post(submit_url(world), {"file": pdf("冒名.pdf")}).status_code == 404
    assert client.get(reverse("oversight:self_inspection_file", args=[a, YEAR])).status_code == 404
    assert SelfInspection.objects.get().name == "自查报告.pdf"
    # nor can a learner, nor a regulator outside whose jurisdiction it is
    client.force_login(world["learner"].user)
    assert client.get(reverse("oversight:self_inspection")).status_code == 404
    client.force_login(world["head_c"])
    assert client.get(reverse("oversight:self_inspection_file", args=[a, YEAR])).status_code == 404


def test_a_year_not_offered_is_refused(world):
    with pytest.raises(Exception) as refused:
        services.self_inspection_submit(
            actor=world["head"], organisation_id=world["a"].pk, year=2001, upload=pdf()
        )
    assert "year" in str(refused.value)


def test_a_late_enterprise_is_told_once(world):
    year = deadlines.latest_due_year(TODAY)
    after_due = deadlines.default_due_on(year) + timedelta(days=1)
    services.self_inspection_submit(
        actor=world["head"],
        organisation_id=world["a"].pk,
        year=year,
        upload=pdf(),
        today=deadlines.default_due_on(year),
    )
    assert services.self_inspections_flag_late(today=after_due) >= 1
    assert services.self_inspections_flag_late(today=after_due) == 0  # idempotent
    told = Notification.objects.filter(kind="self_inspection_late")
    assert told.filter(user=world["head_b"]).count() == 1
    assert not told.filter(user=world["head"]).exists()  # A submitted
    assert (
        services.self_inspections_flag_late(today=deadlines.default_due_on(year)) == 0
    )  # not yet late


def test_the_late_count_on_the_regulators_page(client, world):
    client.force_login(world["officer"])
    page = client.get(reverse("oversight:index"))
    late_year = deadlines.latest_due_year(TODAY)
    expected = 2 if deadlines.default_due_on(late_year) < TODAY else 0
    assert page.context["late_count"] == expected

"""存档备查: the compliance head asks for an organisation's inspection archive of a range; a
Celery task builds it (in-process here) with its progress; the ZIP holds an index, each
compliance staff member's file, the registered sections (the dispatch minutes) and an audit-log
extract; requesting, building and downloading are audited."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from lms.archive import sections
from lms.archive.models import InspectionArchive
from lms.audit.models import AuditEntry
from lms.organisations.models import ComplianceRole
from lms.spreadsheets import read_rows
from tests.factories.organisations import PASSWORD, person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks):
    """The build is queued on commit (through the outbox): each request runs it as a commit
    would."""
    global _capture
    _capture = django_capture_on_commit_callbacks


_capture = None


@pytest.fixture
def head_client(client, world):
    client.login(username=world["head"].user.email, password=PASSWORD)
    return client


@pytest.fixture
def minutes():
    calls = []

    def section(organisation, start, end):
        calls.append((organisation.pk, start, end))
        return [("2026-Q1 调度会议纪要.docx", b"PK\x03\x04 minutes")]

    sections.register("合规管理调度", section)
    yield calls
    sections.unregister("合规管理调度")


def request_archive(client, org, start, end):
    with translation.override("en"):  # the archive is built in the requester's language
        url = reverse("archive:inspections")
    with _capture(execute=True):
        return client.post(
            url,
            {"organisation": org.pk, "start": start, "end": end},
        )


def this_year():
    today = timezone.localdate()
    return datetime.date(today.year, 1, 1).isoformat(), today.isoformat()


def unzip(response) -> zipfile.ZipFile:
    body = b"".join(response.streaming_content)
    return zipfile.ZipFile(io.BytesIO(body))


def sheet(zf, name) -> list[list]:
    return [row for _number, row in read_rows(zf.read(name))]


def test_the_head_builds_and_downloads_the_archive(head_client, world, minutes):
    org = world["org"]
    response = request_archive(head_client, org, *this_year())
    archive = InspectionArchive.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("archive:archive", args=[archive.pk]))
    assert archive.status == "done" and archive.progress == archive.total
    assert archive.people == 2  # the head and the administrator; the learner has no role
    status = head_client.get(reverse("archive:status", args=[archive.pk])).json()
    assert status["finished"] and status["percent"] == 100
    page = head_client.get(reverse("archive:archive", args=[archive.pk])).content.decode()
    assert reverse("archive:download", args=[archive.pk]) in page

    download = head_client.get(reverse("archive:download", args=[archive.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    zf = unzip(download)
    names = zf.namelist()
    pdfs = [n for n in names if n.endswith(".pdf")]
    assert len(pdfs) == 2 and any("张负责人" in n for n in pdfs)
    assert all(zf.read(n).startswith(b"%PDF") for n in pdfs)
    assert not any("赵学员" in n for n in names)
    assert "合规管理调度/2026-Q1 调度会议纪要.docx" in names
    assert minutes == [(org.pk, archive.start, archive.end)]
    index = sheet(zf, "Index.xlsx")
    assert index[0] == ["File", "Section", "Contents", "Entries"]
    listed = {row[0] for row in index[1:]}
    assert (
        set(pdfs) | {"合规管理调度/2026-Q1 调度会议纪要.docx", "Audit log extract.xlsx"} <= listed
    )
    audit = sheet(zf, "Audit log extract.xlsx")
    assert any("Inspection archive requested" in row for row in audit[1:])
    assert "README.txt" in names

    actions = set(
        AuditEntry.objects.filter(object_type="archive.inspectionarchive").values_list(
            "action", flat=True
        )
    )
    assert {"archive.requested", "archive.built", "archive.downloaded"} <= actions


def test_an_empty_range_gives_an_archive_that_says_so(head_client, world):
    response = request_archive(head_client, world["org"], "2001-01-01", "2001-12-31")
    archive = InspectionArchive.objects.get()
    assert response.status_code == 302 and archive.status == "done"
    zf = unzip(head_client.get(reverse("archive:download", args=[archive.pk])))
    assert "Nothing was recorded" in zf.read("README.txt").decode()
    index = sheet(zf, "Index.xlsx")
    assert index[1][0] == "README.txt" and "Nothing was recorded" in index[1][2]


def test_a_range_that_ends_before_it_starts_is_refused_in_words(head_client, world):
    response = request_archive(head_client, world["org"], "2026-05-01", "2026-04-01")
    assert response.status_code == 400
    assert "The range ends before it starts." in response.content.decode()
    assert not InspectionArchive.objects.exists()


def test_a_failed_build_offers_nothing_and_can_be_retried(head_client, world):
    def broken(organisation, start, end):
        raise RuntimeError("the minutes could not be read")

    sections.register("broken", broken)
    try:
        request_archive(head_client, world["org"], *this_year())
    finally:
        sections.unregister("broken")
    archive = InspectionArchive.objects.get()
    assert archive.status == "failed" and not archive.file
    page = head_client.get(reverse("archive:archive", args=[archive.pk])).content.decode()
    assert "could not be built" in page and 'id="archive-retry"' in page
    assert head_client.get(reverse("archive:download", args=[archive.pk])).status_code == 404
    assert AuditEntry.objects.filter(action="archive.failed").exists()

    with _capture(execute=True):
        head_client.post(reverse("archive:retry", args=[archive.pk]))
    archive.refresh_from_db()
    assert archive.status == "done" and archive.file
    assert head_client.get(reverse("archive:download", args=[archive.pk])).status_code == 200


def test_another_organisations_archive_is_not_found(client, world, other_org):
    archive = InspectionArchive.objects.create(
        organisation=world["org"],
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 3, 31),
        requested_by=world["head"].user,
    )
    from lms.archive import services

    services.archive_build_here(archive_id=archive.pk)
    other_head = person(other_org, role=ComplianceRole.COMPLIANCE_HEAD)
    client.login(username=other_head.user.email, password=PASSWORD)
    for name in ("archive:archive", "archive:status", "archive:download"):
        assert client.get(reverse(name, args=[archive.pk])).status_code == 404
    assert client.post(reverse("archive:retry", args=[archive.pk])).status_code == 404
    # nor may they build one for the other organisation
    response = request_archive(client, world["org"], "2026-01-01", "2026-03-31")
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="archive.downloaded").exists()


def test_a_learner_and_an_administrator_build_no_archives(client, world):
    for who in ("learner", "admin"):
        client.login(username=world[who].user.email, password=PASSWORD)
        assert client.get(reverse("archive:inspections")).status_code == 404

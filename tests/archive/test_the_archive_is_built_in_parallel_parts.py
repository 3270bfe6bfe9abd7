"""The people's files are rendered in parts, one task each (in parallel on as many workers as
there are); the last part to finish queues the assembly. The progress bar counts parts done; a
part or the assembly delivered twice does the work once; an archive taken again after its
worker died renders only the parts not yet done."""

import datetime
import io
import zipfile

import pytest
from django.utils import timezone

from lms.archive import services
from lms.archive.models import ArchivePart, InspectionArchive
from lms.audit.models import AuditEntry
from lms.organisations.models import ComplianceRole
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_parts(world, monkeypatch):
    """Three compliance staff (head, full-time administrator, a CCO), one per part."""
    person(world["org"], role=ComplianceRole.CHIEF_COMPLIANCE_OFFICER, user__full_name="王首席")
    monkeypatch.setattr(services, "PART_SIZE", 1)
    return InspectionArchive.objects.create(
        organisation=world["org"],
        start=datetime.date(timezone.localdate().year, 1, 1),
        end=timezone.localdate(),
        requested_by=world["head"].user,
        language="zh-hans",
    )


def pdfs_in(archive) -> list[str]:
    archive.refresh_from_db()
    with archive.file.open("rb") as fh:
        names = zipfile.ZipFile(io.BytesIO(fh.read())).namelist()
    return sorted(n for n in names if n.endswith(".pdf"))


def test_each_part_moves_the_progress_bar_and_the_last_assembles(three_parts):
    archive = three_parts
    services.archive_build(archive_id=archive.pk)  # the parts' tasks wait for the commit
    parts = list(ArchivePart.objects.filter(archive=archive).order_by("number"))
    assert [len(p.staff_ids) for p in parts] == [1, 1, 1]
    archive.refresh_from_db()
    sections_and_index = archive.total - 3
    assert archive.status == "running" and archive.progress == 0 and sections_and_index >= 2
    for done, part in enumerate(parts, start=1):
        services.archive_part_build(part_id=part.pk)
        archive.refresh_from_db()
        if done < 3:
            assert archive.progress == done and archive.status == "running"
            assert 0 < archive.percent < 100
    # the last part queued the assembly (after the commit); here it is run by hand
    services.archive_assemble(archive_id=archive.pk)
    archive.refresh_from_db()
    assert archive.status == "done" and archive.progress == archive.total
    assert archive.people == 3 and len(pdfs_in(archive)) == 3
    assert not ArchivePart.objects.filter(archive=archive).exists()  # the parts' files are gone


def test_a_part_or_the_assembly_delivered_twice_does_the_work_once(three_parts):
    archive = three_parts
    services.archive_build(archive_id=archive.pk)
    part = ArchivePart.objects.filter(archive=archive).order_by("number").first()
    services.archive_part_build(part_id=part.pk)
    part.refresh_from_db()
    first_file = part.file.name
    services.archive_part_build(part_id=part.pk)
    part.refresh_from_db()
    assert part.done and part.file.name == first_file
    for other in ArchivePart.objects.filter(archive=archive, done=False):
        services.archive_part_build(part_id=other.pk)
    services.archive_assemble(archive_id=archive.pk)
    services.archive_assemble(archive_id=archive.pk)
    assert AuditEntry.objects.filter(action="archive.built").count() == 1
    assert len(pdfs_in(archive)) == 3


def test_the_assembly_waits_for_every_part(three_parts):
    archive = three_parts
    services.archive_build(archive_id=archive.pk)
    services.archive_assemble(archive_id=archive.pk)
    archive.refresh_from_db()
    assert archive.status == "running" and not archive.assembling and not archive.file


def test_taken_again_after_a_dead_worker_only_the_missing_parts_are_rendered(
    three_parts, monkeypatch
):
    archive = three_parts
    services.archive_build(archive_id=archive.pk)
    first = ArchivePart.objects.filter(archive=archive).order_by("number").first()
    services.archive_part_build(part_id=first.pk)
    rendered = []
    render = services._render_part
    monkeypatch.setattr(
        services, "_render_part", lambda part: rendered.append(part.number) or render(part)
    )
    # the worker of the other parts died: the archive looks stuck and is taken again
    InspectionArchive.objects.filter(pk=archive.pk).update(
        started_at=timezone.now() - services.RUNNING_STALE * 2
    )
    services.archive_build_here(archive_id=archive.pk)
    archive.refresh_from_db()
    assert archive.status == "done" and len(pdfs_in(archive)) == 3
    assert AuditEntry.objects.filter(action="archive.built").count() == 1
    assert sorted(rendered) == [1, 2]  # the first part's file was used, not rendered again


def test_the_progress_of_an_archive_taken_again_counts_the_parts_done(three_parts):
    archive = three_parts
    services.archive_build(archive_id=archive.pk)
    first = ArchivePart.objects.filter(archive=archive).order_by("number").first()
    services.archive_part_build(part_id=first.pk)
    InspectionArchive.objects.filter(pk=archive.pk).update(
        started_at=timezone.now() - services.RUNNING_STALE * 2
    )
    services.archive_build(archive_id=archive.pk)
    archive.refresh_from_db()
    assert archive.progress == 1 and archive.status == "running"
    assert ArchivePart.objects.filter(archive=archive).count() == 3


def test_eager_celery_builds_the_whole_archive_through_the_tasks(
    three_parts, django_capture_on_commit_callbacks, settings
):
    from lms.archive.tasks import build_archive

    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        build_archive.apply(args=[three_parts.pk])
    three_parts.refresh_from_db()
    assert three_parts.status == "done" and len(pdfs_in(three_parts)) == 3

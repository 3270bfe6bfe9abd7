"""Inspection archives: requested by a compliance head, built by a Celery task, downloaded;
each step audited. A person's file PDF is read through `person_file_pdf` (audited: personal
data)."""

import datetime
import logging
import re
import tempfile
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from certificates.pdf import PDF_LANGUAGE
from lms.audit import context as audit_context
from lms.audit.selectors import entries_of_organisation
from lms.audit.services import audit_record
from lms.organisations.selectors import compliance_staff_of
from lms.resilience import outbox
from lms.spreadsheets import xlsx_bytes

from . import gather, pdf, sections, selectors
from .models import ArchivePart, InspectionArchive

logger = logging.getLogger(__name__)
# People's files laid out per WeasyPrint render (pdf.py).
BATCH = 20
# People per part: each part is a task of its own, so parts run on as many workers as there are
# (500 compliance staff: 10 parts); small enough that a worker's death loses little.
PART_SIZE = 50
MAX_RANGE_DAYS = 366 * 5
# A build of the largest organisation takes a few minutes: one still "running" this long after
# it started lost its worker; one still "queued" this long was lost by the broker.
RUNNING_STALE = datetime.timedelta(minutes=30)
QUEUED_STALE = datetime.timedelta(minutes=5)


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def range_problems(start: datetime.date | None, end: datetime.date | None) -> dict[str, str]:
    """Why a range cannot be archived, by field (empty: it can)."""
    problems = {}
    if start is None:
        problems["start"] = _("Enter the first day of the range (YYYY-MM-DD).")
    if end is None:
        problems["end"] = _("Enter the last day of the range (YYYY-MM-DD).")
    if start and end:
        if end < start:
            problems["end"] = _("The range ends before it starts.")
        elif (end - start).days > MAX_RANGE_DAYS:
            problems["end"] = _("An archive covers at most five years.")
    return problems


@transaction.atomic
def archive_request(
    *,
    actor,
    organisation_id: int,
    start: datetime.date | None,
    end: datetime.date | None,
    language: str = "",
) -> InspectionArchive:
    """Queue the building of an organisation's inspection archive for [start, end]."""
    organisation = selectors.archive_organisations_for(actor).filter(pk=organisation_id).first()
    if organisation is None:
        raise PermissionDenied
    problems = range_problems(start, end)
    if problems or start is None or end is None:
        raise ValidationError(problems)
    request_context = audit_context.current.get()
    archive = InspectionArchive.objects.create(
        organisation=organisation,
        start=start,
        end=end,
        requested_by=actor,
        requested_from=request_context.ip_address if request_context else None,
        language=language,
    )
    audit_record(
        action="archive.requested",
        target=archive,
        actor=actor,
        organisation=organisation,
        data={"start": start.isoformat(), "end": end.isoformat()},
    )
    _enqueue(archive)
    return archive


def _enqueue(archive: InspectionArchive) -> None:
    from .tasks import build_archive

    outbox.enqueue(build_archive, archive.pk)


@transaction.atomic
def archive_retry(*, actor, archive_id: int) -> InspectionArchive:
    """Build a failed archive again (same organisation and range)."""
    archive = (
        selectors.archives_visible_to(actor).select_for_update(of=("self",)).filter(pk=archive_id)
    ).first()
    if archive is None:
        raise PermissionDenied
    if archive.status != InspectionArchive.Status.FAILED:
        return archive
    archive.status = InspectionArchive.Status.QUEUED
    archive.progress = 0
    archive.error = ""
    archive.started_at = archive.finished_at = None
    archive.save(update_fields=["status", "progress", "error", "started_at", "finished_at"])
    audit_record(action="archive.retried", target=archive, actor=actor)
    _enqueue(archive)
    return archive


def archives_requeue_stuck(*, now=None) -> int:
    """Beat: queue again every archive still queued QUEUED_STALE after it was requested (or
    retried), or running past RUNNING_STALE (its worker died). Returns how many."""
    from .tasks import build_archive

    now = now or timezone.now()
    stuck = InspectionArchive.objects.filter(
        Q(status=InspectionArchive.Status.QUEUED, requested_at__lt=now - QUEUED_STALE)
        | Q(status=InspectionArchive.Status.RUNNING, started_at__lt=now - RUNNING_STALE)
    ).values_list("pk", flat=True)
    return outbox.requeue_stuck(
        build_archive, stuck, since=now - QUEUED_STALE, what="inspection archive"
    )


def archive_downloaded(*, actor, archive: InspectionArchive) -> None:
    audit_record(
        action="archive.downloaded",
        target=archive,
        actor=actor,
        data={"size": archive.size},
    )


def person_file_pdf(*, actor, staff) -> bytes:
    """A person's whole file as a PDF, its reading audited (unless the person reads their own)."""
    with translation.override(PDF_LANGUAGE):
        files = gather.person_files([staff])
    data = pdf.render_file(files[0])
    if staff.user_id != actor.pk:
        audit_record(
            action="archive.person_file_downloaded",
            target=staff,
            actor=actor,
            organisation=staff.organisation,
        )
    return data


# --- building -------------------------------------------------------------------------------


def _progress(archive_id: int) -> None:
    """Parts done, written where the status page reads it (autocommit)."""
    done = ArchivePart.objects.filter(archive_id=archive_id, done=True).count()
    InspectionArchive.objects.filter(pk=archive_id).update(progress=done)


def archive_build(*, archive_id: int) -> None:
    """Take a queued archive (a repeated delivery finds it taken and does nothing; one left
    "running" past RUNNING_STALE by a dead worker is taken again) and split its people into
    parts of PART_SIZE, each rendered by a task of its own, in parallel on as many workers as
    there are; the last part to finish queues `archive_assemble`. Parts already done (an
    archive taken again) are not rendered again. Progress: parts done of parts, the sections,
    the audit extract and the index."""
    now = timezone.now()
    claimable = Q(status=InspectionArchive.Status.QUEUED) | Q(
        status=InspectionArchive.Status.RUNNING, started_at__lt=now - RUNNING_STALE
    )
    claimed = InspectionArchive.objects.filter(claimable, pk=archive_id).update(
        status=InspectionArchive.Status.RUNNING, started_at=now, assembling=False
    )
    if not claimed:
        return
    archive = InspectionArchive.objects.select_related("organisation").get(pk=archive_id)
    try:
        with transaction.atomic():
            if not archive.parts.exists():
                staff_ids = list(
                    compliance_staff_of(organisation_id=archive.organisation_id).values_list(
                        "pk", flat=True
                    )
                )
                ArchivePart.objects.bulk_create(
                    ArchivePart(archive=archive, number=n, staff_ids=staff_ids[i : i + PART_SIZE])
                    for n, i in enumerate(range(0, len(staff_ids), PART_SIZE))
                )
            parts = list(archive.parts.values_list("pk", "done"))
            InspectionArchive.objects.filter(pk=archive_id).update(
                total=len(parts) + len(sections.registered()) + 2,
                progress=sum(1 for _pk, done in parts if done),
            )
            waiting = [pk for pk, done in parts if not done]
            from .tasks import archive_assemble_task, archive_part_task

            for pk in waiting:
                outbox.enqueue(archive_part_task, pk)
            if not waiting:
                outbox.enqueue(archive_assemble_task, archive_id)
    except Exception:
        _failed(archive)


def archive_build_here(*, archive_id: int) -> None:
    """Build the archive in this process, part after part (the demo; a test): the same steps
    as the tasks, which find the parts done and the archive assembled when they come."""
    archive_build(archive_id=archive_id)
    for part_id in ArchivePart.objects.filter(archive_id=archive_id, done=False).values_list(
        "pk", flat=True
    ):
        archive_part_build(part_id=part_id)
    archive_assemble(archive_id=archive_id)


def archive_part_build(*, part_id: int) -> None:
    """Render one part's compliance files into a ZIP of its own in private storage. Safe to
    run again: a part done is skipped; a part redone replaces its file. Whoever marks the last
    part done queues the assembly (the assembly claims the archive, so two do not build it)."""
    part = ArchivePart.objects.select_related("archive__organisation").filter(pk=part_id).first()
    if part is None or part.archive.status != InspectionArchive.Status.RUNNING:
        return
    archive = part.archive
    if not part.done:
        try:
            with translation.override(archive.language or settings.LANGUAGE_CODE):
                _render_part(part)
        except Exception:
            _failed(archive)
            return
        if not ArchivePart.objects.filter(pk=part.pk, done=False).update(
            done=True, file=part.file.name, index=part.index, entries=part.entries
        ):
            part.file.delete(save=False)  # another delivery finished it first
        _progress(archive.pk)
    if not ArchivePart.objects.filter(archive_id=archive.pk, done=False).exists():
        from .tasks import archive_assemble_task

        with transaction.atomic():
            outbox.enqueue(archive_assemble_task, archive.pk)


def _render_part(part: ArchivePart) -> None:
    archive = part.archive
    by_pk = {s.pk: s for s in compliance_staff_of(organisation_id=archive.organisation_id)}
    staff = [by_pk[pk] for pk in part.staff_ids if pk in by_pk]
    people_folder = _("Compliance staff files")
    index: list[list] = []
    entries = 0
    with tempfile.TemporaryFile() as raw:
        with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_STORED) as zf:
            with translation.override(PDF_LANGUAGE):
                files = gather.person_files(staff, start=archive.start, end=archive.end)
            with pdf.fonts_for(files) as styles:
                for i in range(0, len(files), BATCH):
                    batch = files[i : i + BATCH]
                    for file, data in zip(
                        batch, pdf.render_files(batch, styles=styles), strict=True
                    ):
                        member: Any = file.staff
                        name = f"{people_folder}/{_safe_name(member.employee_number)}-{_safe_name(file.name)}.pdf"
                        zf.writestr(name, data)
                        entries += file.entries
                        index.append(
                            [
                                name,
                                _("Compliance file"),
                                f"{file.name} · {member.position.name}",
                                file.entries,
                            ]
                        )
        raw.seek(0)
        if part.file:
            part.file.delete(save=False)
        part.file.save(f"{archive.pk}-{part.number}.zip", File(raw), save=False)
    part.index = index
    part.entries = entries


def archive_assemble(*, archive_id: int) -> None:
    """Once every part is done: the ZIP of the parts' files, the registered sections (the
    dispatch minutes), the audit extract, the README and the index, stored only when complete.
    Claimed (`assembling`), so a repeated delivery does nothing; the parts' files are removed."""
    if ArchivePart.objects.filter(archive_id=archive_id, done=False).exists():
        return
    claimed = InspectionArchive.objects.filter(
        pk=archive_id, status=InspectionArchive.Status.RUNNING, assembling=False
    ).update(assembling=True)
    if not claimed:
        return
    archive = InspectionArchive.objects.select_related("organisation", "requested_by").get(
        pk=archive_id
    )
    token = audit_context.current.set(
        audit_context.RequestContext(user=archive.requested_by, ip_address=archive.requested_from)
    )
    try:
        with translation.override(archive.language or settings.LANGUAGE_CODE):
            _assemble(archive)
    except Exception:
        _failed(archive)
    finally:
        audit_context.current.reset(token)


def _failed(archive: InspectionArchive) -> None:
    logger.exception("inspection archive %s failed", archive.pk)
    with translation.override(archive.language or settings.LANGUAGE_CODE):
        error = _(
            "The archive could not be built because of an unexpected error; nothing was "
            "kept. Try again; if it fails again, tell the platform's support."
        )
    updated = InspectionArchive.objects.filter(
        pk=archive.pk, status=InspectionArchive.Status.RUNNING
    ).update(
        status=InspectionArchive.Status.FAILED,
        error=error,
        finished_at=timezone.now(),
        file="",
        size=0,
        assembling=False,
    )
    for part in ArchivePart.objects.filter(archive_id=archive.pk):
        if part.file:
            part.file.delete(save=False)
    ArchivePart.objects.filter(archive_id=archive.pk).delete()
    if updated:
        audit_record(action="archive.failed", target=archive, actor=archive.requested_by)


def _safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip() or "_"


def _assemble(archive: InspectionArchive) -> None:
    organisation = archive.organisation
    start, end = archive.start, archive.end
    registered = sections.registered()
    parts = list(archive.parts.order_by("number"))
    people = sum(len(p.staff_ids) for p in parts)
    index: list[list] = []
    in_range = 0
    with tempfile.TemporaryFile() as raw:
        with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for part in parts:
                with part.file.open("rb") as handle, zipfile.ZipFile(handle) as part_zip:
                    for info in part_zip.infolist():
                        # a PDF's streams are compressed already: stored, not deflated again
                        zf.writestr(
                            info.filename,
                            part_zip.read(info),
                            compress_type=zipfile.ZIP_STORED,
                        )
                index += part.index
                in_range += part.entries
            for section_name, section in registered:
                for filename, data in section(organisation, start, end):
                    name = f"{_safe_name(section_name)}/{_safe_name(filename)}"
                    zf.writestr(name, data)
                    index.append([name, section_name, filename, 1])
                    in_range += 1
                InspectionArchive.objects.filter(pk=archive.pk).update(progress=F("progress") + 1)
            audit_name = _("Audit log extract") + ".xlsx"
            audit_rows = _audit_rows(organisation.pk, start, end)
            zf.writestr(audit_name, xlsx_bytes(_audit_headers(), audit_rows))
            index.append([audit_name, _("Audit log"), _("Entries in the range"), len(audit_rows)])
            in_range += len(audit_rows)
            InspectionArchive.objects.filter(pk=archive.pk).update(progress=F("progress") + 1)
            readme = _readme(archive, people=people, empty=not in_range)
            zf.writestr("README.txt", readme)
            if not in_range:
                index.insert(
                    0,
                    [
                        "README.txt",
                        _("Nothing recorded"),
                        _(
                            "Nothing was recorded in this organisation between %(start)s and %(end)s."
                        )
                        % {"start": start.isoformat(), "end": end.isoformat()},
                        0,
                    ],
                )
            zf.writestr(
                _("Index") + ".xlsx",
                xlsx_bytes(
                    [
                        pgettext("archive index", "File"),
                        pgettext("archive index", "Section"),
                        pgettext("archive index", "Contents"),
                        pgettext("archive index", "Entries"),
                    ],
                    index,
                ),
            )
        raw.seek(0)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        filename = f"archive-{organisation.pk}-{start:%Y%m%d}-{end:%Y%m%d}-{stamp}.zip"
        with transaction.atomic():
            archive.file.save(filename, File(raw), save=False)
            archive.size = archive.file.size
            archive.people = people
            archive.status = InspectionArchive.Status.DONE
            archive.finished_at = timezone.now()
            archive.progress = archive.total
            archive.error = ""
            archive.assembling = False
            archive.save(
                update_fields=[
                    "file",
                    "size",
                    "people",
                    "status",
                    "finished_at",
                    "progress",
                    "error",
                    "assembling",
                ]
            )
            audit_record(
                action="archive.built",
                target=archive,
                actor=archive.requested_by,
                data={"people": people, "entries": in_range, "size": archive.size},
            )
    for part in parts:
        part.file.delete(save=False)
    archive.parts.all().delete()


def _audit_headers() -> list[str]:
    return [_("Time"), _("Actor"), _("Action"), _("Object type"), _("Object"), _("IP address")]


def _audit_rows(organisation_id: int, start: datetime.date, end: datetime.date) -> list[list]:
    entries = entries_of_organisation(
        organisation_id=organisation_id,
        start=_aware(start),
        end=_aware(end + datetime.timedelta(days=1)),
    )
    return [
        [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            str(e.get_actor_label_display()),
            str(e.get_action_display()),
            str(e.get_object_type_display()),
            e.object_repr,
            e.ip_address or "",
        ]
        for e in entries.iterator(chunk_size=2000)
    ]


def _readme(archive: InspectionArchive, *, people: int, empty: bool) -> str:
    lines = [
        _("Inspection archive of %(organisation)s") % {"organisation": archive.organisation.name},
        _("Range: %(start)s to %(end)s (both included)")
        % {"start": archive.start.isoformat(), "end": archive.end.isoformat()},
        _("Built at %(time)s for %(person)s")
        % {
            "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "person": archive.requested_by.full_name or archive.requested_by.email,
        },
        _("Compliance staff files: %(count)d") % {"count": people},
        "",
    ]
    if empty:
        lines.append(
            _(
                "Nothing was recorded in this organisation in this range: no training, exams, "
                "certificates, letters, violations, commendations, penalties or audit entries."
            )
        )
    lines.append(_("The index (xlsx) lists every file of the archive."))
    return "\r\n".join(lines) + "\r\n"

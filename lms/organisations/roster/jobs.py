"""Confirmed roster imports run as Celery tasks: the admin queues a job and follows its progress.

The import itself is the same all-or-nothing service the command uses (importing.py); the job
records its status, counts and progress for the admin's progress page.
"""

import logging
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.audit import context as audit_context
from lms.resilience import outbox

from .. import signals
from ..models import Organisation, RosterImportJob
from . import uploads
from .importing import roster_import

logger = logging.getLogger(__name__)
MAX_PROBLEMS_LISTED = 20
# An import of the largest file allowed takes well under a minute.
STALE_AFTER = timedelta(minutes=30)
# A job queued this long ago whose task nobody took was lost by the broker: queue it again.
QUEUED_STALE = timedelta(minutes=5)


@transaction.atomic
def roster_import_job_start(
    *, organisation: Organisation, upload: uploads.StoredUpload, actor, language: str = ""
) -> RosterImportJob:
    """Queue the import of a previewed upload. The upload's token names the job: confirming the
    same upload again (a double click, a reload) returns the job already queued."""
    request_context = audit_context.current.get()
    job, created = RosterImportJob.objects.get_or_create(
        token=upload.token,
        defaults={
            "organisation": organisation,
            "requested_by": actor,
            "file_name": upload.file_name[:255],
            "language": language,
            "requested_from": request_context.ip_address if request_context else None,
        },
    )
    if created:
        from ..tasks import run_roster_import_job

        outbox.enqueue(run_roster_import_job, job.pk)
    return job


def roster_import_jobs_requeue_stuck(*, now=None) -> int:
    """Beat: queue again every job still queued QUEUED_STALE after its last queueing, or
    running past STALE_AFTER (its worker died and the broker did not deliver it again). The
    task claims its job, so a duplicate delivery does nothing. Returns how many were queued."""
    from ..tasks import run_roster_import_job

    now = now or timezone.now()
    stuck = RosterImportJob.objects.filter(
        Q(status=RosterImportJob.Status.QUEUED, created_at__lt=now - QUEUED_STALE)
        | Q(status=RosterImportJob.Status.RUNNING, started_at__lt=now - STALE_AFTER)
    ).values_list("pk", flat=True)
    return outbox.requeue_stuck(
        run_roster_import_job, stuck, since=now - QUEUED_STALE, what="roster import job"
    )


def roster_import_job_run(*, job_id: int) -> None:
    """Run a queued job once: a repeated delivery of the task finds it taken and does nothing.

    A job still "running" long after it started lost its worker (the import rolled back); the
    broker delivers its task again, and it runs again. Importing a file twice is harmless."""
    now = timezone.now()
    claimable = Q(status=RosterImportJob.Status.QUEUED) | Q(
        status=RosterImportJob.Status.RUNNING, started_at__lt=now - STALE_AFTER
    )
    claimed = RosterImportJob.objects.filter(claimable, pk=job_id).update(
        status=RosterImportJob.Status.RUNNING, started_at=now
    )
    if not claimed:
        return
    job = RosterImportJob.objects.select_related("organisation", "requested_by").get(pk=job_id)
    # In a worker there is no request: the audit entries name the uploader and their address.
    token = audit_context.current.set(
        audit_context.RequestContext(user=job.requested_by, ip_address=job.requested_from)
    )
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            _run(job)
    finally:
        audit_context.current.reset(token)


def _run(job: RosterImportJob) -> None:
    upload = uploads.upload_load(token=job.token, user_id=job.requested_by_id)
    if upload is None:
        _finish(
            job,
            error=_(
                "The uploaded file is no longer on the server (uploads are kept for a day). "
                "Nothing was imported: please upload the file again."
            ),
        )
        return
    try:
        with _progress_recorder(job) as record:
            result = roster_import(
                organisation=job.organisation,
                data=upload.read(),
                file_name=job.file_name,
                actor=job.requested_by,
                progress=record,
            )
    except Exception:
        logger.exception("roster import job %s failed", job.pk)
        _finish(
            job,
            error=_(
                "The import stopped on an unexpected error. Nothing was imported. Please upload "
                "the file again; if it happens again, tell the platform's support."
            ),
        )
    else:
        if result.imported:
            job.rows_total = result.rows
            job.created, job.updated, job.unchanged = (
                result.created,
                result.updated,
                result.unchanged,
            )
            _finish(job)
        else:
            _finish(job, error=_problems_message(result.problems))
    finally:
        uploads.upload_discard(token=job.token)


def _problems_message(problems) -> str:
    """The roster changed between preview and import (or the file was never checked): the
    problems found, as the preview would have listed them."""
    lines = [
        _(
            "Nothing was imported: the file has %(count)d problem(s) now. Fix them and upload "
            "the file again."
        )
        % {"count": len(problems)}
    ]
    for problem in problems[:MAX_PROBLEMS_LISTED]:
        if problem.row:
            lines.append(
                _("Row %(row)d: %(message)s") % {"row": problem.row, "message": problem.message}
            )
        else:
            lines.append(problem.message)
    if len(problems) > MAX_PROBLEMS_LISTED:
        lines.append(_("… and %(count)d more.") % {"count": len(problems) - MAX_PROBLEMS_LISTED})
    return "\n".join(lines)


def _finish(job: RosterImportJob, *, error: str = "") -> None:
    job.status = RosterImportJob.Status.FAILED if error else RosterImportJob.Status.DONE
    job.error = error
    job.finished_at = timezone.now()
    fields = ["status", "error", "finished_at"]
    if not error:
        job.rows_processed = job.rows_total
        fields += ["rows_total", "rows_processed", "created", "updated", "unchanged"]
    job.save(update_fields=fields)
    # the uploader may have left the progress page: listeners tell them (learning's notices)
    for receiver, outcome in signals.roster_import_finished.send_robust(
        sender=RosterImportJob, job=job
    ):
        if isinstance(outcome, Exception):  # a failed notice must not undo a finished import
            logger.error("roster import job %s: %r failed: %r", job.pk, receiver, outcome)


@contextmanager
def _progress_recorder(job: RosterImportJob):
    """A `progress(done, total)` callback that writes the job's progress so the progress page
    sees it while the import's transaction is still open: on PostgreSQL through a connection
    of its own. Elsewhere (SQLite allows one writer at a time) it writes through the import's
    connection, which others see only once the import is over."""
    table = RosterImportJob._meta.db_table
    last_percent = [-1]
    connection = connections[DEFAULT_DB_ALIAS]
    own = None
    if connection.vendor == "postgresql":
        own = type(connection)(dict(connection.settings_dict), connection.alias)

    def record(done: int, total: int) -> None:
        percent = 100 * done // total if total else 0
        if percent == last_percent[0]:
            return
        last_percent[0] = percent
        target = own or connection
        quote = target.ops.quote_name
        with target.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(table)} SET {quote('rows_processed')} = %s, "
                f"{quote('rows_total')} = %s WHERE {quote('id')} = %s",
                [done, total, job.pk],
            )

    try:
        yield record
    finally:
        if own is not None:
            own.close()

"""Thin Celery tasks: they take ids and call a service; each is safe to repeat."""

from celery import shared_task

from .roster import jobs


@shared_task(name="organisations.run_roster_import_job")
def run_roster_import_job(job_id: int) -> None:
    jobs.roster_import_job_run(job_id=job_id)


@shared_task(name="organisations.requeue_stuck_roster_imports")
def requeue_stuck_roster_imports() -> int:
    return jobs.roster_import_jobs_requeue_stuck()

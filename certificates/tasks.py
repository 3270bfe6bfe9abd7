"""Thin Celery tasks: they take ids and call a service; each is safe to repeat."""

from celery import shared_task

from lms.resilience import outbox

from . import services
from .models import RenderJob


@shared_task(name="certificates.render_pdf", acks_late=True)
def render_certificate_pdf(certificate_id: int) -> None:
    services.certificate_render_pdf(certificate_id=certificate_id)


@shared_task(name="certificates.run_render_job")
def run_render_job(job_id: int) -> None:
    """Fan the job out, one task per certificate, so every worker takes a share (through the
    outbox: a broker failure halfway loses none)."""
    job = RenderJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    for certificate_id in job.certificate_ids:
        outbox.enqueue(render_certificate_pdf, certificate_id)


@shared_task(name="certificates.mark_expired")
def mark_expired() -> int:
    return services.certificates_mark_expired()


@shared_task(name="certificates.send_expiry_reminders")
def send_expiry_reminders() -> int:
    return services.certificates_send_expiry_reminders()

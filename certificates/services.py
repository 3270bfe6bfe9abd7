"""Changes of state for certificates. Each writes the audit log.

Other apps never call these directly: certificates are issued from the signal receivers in
`receivers.py` (a course completion, a passed exam attempt). The issuing service takes its
source generically (any model instance), so the exam and course apps stay unaware of it.
"""

from datetime import date
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.audit.services import audit_record, audited_save
from lms.notifications.services import notification_send
from lms.resilience import outbox

from . import notices, selectors, serials, signals
from .dates import expiry_for
from .models import Certificate, CertificateRule, CertificateTemplate, RenderJob


@transaction.atomic
def certificate_template_save(*, template: CertificateTemplate, actor=None) -> CertificateTemplate:
    audited_save(
        template,
        actor=actor,
        organisation=template.issuing_organisation,
        label="certificate_template",
    )
    return template


@transaction.atomic
def certificate_rule_save(*, rule: CertificateRule, actor=None) -> CertificateRule:
    audited_save(
        rule,
        actor=actor,
        organisation=rule.template.issuing_organisation,
        label="certificate_rule",
    )
    return rule


# Kinds where a new certificate from the same template renews (supersedes) the holder's
# current one, e.g. this year's annual exam pass replacing last year's qualification.
RENEWABLE_KINDS = frozenset({Certificate.Kind.EXAM_QUALIFICATION, Certificate.Kind.SPOT_CHECK_PASS})


def certificate_issue(
    *,
    holder,
    kind: str,
    source: models.Model | None,
    template: CertificateTemplate,
    title: str,
    score: Decimal | float | None = None,
    issued_on: date | None = None,
    actor=None,
) -> Certificate:
    """Issue a certificate for a pass, once per source however often it is asked.

    A renewable kind supersedes the holder's current valid certificate from the same template
    and carries its `qualified_since` forward. The PDF is rendered after commit by Celery.
    """
    source_type = ContentType.objects.get_for_model(source) if source is not None else None
    if source is not None and source_type is not None:
        existing = selectors.certificate_for_source(
            source_type_id=source_type.pk, source_id=source.pk
        )
        if existing:
            return existing
    try:
        with transaction.atomic():
            return _issue(
                holder=holder,
                kind=kind,
                source_type=source_type,
                source=source,
                template=template,
                title=title,
                score=score,
                issued_on=issued_on or timezone.localdate(),
                actor=actor,
            )
    except IntegrityError:
        # The same event delivered twice at once: the other delivery's certificate stands.
        if source is None or source_type is None:
            raise
        existing = selectors.certificate_for_source(
            source_type_id=source_type.pk, source_id=source.pk
        )
        if existing is None:
            raise
        return existing


def _issue(*, holder, kind, source_type, source, template, title, score, issued_on, actor):
    previous = None
    if kind in RENEWABLE_KINDS:
        previous = (
            Certificate.objects.select_for_update()
            .filter(
                holder=holder,
                template=template,
                kind=kind,
                status=Certificate.Status.VALID,
                issued_on__lte=issued_on,
            )
            .order_by("-issued_on", "-pk")
            .first()
        )
        if previous and previous.effective_status(today=issued_on) != Certificate.Status.VALID:
            previous = None  # a lapsed qualification is earned afresh, not carried forward
    certificate = Certificate(
        holder=holder,
        holder_name=holder.full_name or holder.email,
        kind=kind,
        template=template,
        organisation=template.issuing_organisation,
        title=title[:255],
        score=None if score is None else Decimal(str(score)).quantize(Decimal("0.01")),
        source_type=source_type,
        source_id=source.pk if source is not None else None,
        issued_on=issued_on,
        expires_on=expiry_for(issued_on, template.validity_months),
        qualified_since=previous.qualified_since if previous else issued_on,
    )
    certificate.full_clean(exclude=["serial", "token", "supersedes"], validate_unique=False)
    certificate.save()
    certificate.serial = serials.format_serial(year=issued_on.year, number=certificate.pk)
    if previous:
        previous.status = Certificate.Status.SUPERSEDED
        previous.save(update_fields=["status"])
        certificate.supersedes = previous
        audit_record(
            action="certificate.supersede",
            target=previous,
            actor=actor,
            data={"by": certificate.serial},
        )
    certificate.save(update_fields=["serial", "supersedes"])
    audit_record(
        action="certificate.issue",
        target=certificate,
        actor=actor,
        data={
            "serial": certificate.serial,
            "kind": kind,
            "holder_id": holder.pk,
            "source": f"{source_type.model}:{source.pk}" if source is not None else None,
            "renews": previous.serial if previous else None,
        },
    )
    from .tasks import render_certificate_pdf

    outbox.enqueue(render_certificate_pdf, certificate.pk)
    transaction.on_commit(
        lambda: signals.certificate_issued.send(sender=Certificate, certificate=certificate)
    )
    return certificate


class AlreadyRevoked(Exception):
    """Revoking a revoked certificate changes nothing; the caller says so."""


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, actor) -> Certificate:
    """Revoke with a reason. `actor` must be the issuing organisation's compliance head, an
    officer of the issuing regulator, or a platform administrator; None means the system (a
    regrade that failed the attempt)."""
    if actor is not None and not (
        selectors.certificates_revocable_by(actor).filter(pk=certificate.pk).exists()
    ):
        raise PermissionDenied(_("Only the issuing organisation's compliance head may revoke."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the revocation.")})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == Certificate.Status.REVOKED:
        raise AlreadyRevoked(certificate)
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revocation_reason = reason
    certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    audit_record(
        action="certificate.revoke",
        target=certificate,
        actor=actor,
        data={"serial": certificate.serial, "reason": reason},
    )
    transaction.on_commit(
        lambda: signals.certificate_revoked.send(sender=Certificate, certificate=certificate)
    )
    return certificate


def certificates_revoke_issued_in_error(*, dry_run: bool = False) -> list[Certificate]:
    """Revoke every course-completion certificate an organisation issued to someone who had
    completed the course for another organisation (issued while rules were matched by course
    alone). Audited like any revocation, by the system; safe to run again (a revoked
    certificate is not found twice). With dry_run, only lists them."""
    found = list(selectors.certificates_issued_in_error())
    if dry_run:
        return found
    revoked = []
    for certificate in found:
        with translation.override(settings.LANGUAGE_CODE):
            reason = _(
                "Issued in error by %(issuer)s: the course was completed for %(organisation)s, "
                "which issues its own people's certificates."
            ) % {
                "issuer": certificate.organisation.name,
                # annotated by selectors.certificates_issued_in_error
                "organisation": certificate.holder_organisation_name,  # type: ignore[attr-defined]
            }
        try:
            certificate_revoke(certificate=certificate, reason=reason, actor=None)
        except AlreadyRevoked:
            continue
        revoked.append(certificate)
    return revoked


def certificates_mark_expired(*, today: date | None = None) -> int:
    """Mark every valid certificate past its expiry date as expired (Celery beat, daily)."""
    marked = 0
    for pk in selectors.certificates_past_expiry(today=today).values_list("pk", flat=True):
        with transaction.atomic():
            changed = Certificate.objects.filter(pk=pk, status=Certificate.Status.VALID).update(
                status=Certificate.Status.EXPIRED
            )
            if not changed:
                continue
            certificate = Certificate.objects.get(pk=pk)
            audit_record(action="certificate.expire", target=certificate, actor=None)
            transaction.on_commit(
                partial(
                    signals.certificate_expired.send, sender=Certificate, certificate=certificate
                )
            )
            marked += 1
    return marked


def certificates_send_expiry_reminders(*, today: date | None = None) -> int:
    """E-mail each holder once, 30 days before a certificate expires (Celery beat, daily).

    The reminder is claimed with a conditional UPDATE before it is sent, so overlapping runs
    or a retried task never send it twice.
    """
    sent = 0
    for certificate in selectors.certificates_due_for_reminder(today=today):
        claimed = Certificate.objects.filter(
            pk=certificate.pk, expiry_reminded_at__isnull=True
        ).update(expiry_reminded_at=timezone.now())
        if not claimed:
            continue
        notification_send(
            user=certificate.holder,
            key=f"certificate:{certificate.pk}:expiry",
            kind=notices.EXPIRY,
            params={
                "name": certificate.holder_name,
                "serial": certificate.serial,
                "title": certificate.title,
                # due for a reminder: the selector picks certificates that expire
                "date": certificate.expires_on.isoformat() if certificate.expires_on else "",
            },
            link=reverse("certificates:mine"),
        )
        audit_record(action="certificate.expiry_reminder", target=certificate, actor=None)
        sent += 1
    return sent


def certificate_render_pdf(*, certificate_id: int) -> Certificate:
    """Render (or re-render) the PDF and store it; safe to repeat."""
    from .pdf import render_certificate

    certificate = Certificate.objects.select_related(
        "organisation", "template__seal", "template__issuing_organisation"
    ).get(pk=certificate_id)
    content = render_certificate(certificate)
    # Named by the unguessable token, not the serial: media may be served publicly.
    if certificate.pdf and certificate.pdf.name:
        certificate.pdf.storage.delete(certificate.pdf.name)
    certificate.pdf.save(f"{certificate.token}.pdf", ContentFile(content), save=False)
    certificate.pdf_rendered_at = timezone.now()
    certificate.save(update_fields=["pdf", "pdf_rendered_at"])
    return certificate


@transaction.atomic
def render_job_start(*, actor, template: CertificateTemplate | None = None) -> RenderJob:
    """Re-render the PDFs of every certificate the actor manages (of one template, if given)."""
    certificates = selectors.certificates_manageable_by(actor)
    if template is not None:
        if not selectors.templates_manageable_by(actor).filter(pk=template.pk).exists():
            raise PermissionDenied
        certificates = certificates.filter(template=template)
    job = RenderJob.objects.create(
        requested_by=actor,
        template=template,
        certificate_ids=list(certificates.order_by("pk").values_list("pk", flat=True)),
    )
    audit_record(action="certificate.rerender", target=job, actor=actor, data={"count": job.total})
    from .tasks import run_render_job

    outbox.enqueue(run_render_job, job.pk)
    return job

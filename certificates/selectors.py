"""Reads, already scoped to what the caller may see."""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from lms.organisations.access import access_for
from lms.organisations.models import Organisation, Staff

from .models import Certificate, CertificateRule, CertificateTemplate, RenderJob

EXPIRY_REMINDER_DAYS = 30


def certificates_of(user) -> QuerySet[Certificate]:
    """A person's own certificates, newest first (我的证书)."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    return Certificate.objects.filter(holder=user).select_related("organisation")


def certificate_of_holder(*, user, pk: int) -> Certificate | None:
    return certificates_of(user).filter(pk=pk).first()


def certificate_for_verification(*, token: str) -> Certificate | None:
    """Public: one query, only what the verification page shows."""
    return (
        Certificate.objects.select_related("organisation")
        .only(*_PUBLIC_FIELDS)
        .filter(token=token)
        .first()
    )


def certificate_by_serial(*, serial: str) -> Certificate | None:
    return (
        Certificate.objects.select_related("organisation")
        .only(*_PUBLIC_FIELDS)
        .filter(serial=serial)
        .first()
    )


_PUBLIC_FIELDS = (
    "serial",
    "holder_name",
    "kind",
    "title",
    "issued_on",
    "expires_on",
    "status",
    "revoked_at",
    "organisation__name",
)


def _issuer_org_ids(access) -> set[int]:
    return set(access.admin_org_ids) | set(access.regulator_ids)


def certificates_manageable_by(user) -> QuerySet[Certificate]:
    """Certificates an administrator may list and re-render: those their organisation issued
    and those held by people on their roster."""
    access = access_for(user)
    qs = Certificate.objects.select_related("organisation", "holder", "template")
    if access.is_platform_admin:
        return qs
    roster_users = Staff.objects.filter(
        Q(organisation_id__in=access.admin_org_ids)
        | Q(department_id__in=access.admin_department_ids)
    ).values("user_id")
    return qs.filter(Q(organisation_id__in=_issuer_org_ids(access)) | Q(holder_id__in=roster_users))


def certificates_revocable_by(user) -> QuerySet[Certificate]:
    """The issuing organisation's compliance head (or CCO) revokes its certificates; for a
    regulator's own (spot-check passes), its officers, who answer for it as a head does."""
    access = access_for(user)
    if access.is_platform_admin:
        return Certificate.objects.all()
    return Certificate.objects.filter(
        organisation_id__in=access.head_org_ids | access.regulator_ids
    )


def templates_manageable_by(user) -> QuerySet[CertificateTemplate]:
    access = access_for(user)
    qs = CertificateTemplate.objects.select_related("issuing_organisation", "seal")
    if access.is_platform_admin:
        return qs
    return qs.filter(issuing_organisation_id__in=_issuer_org_ids(access))


def issuing_organisations_for(user) -> QuerySet[Organisation]:
    access = access_for(user)
    if access.is_platform_admin:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=_issuer_org_ids(access))


def rules_manageable_by(user) -> QuerySet[CertificateRule]:
    return CertificateRule.objects.select_related(
        "template__issuing_organisation", "course"
    ).filter(template__in=templates_manageable_by(user))


def template_for_course(*, course_page_id: int) -> CertificateTemplate | None:
    rule = (
        CertificateRule.objects.select_related("template").filter(course_id=course_page_id).first()
    )
    return rule.template if rule else None


def template_for_exam(*, exam_kind: str, organisation_id: int) -> CertificateTemplate | None:
    rule = (
        CertificateRule.objects.select_related("template")
        .filter(exam_kind=exam_kind, template__issuing_organisation_id=organisation_id)
        .first()
    )
    return rule.template if rule else None


def certificate_for_source(*, source_type_id: int, source_id: int) -> Certificate | None:
    return Certificate.objects.filter(source_type_id=source_type_id, source_id=source_id).first()


def certificates_due_for_reminder(*, today=None) -> QuerySet[Certificate]:
    today = today or timezone.localdate()
    return Certificate.objects.filter(
        status=Certificate.Status.VALID,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=EXPIRY_REMINDER_DAYS),
        expiry_reminded_at__isnull=True,
    ).select_related("holder")


def certificates_past_expiry(*, today=None) -> QuerySet[Certificate]:
    today = today or timezone.localdate()
    return Certificate.objects.filter(status=Certificate.Status.VALID, expires_on__lt=today)


def render_jobs_of(user) -> QuerySet[RenderJob]:
    return RenderJob.objects.filter(requested_by=user)


def render_job_progress(*, job: RenderJob) -> dict:
    done = Certificate.objects.filter(
        pk__in=job.certificate_ids, pdf_rendered_at__gte=job.started_at
    ).count()
    total = job.total
    return {
        "done": done,
        "total": total,
        "percent": 100 if not total else round(100 * done / total),
        "finished": done >= total,
    }

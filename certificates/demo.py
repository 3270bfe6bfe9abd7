"""Demo certificates: templates with a seal for each demo enterprise, rules for the annual exam
and the enterprise's courses, certificates for everyone who has passed, and a few from last
year's paper records so that the demo shows a revoked and an expired certificate. Safe to run
again."""

import io
import math
from datetime import timedelta

from django.core.files.images import ImageFile
from django.db.models import Q
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images.models import Image

from content.services import organisation_collection
from lms.organisations.models import ComplianceRole, Organisation, Staff

from . import receivers, services
from .models import Certificate, CertificateRule, CertificateTemplate

WORDING = (
    "兹证明{name}同志参加《{title}》，成绩{score}分，考核合格，具备合规管理岗位任职资格。"
    "特发此证。有效期至{expires}。"
)
COURSE_WORDING = "兹证明{name}同志已完成《{title}》全部课程学习，准予结业。特发此证。"
SEAL_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def seed(*, stdout=None) -> None:
    enterprises = Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE, is_active=True)
    for organisation in enterprises:
        _templates_and_rules(organisation)
    issued = _certificates_for_passes()
    legacy = _paper_records()
    if stdout is not None:
        stdout.write(
            f"  certificates: {Certificate.objects.count()} in all "
            f"({issued} for passes, {legacy} from paper records)"
        )


def _templates_and_rules(organisation: Organisation) -> None:
    seal = _seal_for(organisation)
    qualification, created = CertificateTemplate.objects.get_or_create(
        issuing_organisation=organisation,
        title="合规管理人员资格证书",
        defaults={
            "wording": WORDING,
            "validity_months": 12,
            "signer_name": _head_name(organisation) or "张建国",
            "signer_title": "首席合规官",
            "seal": seal,
        },
    )
    if created:
        services.certificate_template_save(template=qualification)
    if not CertificateRule.objects.filter(
        exam_kind="annual", template__issuing_organisation=organisation
    ).exists():
        services.certificate_rule_save(
            rule=CertificateRule(template=qualification, exam_kind="annual")
        )
    completion, created = CertificateTemplate.objects.get_or_create(
        issuing_organisation=organisation,
        title="合规培训结业证书",
        defaults={
            "wording": COURSE_WORDING,
            "validity_months": 0,
            "signer_name": _head_name(organisation) or "张建国",
            "signer_title": "合规负责人",
            "seal": seal,
        },
    )
    if created:
        services.certificate_template_save(template=completion)
    try:
        from content.models import CoursePage
    except ImportError:
        return
    courses = CoursePage.objects.live().filter(
        Q(owner_organisation=organisation) | Q(owner_organisation__isnull=True)
    )
    for course in courses:
        # Each enterprise issues its own people's certificates, by a rule of its own.
        if not CertificateRule.objects.filter(
            course_id=course.pk, template__issuing_organisation=organisation
        ).exists():
            services.certificate_rule_save(
                rule=CertificateRule(template=completion, course_id=course.pk)
            )


def _first_enterprise() -> Organisation | None:
    return (
        Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE, is_active=True)
        .order_by("pk")
        .first()
    )


def _head_name(organisation: Organisation) -> str | None:
    head = (
        Staff.objects.filter(
            organisation=organisation,
            position__compliance_role__in=[
                ComplianceRole.CHIEF_COMPLIANCE_OFFICER,
                ComplianceRole.COMPLIANCE_HEAD,
            ],
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return head.user.full_name if head else None


def _seal_for(organisation: Organisation) -> Image:
    title = f"印章 · {organisation.name}"
    collection = organisation_collection(organisation=organisation)
    existing = Image.objects.filter(title=title).first()
    if existing:
        if existing.collection_id != collection.pk:
            existing.collection = collection
            existing.save(update_fields=["collection"])
        return existing
    size = 400
    canvas = PILImage.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    red = (200, 22, 29, 220)
    draw.ellipse((8, 8, size - 8, size - 8), outline=red, width=14)
    cx, cy, r = size / 2, size / 2, 58
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.38
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=red)
    font = ImageFont.truetype(SEAL_FONT, 30)
    name = organisation.short_name or organisation.name[:8]
    width = draw.textlength(name, font=font)
    draw.text((cx - width / 2, cy + 80), name, font=font, fill=red)
    small = ImageFont.truetype(SEAL_FONT, 24)
    label = "合规专用章"
    draw.text((cx - draw.textlength(label, font=small) / 2, cy + 125), label, font=small, fill=red)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    # In the organisation's own collection: only its people (and platform administrators) see it.
    image = Image(title=title, collection=collection)
    image.file = ImageFile(buffer, name=f"seal-{organisation.pk}.png")
    image.save()
    return image


def _certificates_for_passes() -> int:
    """Run the receivers over every pass the other demos produced (idempotent per source)."""
    issued = 0
    try:
        from assessments.models import Attempt
    except ImportError:
        Attempt = None
    if Attempt is not None:
        for attempt in Attempt.objects.filter(passed=True).select_related("exam", "user"):
            if receivers.issue_for_finalised_attempt(sender=Attempt, attempt=attempt):
                issued += 1
    try:
        from lms.learning.models import Enrolment
    except ImportError:
        Enrolment = None
    if Enrolment is not None:
        completed = Enrolment.objects.filter(status="completed").select_related("course", "user")
        for enrolment in completed:
            if receivers.issue_for_completed_enrolment(sender=Enrolment, enrolment=enrolment):
                issued += 1
    return issued


def _paper_records() -> int:
    """Last years' qualifications entered from paper: one still valid, one expired, one revoked."""
    organisation = _first_enterprise()
    if organisation is None:
        return 0
    template = CertificateTemplate.objects.filter(
        issuing_organisation=organisation, title="合规管理人员资格证书"
    ).first()
    staff = list(
        Staff.objects.filter(organisation=organisation, status=Staff.Status.ACTIVE)
        .exclude(position__compliance_role=ComplianceRole.NONE)
        .select_related("user")
        .order_by("pk")[:3]
    )
    if template is None or len(staff) < 3:
        return 0
    today = timezone.localdate()
    plans = [
        (staff[0], "2024年度合规知识考试（纸质考试）", today - timedelta(days=500), None),
        (staff[1], "2025年度合规知识考试（纸质考试）", today - timedelta(days=200), None),
        (
            staff[2],
            "2025年度合规知识考试（纸质考试）",
            today - timedelta(days=190),
            "考试作弊，经复核撤销资格",
        ),
    ]
    created = 0
    head = _head_user(organisation)
    for member, title, issued_on, revoke_reason in plans:
        certificate = Certificate.objects.filter(holder=member.user, title=title).first()
        if certificate is None:
            certificate = services.certificate_issue(
                holder=member.user,
                kind=Certificate.Kind.EXAM_QUALIFICATION,
                source=None,
                template=template,
                title=title,
                score=88,
                issued_on=issued_on,
            )
            created += 1
        if revoke_reason and certificate.status != Certificate.Status.REVOKED:
            services.certificate_revoke(certificate=certificate, reason=revoke_reason, actor=head)
    services.certificates_mark_expired()
    return created


def _head_user(organisation: Organisation):
    head = (
        Staff.objects.filter(
            organisation=organisation, position__compliance_role=ComplianceRole.COMPLIANCE_HEAD
        )
        .select_related("user")
        .first()
    )
    return head.user if head else None

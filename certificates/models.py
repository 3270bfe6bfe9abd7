import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import wording

EXAM_KINDS = [
    # The exam engine's kinds (assessments.models.ExamKind), named here so that a rule can
    # apply to every exam of a kind, including next year's annual exam, not yet created.
    ("course_quiz", _("Course quiz")),
    ("pre_appointment", _("Pre-appointment exam")),
    ("annual", _("Annual exam")),
    ("spot_check", _("Spot check")),
]


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CertificateTemplate(models.Model):
    """How one kind of certificate looks and reads, and who issues it."""

    title = models.CharField(
        _("title"), max_length=100, help_text=_("Printed as the heading, e.g. 合规培训合格证书.")
    )
    wording = models.TextField(
        _("wording"),
        help_text=_(
            "The body text. Placeholders: {name} {title} {score} {issued} {expires} {serial}."
        ),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"), default=12, help_text=_("0: the certificate does not expire.")
    )
    signer_name = models.CharField(_("signer's name"), max_length=50)
    signer_title = models.CharField(_("signer's title"), max_length=100)
    seal = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("seal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organisation's seal, a PNG with a transparent background."),
    )
    issuing_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("issuing organisation"),
        on_delete=models.PROTECT,
        related_name="certificate_templates",
    )

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["issuing_organisation", "title"]

    def __str__(self):
        return (
            f"{self.title} · {self.issuing_organisation}"
            if self.issuing_organisation_id
            else self.title
        )

    def clean(self):
        try:
            wording.validate(self.wording)
        except wording.WordingError as exc:
            if exc.reason == "unknown":
                message = _("Unknown placeholders: %(names)s. Use only %(allowed)s.") % {
                    "names": " ".join(f"{{{n}}}" for n in exc.names),
                    "allowed": " ".join(f"{{{n}}}" for n in wording.PLACEHOLDERS),
                }
            else:
                message = _(
                    "A placeholder is written wrongly: write a name in braces, e.g. {name}; "
                    "write {{ and }} for literal braces."
                )
            raise ValidationError({"wording": message}, code=f"wording_{exc.reason}") from exc


class CertificateRule(models.Model):
    """Which template a pass of a course or an exam earns.

    The course and exam apps cannot refer to certificates, so the choice lives here. A rule
    belongs to its template's issuing organisation and applies to that organisation's own
    people only: a rule for an exam kind to every exam of that kind the organisation sets
    (next year's annual exam included); a rule for a course to completions of the course by the
    organisation's people (several organisations may each have a rule for a platform-wide
    course).
    """

    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="rules",
    )
    course = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Completing this course earns the certificate."),
    )
    exam_kind = models.CharField(
        _("exam kind"),
        max_length=20,
        choices=EXAM_KINDS,
        blank=True,
        help_text=_("Passing any exam of this kind set by the issuing organisation earns it."),
    )

    class Meta:
        verbose_name = _("certificate rule")
        verbose_name_plural = _("certificate rules")
        constraints = [
            models.CheckConstraint(
                condition=(Q(course__isnull=False) & Q(exam_kind=""))
                | (Q(course__isnull=True) & ~Q(exam_kind="")),
                name="certificate_rule_course_xor_exam_kind",
                violation_error_message=_("Choose either a course or an exam kind."),
            ),
        ]

    def __str__(self):
        target = self.course.title if self.course_id else self.get_exam_kind_display()
        return f"{target} → {self.template}"

    def clean(self):
        if bool(self.course_id) == bool(self.exam_kind):
            raise ValidationError(_("Choose either a course or an exam kind."))
        if self.course_id and self.course.specific_class.__name__ != "CoursePage":
            raise ValidationError({"course": _("Choose a course page.")})
        if self.course_id and self.template_id:
            owner_id = self.course.specific.owner_organisation_id
            issuer_id = self.template.issuing_organisation_id
            if owner_id is not None and owner_id != issuer_id:
                raise ValidationError(
                    {"course": _("This course is private to another organisation.")}
                )
            clash = CertificateRule.objects.filter(
                course_id=self.course_id, template__issuing_organisation_id=issuer_id
            ).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(
                    {"course": _("The issuing organisation already has a rule for this course.")}
                )
        if self.exam_kind and self.template_id:
            clash = CertificateRule.objects.filter(
                exam_kind=self.exam_kind,
                template__issuing_organisation_id=self.template.issuing_organisation_id,
            ).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(
                    {"exam_kind": _("The issuing organisation already has a rule for this kind.")}
                )


class Certificate(models.Model):
    class Kind(models.TextChoices):
        COURSE_COMPLETION = "course_completion", _("Course completion")
        EXAM_QUALIFICATION = "exam_qualification", _("Exam qualification")
        SPOT_CHECK_PASS = "spot_check_pass", _("Spot-check pass")

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded")

    serial = models.CharField(_("serial number"), max_length=20, unique=True, null=True)
    token = models.CharField(
        _("verification token"), max_length=64, unique=True, default=new_token, editable=False
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    holder_name = models.CharField(
        _("holder's name"), max_length=100, help_text=_("As printed on the certificate.")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("issuing organisation"),
        on_delete=models.PROTECT,
        related_name="certificates_issued",
    )
    title = models.CharField(
        _("course or exam"), max_length=255, help_text=_("What the holder completed or passed.")
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    source_type = models.ForeignKey(
        ContentType,
        verbose_name=_("source type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    qualified_since = models.DateField(
        _("qualified since"),
        help_text=_("When the holder first earned this qualification, carried through renewals."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.VALID
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("renews"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    expiry_reminded_at = models.DateTimeField(_("expiry reminder sent"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/", blank=True)
    pdf_rendered_at = models.DateTimeField(_("PDF rendered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=Q(source_id__isnull=False),
                name="certificate_one_per_source",
                violation_error_message=_("A certificate was already issued for this pass."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("issued_on")),
                name="certificate_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | ~Q(revocation_reason=""),
                name="certificate_revocation_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["holder", "status"]),
            models.Index(fields=["status", "expires_on"]),
        ]

    def __str__(self):
        return f"{self.serial or '—'} {self.holder_name} {self.title}"

    def effective_status(self, *, today=None) -> str:
        """The status as of today, even before the nightly expiry run has marked it."""
        today = today or timezone.localdate()
        if self.status == self.Status.VALID and self.expires_on and self.expires_on < today:
            return self.Status.EXPIRED
        return self.status

    def get_effective_status_display(self) -> str:
        return self.Status(self.effective_status()).label


class RenderJob(models.Model):
    """An administrator's bulk re-rendering of certificate PDFs; its progress is derived."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("request", "requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    certificate_ids = models.JSONField(_("certificates"), default=list)
    started_at = models.DateTimeField(pgettext_lazy("event", "started at"), default=timezone.now)

    class Meta:
        verbose_name = _("re-rendering")
        verbose_name_plural = _("re-renderings")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} ({len(self.certificate_ids)})"

    @property
    def total(self) -> int:
        return len(self.certificate_ids)

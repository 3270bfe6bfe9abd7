from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_REMINDER_WORKING_DAYS = 3


class ConsultationSettings(models.Model):
    """An organisation's own rule for unanswered questions (else the platform's default)."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="consultation_settings",
    )
    reminder_working_days = models.PositiveSmallIntegerField(
        _("working days before a reminder"),
        default=DEFAULT_REMINDER_WORKING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_(
            "An unanswered question is reminded after this many working days and escalated to "
            "the compliance head after twice as many."
        ),
    )

    class Meta:
        verbose_name = _("consultation settings")
        verbose_name_plural = _("consultation settings")

    def __str__(self):
        return str(self.organisation)


class Question(models.Model):
    """合规咨询: a compliance question a staff member asked, routed to who answers it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="compliance_questions",
    )
    asker = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="compliance_questions",
    )
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    routed_to = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("routed to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="routed_questions",
        help_text=_(
            "The part-time administrator of the department; empty: the compliance department."
        ),
    )
    lesson = models.ForeignKey(
        "content.LessonPage",
        verbose_name=_("lesson"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    course = models.ForeignKey(
        "content.CoursePage",
        verbose_name=_("course"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("question"))
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    clauses = models.ManyToManyField(
        "content.RegulationClause", verbose_name=_("clauses cited"), blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("compliance question")
        verbose_name_plural = _("compliance questions")
        ordering = ["-asked_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self):
        return _("Question %(number)d") % {"number": self.pk or 0}


class FaqEntry(models.Model):
    """A good answer the compliance head published to the organisation's FAQ."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="faq_entries",
    )
    source = models.OneToOneField(
        Question,
        verbose_name=_("question"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="faq_entry",
    )
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"))
    course = models.ForeignKey(
        "content.CoursePage",
        verbose_name=_("course"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    clauses = models.ManyToManyField(
        "content.RegulationClause", verbose_name=_("clauses cited"), blank=True, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.question[:60]


class Report(models.Model):
    """举报: a report of a violation, read only by the compliance head and the CCO. An anonymous
    report keeps no trace of who made it: no reporter, no time of day (only the date)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        CLOSED = "closed", _("Closed without a violation record")
        RECORDED = "recorded", _("Turned into a violation record")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="violation_reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("what happened"))
    received_on = models.DateField(_("received on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    outcome = models.TextField(_("outcome"), blank=True)
    violation = models.ForeignKey(
        "records.Violation",
        verbose_name=_("violation record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report of a violation")
        verbose_name_plural = _("reports of violations")
        ordering = ["-received_on", "-pk"]

    def __str__(self):
        return _("Report %(number)d") % {"number": self.pk or 0}

    @property
    def anonymous(self) -> bool:
        return self.reporter_id is None


def _question_file_path(instance, filename):
    return f"consultations/questions/{instance.question_id}/{filename}"


def _report_file_path(instance, filename):
    return f"consultations/reports/{instance.report_id}/{filename}"


class QuestionAttachment(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=_question_file_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class ReportAttachment(models.Model):
    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=_report_file_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from content.models import CoursePage, Curriculum, LessonPage
from lms.organisations.models import Organisation, Staff

ONE_OFF_CYCLE = 0  # the cycle of a course assigned once (a curriculum without refresh)


class Enrolment(models.Model):
    """One person's duty (or wish) to take one course in one cycle."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", pgettext_lazy("course progress", "Not started")
        IN_PROGRESS = "in_progress", pgettext_lazy("course progress", "In progress")
        COMPLETED = "completed", _("Completed")
        WAIVED = "waived", _("Waived")

    class Source(models.TextChoices):
        CURRICULUM = "curriculum", _("Curriculum")
        MANUAL = "manual", _("Assigned by an administrator")
        SELF = "self", _("Self-enrolled")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="enrolments"
    )
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments"
    )
    cycle = models.PositiveIntegerField(
        _("cycle"), default=ONE_OFF_CYCLE, help_text=_("The year for yearly courses; 0 for once.")
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    curriculum = models.ForeignKey(
        Curriculum,
        verbose_name=_("curriculum"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ASSIGNED
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    # when the person was told of this new course (the hourly notice sweep sets it)
    assignment_notified_at = models.DateTimeField(
        _("assignment notified at"), null=True, blank=True
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    waived_at = models.DateTimeField(_("waived at"), null=True, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("waived by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    waiver_reason = models.TextField(_("waiver reason"), blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course", "cycle"],
                name="enrolment_one_per_person_course_cycle",
                violation_error_message=_("This person is already enrolled in this course."),
            )
        ]
        indexes = [
            models.Index(fields=["staff", "status"]),
            models.Index(fields=["status", "due_on"]),
        ]

    def __str__(self):
        return f"{self.user} · {self.course.title}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.ASSIGNED, self.Status.IN_PROGRESS)

    def is_overdue(self, *, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_on is not None and self.due_on < today

    @property
    def display_status(self) -> str:
        return _("Overdue") if self.is_overdue() else self.get_status_display()


class LessonProgress(models.Model):
    """A lesson a person finished, within one enrolment (a yearly course is done again)."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="lessons"
    )
    lesson = models.ForeignKey(
        LessonPage, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)
    seconds_on_page = models.PositiveIntegerField(_("seconds on page"), default=0)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson"], name="lesson_progress_once_per_enrolment"
            )
        ]

    def __str__(self):
        return f"{self.enrolment} · {self.lesson.title}"


class TrainingPlan(ClusterableModel):
    """An organisation's annual training plan (年度培训计划)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="training_plans",
    )
    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)

    panels = [
        FieldPanel("organisation"),
        FieldPanel("year"),
        FieldPanel("title"),
        FieldPanel("notes"),
        InlinePanel("items", label=_("Curricula and target dates")),
    ]

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        ordering = ["-year", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="training_plan_one_per_organisation_year",
                violation_error_message=_("This organisation already has a plan for that year."),
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def clean(self):
        if self.year and not 2000 <= self.year <= 2100:
            raise ValidationError({"year": _("Enter a year such as 2026.")})


class TrainingPlanItem(Orderable):
    plan = ParentalKey(TrainingPlan, on_delete=models.CASCADE, related_name="items")
    curriculum = models.ForeignKey(
        Curriculum, verbose_name=_("curriculum"), on_delete=models.PROTECT, related_name="+"
    )
    target_date = models.DateField(_("target date"))
    target_rate = models.PositiveSmallIntegerField(
        _("target completion (%)"), default=100, help_text=_("0 to 100.")
    )

    panels = [FieldPanel("curriculum"), FieldPanel("target_date"), FieldPanel("target_rate")]

    class Meta(Orderable.Meta):
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def clean(self):
        if self.target_rate is not None and self.target_rate > 100:
            raise ValidationError({"target_rate": _("A completion target is at most 100%.")})

"""Question banks, blueprints, exams and attempts.

A question used in any attempt is never changed in place: editing it makes a new version in the
same lineage and retires the old one, so every attempt keeps the exact version it showed.
"""

import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

OPTION_LETTERS = string.ascii_uppercase[:10]  # A-J, as grading.OPTION_LETTERS


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True/false")
    FILL_IN = "fill_in", _("Fill in the blank")
    SHORT_ANSWER = "short_answer", _("Short answer")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})


class QuestionBank(models.Model):
    """Questions owned by an organisation. A regulator's bank is sealed."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=pgettext_lazy("bank owner", "owner"),
        on_delete=models.PROTECT,
        related_name="question_banks",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_shared = models.BooleanField(
        _("shared with every organisation"),
        default=False,
        help_text=_("Platform-wide banks whose questions any lesson's knowledge check may use."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="question_bank_unique_name_per_owner"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_sealed(self) -> bool:
        """A regulator's bank: examinees see its questions only inside an attempt."""
        return self.organisation.is_regulator

    def clean(self):
        if self.is_shared and self.organisation_id and self.organisation.is_regulator:
            raise ValidationError({"is_shared": _("A regulator's sealed bank cannot be shared.")})


class Question(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("question status", "Active")
        RETIRED = "retired", _("Retired")

    bank = models.ForeignKey(
        QuestionBank, verbose_name=_("bank"), on_delete=models.PROTECT, related_name="questions"
    )
    lineage = models.ForeignKey(
        "self",
        verbose_name=_("first version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="versions",
        help_text=_("Every version of a question points to its first version."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    kind = models.CharField(_("type"), max_length=20, choices=QuestionKind.choices)
    stem = models.TextField(_("stem"))
    options = models.JSONField(
        _("options"), default=list, blank=True, help_text=_("Choices A-J, in their order.")
    )
    key = models.JSONField(
        _("key"),
        default=list,
        blank=True,
        help_text=_(
            "Letters of the correct options; 'true' or 'false'; every accepted fill-in answer; "
            "or a reference answer for a short answer."
        ),
    )
    explanation = models.TextField(_("explanation"), blank=True)
    option_weights = models.JSONField(
        _("option grades"),
        default=list,
        blank=True,
        help_text=_(
            "Partial credit: the grade of each option in percent, as Moodle writes it (e.g. 50, "
            "50, -100). Empty: a multiple choice scores only exactly the key, a single choice "
            "only a keyed option."
        ),
    )
    option_feedback = models.JSONField(
        _("option feedback"),
        default=list,
        blank=True,
        help_text=_("Feedback on each option, shown next to it in the review."),
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    regulation_reference = models.CharField(_("regulation reference"), max_length=300, blank=True)
    name = models.CharField(
        _("name"),
        max_length=255,
        blank=True,
        help_text=_("A name given where the question came from (Moodle's question name)."),
    )
    idnumber = models.CharField(
        _("ID number"),
        max_length=100,
        blank=True,
        help_text=_("An identifier from where the question came from (Moodle's ID number)."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["bank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lineage", "version"], name="question_unique_version_per_lineage"
            ),
            models.CheckConstraint(
                condition=Q(difficulty__gte=1, difficulty__lte=5),
                name="question_difficulty_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["bank", "status"])]

    def __str__(self):
        stem = " ".join(self.stem.split())
        return stem[:60] + ("…" if len(stem) > 60 else "")

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def lineage_id_or_self(self) -> int:
        return self.lineage_id or self.pk

    @property
    def lettered_options(self) -> list[tuple[str, str]]:
        return list(zip(OPTION_LETTERS, self.options, strict=False))

    def clean(self):
        from .grading import key_problems

        problems = key_problems(
            kind=self.kind,
            options=self.options,
            key=self.key,
            weights=self.option_weights,
            feedback=self.option_feedback,
        )
        if not self.stem or not self.stem.strip():
            problems.insert(0, str(_("The stem is empty.")))
        if problems:
            raise ValidationError({"key": problems})


class Blueprint(ClusterableModel):
    """How a paper is drawn from a bank: sections of N questions by filter, or fixed questions."""

    bank = models.ForeignKey(
        QuestionBank, verbose_name=_("bank"), on_delete=models.PROTECT, related_name="blueprints"
    )
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("blueprint")
        verbose_name_plural = _("blueprints")
        ordering = ["bank", "name"]

    def __str__(self):
        return self.name

    @property
    def organisation(self):
        return self.bank.organisation


class BlueprintSection(ClusterableModel):
    blueprint = ParentalKey(
        Blueprint, verbose_name=_("blueprint"), on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200, blank=True)
    count = models.PositiveSmallIntegerField(
        _("number of questions"), default=0, help_text=_("Ignored when fixed questions are set.")
    )
    points = models.DecimalField(_("points each"), max_digits=6, decimal_places=2, default=1)
    kind = models.CharField(_("type"), max_length=20, choices=QuestionKind.choices, blank=True)
    tag = models.CharField(_("tag"), max_length=100, blank=True)
    difficulty_min = models.PositiveSmallIntegerField(
        _("lowest difficulty"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    difficulty_max = models.PositiveSmallIntegerField(
        _("highest difficulty"), default=5, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    fixed_questions = ParentalManyToManyField(
        Question, verbose_name=_("fixed questions"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("blueprint section")
        verbose_name_plural = _("blueprint sections")
        ordering = ["blueprint", "position", "pk"]

    def __str__(self):
        return self.title or f"#{self.position + 1}"

    def clean(self):
        if self.difficulty_min > self.difficulty_max:
            raise ValidationError(
                {"difficulty_max": _("The highest difficulty is below the lowest.")}
            )
        if self.points is not None and self.points <= 0:
            raise ValidationError({"points": _("Points must be more than zero.")})


class ExamKind(models.TextChoices):
    COURSE_QUIZ = "course_quiz", _("Course quiz")
    PRE_APPOINTMENT = "pre_appointment", _("Pre-appointment exam")
    ANNUAL = "annual", _("Annual exam")
    SPOT_CHECK = "spot_check", _("Spot check")


class Exam(models.Model):
    class GradingMethod(models.TextChoices):
        HIGHEST = "highest", _("Highest attempt")
        LAST = "last", _("Last attempt")

    class ReviewPolicy(models.TextChoices):
        SCORE_ONLY = "score_only", _("Score only")
        AFTER_CLOSE = "after_close", _("Answers after the window closes")
        IMMEDIATELY = "immediately", _("Answers at once")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ExamKind.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="exams",
    )
    blueprint = models.ForeignKey(
        Blueprint, verbose_name=_("blueprint"), on_delete=models.PROTECT, related_name="exams"
    )
    course = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The course page a course quiz completes."),
    )
    instructions = models.TextField(_("instructions"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed"), default=1)
    pass_mark = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    grading_method = models.CharField(
        _("grading method"),
        max_length=10,
        choices=GradingMethod.choices,
        default=GradingMethod.HIGHEST,
    )
    review_policy = models.CharField(
        _("review policy"),
        max_length=20,
        choices=ReviewPolicy.choices,
        default=ReviewPolicy.AFTER_CLOSE,
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    audience_roles = models.JSONField(
        _("audience: compliance roles"),
        default=list,
        blank=True,
        help_text=_("Everyone in the organisation whose position has one of these roles."),
    )
    audience_curriculum = models.ForeignKey(
        "content.Curriculum",
        verbose_name=_("audience: a curriculum's audience"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    audience_positions = models.ManyToManyField(
        "organisations.Position", verbose_name=_("audience: positions"), blank=True
    )
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"),
        default=12,
        help_text=_("How long a pass counts, e.g. for a pre-appointment exam."),
    )
    annual_template = models.ForeignKey(
        "AnnualExamTemplate",
        verbose_name=_("annual template"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exams",
    )
    cycle_year = models.PositiveSmallIntegerField(_("cycle year"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Exam integrity (assessments/integrity.py): on by default for spot checks (exam_create).
    integrity_watch = models.BooleanField(
        _("watch how the paper is taken"),
        default=False,
        help_text=_(
            "Count every time the person leaves the exam page, with a warning each time, and "
            "block copying, pasting and the context menu in the paper."
        ),
    )
    integrity_leave_limit = models.PositiveSmallIntegerField(
        _("times the page may be left"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "The paper is submitted when the page is left this many times. Empty: warn only."
        ),
    )
    integrity_full_screen = models.BooleanField(
        _("full screen"),
        default=False,
        help_text=_("Ask for full screen; leaving it counts as leaving the page."),
    )
    integrity_allowed_networks = models.TextField(
        _("allowed networks"),
        blank=True,
        help_text=_(
            "Addresses or networks in CIDR notation (e.g. 10.8.0.0/16), one a line: the exam is "
            "started, saved and submitted only from them. Empty: from anywhere."
        ),
    )
    integrity_idle_minutes = models.PositiveSmallIntegerField(
        _("submit after minutes without activity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Counted by the server from the last saved answer or recorded event. Empty: never."
        ),
    )

    class Meta:
        verbose_name = _("exam")
        verbose_name_plural = _("exams")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="exam_window_closes_after_open",
            ),
            models.UniqueConstraint(
                fields=["annual_template", "cycle_year"], name="exam_one_per_template_and_year"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "kind", "closes_at"])]

    def __str__(self):
        return self.title

    def is_window_open(self, *, now) -> bool:
        return self.opens_at <= now < self.closes_at

    @property
    def allowed_networks(self):
        """The parsed allowed networks (parsed once per text: integrity.parse_networks)."""
        from .integrity import parse_networks

        return parse_networks(self.integrity_allowed_networks)

    def clean(self):
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The window must close after it opens.")
        if self.attempts_allowed is not None and self.attempts_allowed < 1:
            errors["attempts_allowed"] = _("Allow at least one attempt.")
        if self.kind == ExamKind.COURSE_QUIZ and not self.course_id:
            errors["course"] = _("A course quiz belongs to a course.")
        if self.course_id and self.kind != ExamKind.COURSE_QUIZ:
            errors["course"] = _("Only a course quiz belongs to a course.")
        if self.course_id and not _is_course_page(self.course):
            errors["course"] = _("Choose a course page.")
        if (
            self.blueprint_id
            and self.organisation_id
            and self.blueprint.bank.organisation_id != self.organisation_id
            and not self.blueprint.bank.is_shared
        ):
            errors["blueprint"] = _("The blueprint draws from another organisation's bank.")
        if (
            self.kind == ExamKind.SPOT_CHECK
            and self.blueprint_id
            and not self.blueprint.bank.is_sealed
        ):
            errors["blueprint"] = _("A spot check draws from a regulator's sealed bank.")
        if self.integrity_allowed_networks:
            from .integrity import network_problems

            problems = network_problems(self.integrity_allowed_networks)
            if problems:
                errors["integrity_allowed_networks"] = problems
        if errors:
            raise ValidationError(errors)


def _is_course_page(page) -> bool:
    model = page.specific_class
    return model is not None and model._meta.label_lower == "content.coursepage"


class ExamCandidate(models.Model):
    """A person put in an exam (by audience, by name, by an appointment, by the annual cycle),
    with their personal overrides."""

    class Source(models.TextChoices):
        AUDIENCE = "audience", _("Audience")
        NAMED = "named", _("Named")
        APPOINTMENT = "appointment", _("Appointment request")
        ANNUAL = "annual", _("Annual cycle")

    exam = models.ForeignKey(
        Exam, verbose_name=_("exam"), on_delete=models.CASCADE, related_name="candidates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="exam_candidacies",
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.NAMED
    )
    extra_minutes = models.PositiveIntegerField(_("extra time (minutes)"), default=0)
    extra_attempts = models.PositiveSmallIntegerField(_("extra attempts"), default=0)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(fields=["exam", "user"], name="exam_candidate_unique_person")
        ]

    def __str__(self):
        return f"{self.user} · {self.exam}"


class Attempt(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("exam attempt", "In progress")
        AWAITING_GRADING = "awaiting_grading", _("Awaiting grading")
        GRADED = "graded", _("Graded")

    exam = models.ForeignKey(
        Exam, verbose_name=_("exam"), on_delete=models.PROTECT, related_name="attempts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="exam_attempts",
    )
    number = models.PositiveSmallIntegerField(_("attempt number"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    seed = models.BigIntegerField(_("draw seed"))
    draw_spec = models.JSONField(
        _("draw specification"),
        default=dict,
        help_text=_("The blueprint's sections and shuffling as drawn, to rebuild the paper."),
    )
    started_at = models.DateTimeField(pgettext_lazy("event", "started at"))
    deadline = models.DateTimeField(_("deadline"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    auto_submitted = models.BooleanField(_("submitted at the deadline"), default=False)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=8, decimal_places=2, default=0)
    percent = models.DecimalField(
        _("percent"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "user"],
                condition=Q(status="open"),
                name="attempt_one_open_per_person_and_exam",
            ),
            models.UniqueConstraint(
                fields=["exam", "user", "number"], name="attempt_unique_number"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["user", "exam"]),
        ]

    def __str__(self):
        return f"{self.user} · {self.exam} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.GRADED


class AttemptItem(models.Model):
    """One question of a frozen paper and the person's answer to it.

    The answer lives on the item so that saving it is a single UPDATE; `seq` is the client's
    sequence number, and an update only applies when it is newer than the stored one.
    """

    attempt = models.ForeignKey(
        Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="items"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="attempt_items"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    section = models.PositiveSmallIntegerField(_("section"), default=0)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    option_order = models.JSONField(_("option order"), default=list, blank=True)
    answer = models.JSONField(_("answer"), default=list, blank=True)
    seq = models.BigIntegerField(_("client sequence number"), default=0)
    saved_at = models.DateTimeField(_("saved at"), null=True, blank=True)
    is_closed = models.BooleanField(_("closed"), default=False)
    awarded = models.DecimalField(
        _("points awarded"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    grader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("graded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    grader_comment = models.TextField(_("grader's comment"), blank=True)

    class Meta:
        verbose_name = _("paper item")
        verbose_name_plural = _("paper items")
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="attempt_item_unique_question"
            ),
            models.UniqueConstraint(
                fields=["attempt", "position"], name="attempt_item_unique_position"
            ),
        ]

    def __str__(self):
        return f"{self.attempt} · {self.position + 1}"


class AttemptEvent(models.Model):
    """Something that happened while a paper was taken (leaving the page, a refused network, a
    paper submitted for integrity), at the server's time: the client's clock is never read."""

    class Kind(models.TextChoices):
        LEFT_PAGE = "left_page", _("Left the exam page")
        LEFT_WINDOW = "left_window", _("Switched to another window")
        LEFT_FULL_SCREEN = "left_full_screen", _("Left full screen")
        RETURNED = "returned", _("Came back to the exam page")
        COPY = "copy", _("Tried to copy")
        PASTE = "paste", _("Tried to paste")
        CONTEXT_MENU = "context_menu", _("Tried to open the context menu")
        NETWORK_REFUSED = "network_refused", _("Refused: outside the allowed networks")
        LIMIT_SUBMITTED = "limit_submitted", _("Paper submitted: left the page too often")
        IDLE_SUBMITTED = "idle_submitted", _("Paper submitted: no activity")

    attempt = models.ForeignKey(
        Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("server time"))
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("exam integrity event")
        verbose_name_plural = _("exam integrity events")
        ordering = ["attempt", "at", "pk"]
        indexes = [models.Index(fields=["attempt", "kind"])]

    def __str__(self):
        return f"{self.attempt} · {self.get_kind_display()}"


class AnnualExamTemplate(models.Model):
    """An organisation's recipe for its yearly exam, opened every year by Celery beat."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="annual_exam_template",
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("The year is appended."))
    blueprint = models.ForeignKey(Blueprint, verbose_name=_("blueprint"), on_delete=models.PROTECT)
    opens_month = models.PositiveSmallIntegerField(
        _("opens in month"), default=3, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    opens_day = models.PositiveSmallIntegerField(
        _("opens on day"), default=1, validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    window_days = models.PositiveSmallIntegerField(_("window (days)"), default=30)
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), null=True, blank=True
    )
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed"), default=2)
    pass_mark = models.DecimalField(_("pass mark (%)"), max_digits=5, decimal_places=2, default=60)
    reminder_days_before_close = models.PositiveSmallIntegerField(
        _("remind days before closing"), default=7
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("annual exam template")
        verbose_name_plural = _("annual exam templates")

    def __str__(self):
        return f"{self.organisation} · {self.title}"

    def clean(self):
        if self.blueprint_id and self.organisation_id:
            bank = self.blueprint.bank
            if bank.organisation_id != self.organisation_id and not bank.is_shared:
                raise ValidationError(
                    {"blueprint": _("The blueprint draws from another organisation's bank.")}
                )


class ExamReminder(models.Model):
    """One reminder sent to one person for one exam: retries never send it twice."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("exam reminder")
        verbose_name_plural = _("exam reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "user", "kind"], name="exam_reminder_once_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.exam} · {self.user} · {self.kind}"


class ImportPreview(models.Model):
    """An uploaded question file waiting for its uploader to confirm the import they previewed.

    The file itself is kept (not only its parsed rows), so confirming imports exactly what was
    previewed; `fingerprint` is the plan that preview showed: if the bank changed since, the
    confirmation shows the new plan instead of importing."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255, blank=True)
    file_format = models.CharField(max_length=20)
    data = models.BinaryField()
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("import preview")
        verbose_name_plural = _("import previews")

    def __str__(self):
        return f"{self.bank} · {self.filename}"

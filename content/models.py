from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from lms.navigation import home_panels
from lms.organisations.models import ComplianceRole, Department, Organisation
from lms.organisations.roles import ROLE_LABELS
from lms.organisations.selectors import memberships_of

from . import extensions, regulation_text
from .blocks import LessonStreamBlock
from .forms import CurriculumForm
from .page_forms import CoursePageForm


class OrganisationPagePermissions:
    """Every page's permissions follow one rule: see page_permissions.py."""

    def permissions_for_user(self, user):
        from .page_permissions import OrganisationPagePermissionTester

        return OrganisationPagePermissionTester(user, self)


class HomePage(OrganisationPagePermissions, Page):
    """The site's root. Signed-in people see their own summary; others an introduction."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["content.CourseIndexPage", "content.RegulationIndexPage"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if request.user.is_authenticated:
            context["memberships"] = list(memberships_of(request.user))
            groups = set(request.user.groups.values_list("name", flat=True))
            # In the roles' own order (learner first), not the database's.
            context["user_roles"] = [label for name, label in ROLE_LABELS.items() if name in groups]
            context["home_panels"] = home_panels(request)
        return context


class SignInRequiredMixin:
    """Course material is for signed-in people; a private course only for its organisation."""

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        from .selectors import course_visible_to

        course = self.course_page()
        if not course_visible_to(user=request.user, course=course):
            raise Http404
        return super().serve(request, *args, **kwargs)


class CourseIndexPage(OrganisationPagePermissions, Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.CoursePage"]

    class Meta:
        verbose_name = _("course index")

    def get_context(self, request, *args, **kwargs):
        from .selectors import courses_visible_to

        context = super().get_context(request, *args, **kwargs)
        tag = request.GET.get("tag", "").strip()
        courses = courses_visible_to(user=request.user).child_of(self)
        if tag:
            courses = courses.filter(domains__name=tag)
        context["courses"] = courses.prefetch_related("domains")
        context["current_tag"] = tag
        return context


class CourseDomainTag(TaggedItemBase):
    content_object = ParentalKey(
        "content.CoursePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CoursePage(OrganisationPagePermissions, SignInRequiredMixin, Page):
    summary = models.TextField(_("summary"))
    domains = ClusterTaggableManager(
        verbose_name=_("compliance domains"),
        through=CourseDomainTag,
        blank=True,
        help_text=_(
            "Tags such as 反商业贿赂, 数据保护, 网络交易, 安全生产, 劳动用工, 知识产权, 涉外合规."
        ),
    )
    credit_hours = models.DecimalField(
        _("credit hours"),
        max_digits=5,
        decimal_places=1,
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_("Credit hours (学时) awarded on completion."),
    )
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=30)
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="private_courses",
        help_text=_("Empty: the course is platform-wide. Set: only that organisation sees it."),
    )
    is_archived = models.BooleanField(
        _("archived"),
        default=False,
        help_text=_("Archived courses are no longer assigned; history and enrolments are kept."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("domains"),
                FieldPanel("credit_hours"),
                FieldPanel("estimated_minutes"),
                FieldPanel("owner_organisation"),
                FieldPanel("is_archived"),
            ],
            heading=_("Course facts"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.RelatedFields("domains", [index.SearchField("name")]),
        index.FilterField("owner_organisation_id"),
        index.FilterField("is_archived"),
    ]
    parent_page_types = ["content.CourseIndexPage"]
    subpage_types = ["content.LessonPage"]
    base_form_class = CoursePageForm

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def course_page(self) -> "CoursePage":
        return self

    def lessons(self):
        return LessonPage.objects.child_of(self).live().order_by("path")

    @cached_property
    def lesson_list(self) -> list["LessonPage"]:
        """The live lessons in order, read once per page object (the page and the providers of
        its context share it), without their bodies: a course page lists titles and links."""
        return list(self.lessons().defer_streamfields())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = self.lesson_list
        context.update(extensions.course_context(request, self))
        return context


class LessonPage(OrganisationPagePermissions, SignInRequiredMixin, Page):
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"), blank=True)
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=10)
    minimum_seconds = models.PositiveIntegerField(
        _("minimum time on page (seconds)"),
        default=30,
        help_text=_(
            "The Complete button works only after the learner has spent this long on the page."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("estimated_minutes"), FieldPanel("minimum_seconds")],
            heading=_("Lesson facts"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["content.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def course_page(self) -> CoursePage:
        return CoursePage.objects.get(pk=self.get_parent().pk)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        course = self.course_page()
        lessons = list(course.lessons())
        ids = [lesson.pk for lesson in lessons]
        position = ids.index(self.pk) if self.pk in ids else 0
        context["course"] = course
        context["lessons"] = lessons
        context["lesson_number"] = position + 1
        context["previous_lesson"] = lessons[position - 1] if position > 0 else None
        context["next_lesson"] = lessons[position + 1] if position + 1 < len(lessons) else None
        context.update(extensions.lesson_context(request, self))
        return context


class RegulationIndexPage(OrganisationPagePermissions, Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.RegulationPage"]

    class Meta:
        verbose_name = _("regulation library")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["regulations"] = (
            RegulationPage.objects.child_of(self).live().order_by("-effective_date", "title")
        )
        return context


class RegulationPage(OrganisationPagePermissions, Page):
    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        DRAFT = "draft", _("Draft for comment")
        REPEALED = "repealed", _("Repealed")

    issuing_authority = models.CharField(_("issuing authority"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_FORCE
    )
    preamble = models.TextField(_("preamble"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("issuing_authority"),
                FieldPanel("document_number"),
                FieldPanel("effective_date"),
                FieldPanel("status"),
            ],
            heading=_("Regulation facts"),
        ),
        FieldPanel("preamble"),
        InlinePanel("clauses", label=_("Clauses")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("issuing_authority"),
        index.SearchField("document_number"),
        index.SearchField("preamble"),
        index.RelatedFields("clauses", [index.SearchField("heading"), index.SearchField("text")]),
    ]
    parent_page_types = ["content.RegulationIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")

    def laid_out_clauses(self):
        """The clauses, each with the section headings that begin at it (shown once)."""
        return regulation_text.lay_out(self.clauses.all())


class RegulationClause(Orderable):
    page = ParentalKey(RegulationPage, on_delete=models.CASCADE, related_name="clauses")
    number = models.CharField(_("number"), max_length=50, blank=True)
    heading = models.CharField(_("heading"), max_length=200, blank=True)
    text = models.TextField(_("text"))

    panels = [FieldPanel("number"), FieldPanel("heading"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")

    def __str__(self):
        return f"{self.number} {self.heading}".strip() or self.text[:30]


class Curriculum(ClusterableModel):
    """Who must take which courses, by when, and how often (a snippet)."""

    class Refresh(models.TextChoices):
        NONE = "none", _("Once")
        YEARLY = "yearly", _("Every year")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="curricula",
        help_text=_("Empty: applies to the staff of every enterprise (platform administrators)."),
    )
    apply_to_subsidiaries = models.BooleanField(
        _("apply to subsidiaries"),
        default=False,
        help_text=_(
            "Run the curriculum across the group: it also assigns the matching staff of every "
            "subsidiary below the owner organisation (departments matched by name). Only its "
            "compliance head or chief compliance officer may."
        ),
    )
    audience_everyone = models.BooleanField(_("everyone"), default=False)
    audience_roles = models.JSONField(
        _("compliance roles"),
        default=list,
        blank=True,
        help_text=_("People whose position has one of these compliance roles."),
    )
    audience_key_positions = models.BooleanField(_("key positions"), default=False)
    audience_high_risk_positions = models.BooleanField(_("high-risk positions"), default=False)
    audience_management_positions = models.BooleanField(_("management positions"), default=False)
    audience_departments = ParentalManyToManyField(
        Department,
        verbose_name=_("departments"),
        blank=True,
        related_name="+",
        help_text=_("People in these departments or their sub-departments."),
    )
    audience_new_hire_days = models.PositiveIntegerField(
        _("new hires within (days)"),
        null=True,
        blank=True,
        help_text=_("People hired within this many days. Leave empty to ignore the hire date."),
    )
    due_days = models.IntegerField(
        _("due period (days)"),
        default=30,
        help_text=_("Days from assignment until the courses are due."),
    )
    refresh = models.CharField(
        _("refresh"), max_length=10, choices=Refresh.choices, default=Refresh.NONE
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive curricula assign nobody.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("owner_organisation"),
        FieldPanel("apply_to_subsidiaries"),
        MultiFieldPanel(
            [
                FieldPanel("audience_everyone"),
                FieldPanel("audience_roles", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audience_key_positions"),
                FieldPanel("audience_high_risk_positions"),
                FieldPanel("audience_management_positions"),
                FieldPanel("audience_departments"),
                FieldPanel("audience_new_hire_days"),
            ],
            heading=_("Audience (anyone matching any of these)"),
        ),
        InlinePanel("curriculum_courses", label=_("Courses, in order"), min_num=0),
        FieldPanel("due_days"),
        FieldPanel("refresh"),
        FieldPanel("is_active"),
    ]

    base_form_class = CurriculumForm

    class Meta:
        verbose_name = _("curriculum")
        verbose_name_plural = _("curricula")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.due_days is not None and self.due_days < 0:
            errors["due_days"] = _("The due period cannot be negative.")
        valid_roles = set(ComplianceRole.values)
        if any(role not in valid_roles for role in self.audience_roles or []):
            errors["audience_roles"] = _("Unknown compliance role.")
        if errors:
            raise ValidationError(errors)


def curriculum_has_audience(*, everyone, roles, flags, has_departments, new_hire_days) -> bool:
    return bool(everyone or roles or any(flags) or has_departments or new_hire_days)


class CurriculumCourse(Orderable):
    curriculum = ParentalKey(
        Curriculum, on_delete=models.CASCADE, related_name="curriculum_courses"
    )
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldPanel("course")]

    class Meta(Orderable.Meta):
        verbose_name = _("curriculum course")
        constraints = [
            models.UniqueConstraint(
                fields=["curriculum", "course"], name="curriculum_course_once_per_curriculum"
            )
        ]

    def __str__(self):
        return str(self.course)


class OrganisationCollection(models.Model):
    """An organisation's own collection of images and documents (its seal, its course media).
    Only its people see them in the admin: see media_permissions.py."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="media_collection",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("collection"),
        on_delete=models.CASCADE,
        related_name="organisation_link",
    )

    class Meta:
        verbose_name = _("organisation collection")
        verbose_name_plural = _("organisation collections")

    def __str__(self):
        return str(self.organisation)

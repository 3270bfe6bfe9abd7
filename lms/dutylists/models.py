"""重点岗位合规职责清单: each key position's list of compliance duties, kept in versions (a change
makes a new version), and the acknowledgement of the person in the post, signed like a
commitment letter (the rendered text, its SHA-256, time, address and browser)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DutyList(models.Model):
    """The duty list of one key position; its content lives in its versions."""

    position = models.OneToOneField(
        "organisations.Position",
        verbose_name=_("position"),
        on_delete=models.CASCADE,
        related_name="duty_list",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="duty_lists",
    )
    current_version = models.PositiveIntegerField(_("current version"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("key-position duty list")
        verbose_name_plural = _("key-position duty lists")
        ordering = ["organisation", "position__name"]

    def __str__(self):
        return str(self.position)


class DutyListVersion(models.Model):
    """One version of a duty list, with its items; never changed once written."""

    duty_list = models.ForeignKey(
        DutyList, verbose_name=_("duty list"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("duty list version")
        verbose_name_plural = _("duty list versions")
        ordering = ["duty_list", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["duty_list", "number"], name="dutylist_version_number_once"
            )
        ]

    def __str__(self):
        return f"{self.duty_list} v{self.number}"


class DutyItem(models.Model):
    """One duty of a version, with the regulation clauses it rests on and its compliance
    domains (the courses' domain tags)."""

    version = models.ForeignKey(
        DutyListVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("duty"))
    clauses = models.ManyToManyField(
        "content.RegulationClause",
        verbose_name=_("regulation clauses"),
        blank=True,
        related_name="+",
    )
    domains = models.ManyToManyField(
        "taggit.Tag", verbose_name=_("compliance domains"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["version", "order", "pk"]

    def __str__(self):
        return self.text[:60]


class DutyAcknowledgement(models.Model):
    """The person in the post acknowledges one version of its duty list: pending until signed,
    then the signed text and its hash kept."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("duty list", "To acknowledge")
        SIGNED = "signed", pgettext_lazy("duty list", "Acknowledged")

    version = models.ForeignKey(
        DutyListVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    staff = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="duty_acknowledgements",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="duty_acknowledgements",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    text = models.TextField(_("signed text"), blank=True)
    text_sha256 = models.CharField(_("SHA-256 of the text"), max_length=64, blank=True)
    typed_name = models.CharField(_("typed name"), max_length=100, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("duty list acknowledgement")
        verbose_name_plural = _("duty list acknowledgements")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "staff"], name="dutylist_one_acknowledgement_per_version"
            )
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self):
        return f"{self.version} · {self.user}"


class PostCourse(models.Model):
    """A course the post carries because one of its duties is in the course's compliance
    domain: its holders are enrolled in it, and so is whoever moves into the post."""

    duty_list = models.ForeignKey(
        DutyList, verbose_name=_("duty list"), on_delete=models.CASCADE, related_name="courses"
    )
    course = models.ForeignKey(
        "content.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    domain = models.CharField(_("compliance domain"), max_length=100)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("course of the post")
        verbose_name_plural = _("courses of the post")
        ordering = ["duty_list", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["duty_list", "course"], name="dutylist_course_once")
        ]

    def __str__(self):
        return str(self.course)

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import placeholders


def new_token() -> str:
    return secrets.token_urlsafe(24)


def validate_body(body: str) -> None:
    try:
        unknown = placeholders.unknown_placeholders(body)
    except ValueError as exc:
        raise ValidationError(
            _("The letter has an unmatched brace: write {{ or }} for a brace itself.")
        ) from exc
    if unknown:
        raise ValidationError(
            _("Unknown placeholder %(names)s. Known: %(known)s.")
            % {
                "names": "、".join(f"{{{name}}}" for name in unknown),
                "known": "、".join(f"{{{name}}}" for name in placeholders.PLACEHOLDERS),
            }
        )


class CommitmentTemplate(models.Model):
    """A commitment letter (《合规承诺书》) of one organisation, with placeholders."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="commitment_templates",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("letter"),
        validators=[validate_body],
        help_text=_(
            "Placeholders: {name} {employee_number} {organisation} {position} {date}; "
            "they are filled in when the person signs."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("commitment letter template")
        verbose_name_plural = _("commitment letter templates")
        ordering = ["organisation", "title"]

    def __str__(self):
        return self.title


class CommitmentCampaign(models.Model):
    """Who must sign a letter, by when."""

    class Audience(models.TextChoices):
        MANAGEMENT = "management", _("Leaders and management")
        KEY_POSITIONS = "key_positions", _("Key positions")
        NEW_HIRES = "new_hires", _("New hires")
        EVERYONE = "everyone", _("Everyone")

    template = models.ForeignKey(
        CommitmentTemplate,
        verbose_name=_("letter"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    new_hire_days = models.PositiveIntegerField(
        _("new hires: days since hire"),
        default=30,
        help_text=_("For the audience “New hires”: people hired within this many days."),
    )
    include_subsidiaries = models.BooleanField(
        _("include subsidiaries"),
        default=False,
        help_text=_(
            "Run the campaign across the group: the audience is also picked from every "
            "subsidiary below the letter's organisation. Only its compliance head or chief "
            "compliance officer may."
        ),
    )
    due_on = models.DateField(_("due date"))
    launched_at = models.DateTimeField(_("launched at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signing campaign")
        verbose_name_plural = _("signing campaigns")
        ordering = ["-due_on", "-pk"]

    def __str__(self):
        return self.title

    @property
    def organisation(self):
        return self.template.organisation


class CommitmentSignature(models.Model):
    """One person's letter in a campaign: pending until signed, then the signed text kept."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("commitment", "To sign")
        SIGNED = "signed", pgettext_lazy("commitment", "Signed")

    campaign = models.ForeignKey(
        CommitmentCampaign,
        verbose_name=_("signing campaign"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    staff = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="commitment_signatures",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="commitment_signatures",
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
    token = models.CharField(_("check token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("commitment signature")
        verbose_name_plural = _("commitment signatures")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "staff"], name="commitment_one_signature_per_campaign"
            )
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self):
        return f"{self.campaign} · {self.user}"

    @property
    def organisation(self):
        return self.campaign.template.organisation

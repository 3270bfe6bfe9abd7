"""An organisation's identity providers: where its people sign in instead of (or besides) a
password. Each row becomes an allauth app at run time (adapter.py); nothing is configured in
code or settings per customer."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IdentityProvider(models.Model):
    class Kind(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")
        DINGTALK = "dingtalk", pgettext_lazy("identity provider", "DingTalk")
        FEISHU = "feishu", pgettext_lazy("identity provider", "Feishu")
        WECOM = "wecom", pgettext_lazy("identity provider", "WeCom")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="identity_providers",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("Shown on the sign-in button: “Sign in with <name>”."),
    )
    client_id = models.CharField(
        _("client ID"),
        max_length=255,
        blank=True,
        help_text=_(
            "The app key / client ID the provider issued (for SAML: the identity provider's "
            "entity ID)."
        ),
    )
    secret = models.CharField(
        _("client secret"),
        max_length=500,
        blank=True,
        help_text=_("Never shown again once saved; leave empty to keep the current one."),
    )
    server_url = models.URLField(
        _("server URL"),
        max_length=500,
        blank=True,
        help_text=_(
            "OpenID Connect: the issuer (its /.well-known/openid-configuration is read). "
            "SAML: the identity provider's single sign-on URL."
        ),
    )
    settings = models.JSONField(
        _("further settings"),
        default=dict,
        blank=True,
        help_text=_(
            "Optional JSON: “employee_number_claim” (the claim that carries the employee "
            "number), “scope”, and for SAML “x509cert”."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    password_sign_in_allowed = models.BooleanField(
        _("password sign-in allowed"),
        default=True,
        help_text=_(
            "Untick to make the organisation's people sign in through this provider only "
            "(while it is active)."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["organisation_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="sso_provider_name_unique_in_org"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def provider_id(self) -> str:
        """The id allauth knows this row by (in the OIDC and SAML addresses)."""
        return f"idp{self.pk}"

    @property
    def secret_hint(self) -> str:
        """What the admin shows of the secret: that there is one, and its last characters."""
        if not self.secret:
            return ""
        return "••••" + self.secret[-4:] if len(self.secret) > 8 else "••••"

    def clean(self):
        super().clean()
        if not isinstance(self.settings, dict):
            raise ValidationError({"settings": _("Enter a JSON object, e.g. {}.")})
        if self.kind == self.Kind.OIDC and not self.server_url:
            raise ValidationError(
                {"server_url": _("An OpenID Connect provider needs its issuer URL.")}
            )
        needs_client = (self.Kind.OIDC, self.Kind.DINGTALK, self.Kind.FEISHU, self.Kind.WECOM)
        if self.kind in needs_client and not self.client_id:
            raise ValidationError({"client_id": _("The provider's client ID is needed.")})

"""Identity provider rows as allauth apps: which allauth provider serves each kind, and the
SocialApp (never saved) that a row becomes. Pure mapping, no queries."""

from typing import Any

from .models import IdentityProvider

# kind -> allauth provider id
ALLAUTH_PROVIDER = {
    IdentityProvider.Kind.OIDC: "openid_connect",
    IdentityProvider.Kind.DINGTALK: "dingtalk",
    IdentityProvider.Kind.FEISHU: "feishu",
    IdentityProvider.Kind.SAML: "saml",
    IdentityProvider.Kind.WECOM: "wecom",
}
# kinds whose addresses carry the row's own id (/accounts/oidc/idp7/…, /accounts/saml/idp7/…)
PER_ROW_ADDRESS = (
    IdentityProvider.Kind.OIDC,
    IdentityProvider.Kind.SAML,
    IdentityProvider.Kind.WECOM,
)
ROW_KEY = "hegui_idp"


def social_app_for(row: IdentityProvider):
    """The allauth app a row stands for, or None for a kind not wired yet."""
    from allauth.socialaccount.models import SocialApp

    provider = ALLAUTH_PROVIDER.get(IdentityProvider.Kind(row.kind))
    if provider is None:
        return None
    settings: dict[str, Any] = {
        k: v for k, v in (row.settings or {}).items() if k not in ("server_url", ROW_KEY)
    }
    settings[ROW_KEY] = row.pk
    app = SocialApp(
        provider=provider,
        name=row.name,
        client_id=row.client_id,
        secret=row.secret,
        settings=settings,
    )
    if row.kind in PER_ROW_ADDRESS:
        app.provider_id = row.provider_id
    if row.kind == IdentityProvider.Kind.OIDC:
        app.settings["server_url"] = row.server_url
    if row.kind == IdentityProvider.Kind.SAML:
        # the address names the row (allauth's "organization slug" is the app's client_id);
        # the IdP is the row's entity ID, single sign-on URL and certificate; the SP side is
        # allauth's defaults (entity ID = our metadata address)
        app.client_id = row.provider_id
        app.settings = {
            ROW_KEY: row.pk,
            "idp": {
                "entity_id": row.client_id,
                "sso_url": row.server_url,
                "x509cert": settings.get("x509cert", ""),
            },
            "attribute_mapping": {
                "uid": "uid",
                "email": "email",
                **settings.get("attribute_mapping", {}),
            },
            "advanced": {"want_assertion_signed": True, **settings.get("advanced", {})},
        }
    return app


def claim(data: dict, name: str) -> str:
    """A claim from the provider's user data, as text ('' when absent or not text)."""
    value = data.get(name) if isinstance(data, dict) else None
    if isinstance(value, list) and value:  # SAML attributes are lists of values
        value = value[0]
    return value.strip() if isinstance(value, str) else ""

"""Identity provider rows as allauth apps: which allauth provider serves each kind, and the
SocialApp (never saved) that a row becomes. Pure mapping, no queries."""

from typing import Any

from .models import IdentityProvider

# kind -> allauth provider id
ALLAUTH_PROVIDER = {
    IdentityProvider.Kind.OIDC: "openid_connect",
    IdentityProvider.Kind.DINGTALK: "dingtalk",
    IdentityProvider.Kind.FEISHU: "feishu",
}
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
    if row.kind == IdentityProvider.Kind.OIDC:
        app.provider_id = row.provider_id
        app.settings["server_url"] = row.server_url
    return app


def claim(data: dict, name: str) -> str:
    """A claim from the provider's user data, as text ('' when absent or not text)."""
    value = data.get(name) if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) else ""

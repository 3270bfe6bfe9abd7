from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WeComConfig(AppConfig):
    """Sign-in through WeCom (企业微信): an allauth provider on its OAuth2 base (provider.py)."""

    name = "lms.wecom"
    label = "wecom"
    verbose_name = _("WeCom sign-in")

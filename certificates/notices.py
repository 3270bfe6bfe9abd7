"""Certificates' kind of notice, written in the reader's language when shown."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.notifications import kinds

EXPIRY = "certificate"


def expiry(params: Mapping) -> tuple[str, str]:
    """params: name, serial, title, date (ISO date of expiry)"""
    return (
        _("Your certificate %(title)s expires on %(date)s") % params,
        _(
            "Dear %(name)s,\n\nyour certificate %(serial)s (%(title)s) expires on "
            "%(date)s. Pass the next exam or complete the course again to renew it."
        )
        % params,
    )


def register() -> None:
    kinds.register(EXPIRY, gettext_lazy("Certificate"), render=expiry)

"""The dispatch's kind of notice (a quarter ended with no meeting), written in the reader's
language when shown."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.notifications import kinds

DISPATCH_MISSING = "dispatch_missing"


def quarter_missing(params: Mapping) -> tuple[str, str]:
    """params: organisation (its name), quarter ("2026-Q1")"""
    return (
        _("No compliance dispatch meeting recorded for %(quarter)s") % params,
        _(
            "%(organisation)s recorded no compliance dispatch meeting in %(quarter)s. The "
            "principal is to hear the compliance head at least once a quarter: hold the meeting "
            "and record its minutes."
        )
        % params,
    )


def register() -> None:
    kinds.register(DISPATCH_MISSING, gettext_lazy("Compliance dispatch"), render=quarter_missing)

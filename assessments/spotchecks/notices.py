"""Spot checks' kinds of notice, written in the reader's language when shown: the drawn
person is told they were drawn; the firm's compliance head and chief compliance officer are
told of a failed verdict, the rectification it demands and a report sent back."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.notifications import kinds

DRAWN = "spotcheck_drawn"
FAILED = "spotcheck_failed"
RECTIFICATION_DEMANDED = "rectification_demanded"
RECTIFICATION_RETURNED = "rectification_returned"


def drawn(params: Mapping) -> tuple[str, str]:
    """params: title, regulator, closes (local date and time)"""
    return (
        _("You have been drawn for a spot-check exam: %(title)s") % params,
        _(
            "%(regulator)s drew you at random for the spot-check exam %(title)s. "
            "Please sit it before %(closes)s; not sitting it counts as failing."
        )
        % params,
    )


def failed(params: Mapping) -> tuple[str, str]:
    """params: title, regulator, enterprise, passed, drawn"""
    return (
        _("Spot check %(title)s: %(enterprise)s did not pass") % params,
        _(
            "In the spot check %(title)s by %(regulator)s, %(passed)d of the %(drawn)d people "
            "drawn from %(enterprise)s passed, which falls short of the requirement."
        )
        % params,
    )


def rectification_demanded(params: Mapping) -> tuple[str, str]:
    """params: title, regulator, enterprise, deadline (ISO date)"""
    return (
        _("Rectification required after the spot check %(title)s") % params,
        _(
            "%(regulator)s requires %(enterprise)s to rectify and to submit a rectification "
            "report with supporting documents by %(deadline)s."
        )
        % params,
    )


def rectification_returned(params: Mapping) -> tuple[str, str]:
    """params: title, regulator, enterprise, comment (the regulator's own words)"""
    return (
        _("Rectification report returned: %(title)s") % params,
        _(
            "%(regulator)s returned the rectification report of %(enterprise)s with these "
            "comments:\n%(comment)s\nPlease revise the report and submit it again."
        )
        % params,
    )


def register() -> None:
    kinds.register(DRAWN, gettext_lazy("Spot check"), render=drawn)
    kinds.register(FAILED, gettext_lazy("Spot-check result"), render=failed, icon="⚠")
    kinds.register(
        RECTIFICATION_DEMANDED,
        gettext_lazy("Rectification required"),
        render=rectification_demanded,
        icon="⚠",
    )
    kinds.register(
        RECTIFICATION_RETURNED,
        gettext_lazy("Rectification report returned"),
        render=rectification_returned,
    )

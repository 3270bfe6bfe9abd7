"""Commitments' kind of notice (a letter to sign), written in the reader's language when shown."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.notifications import kinds

COMMITMENTS = "commitments"


def letter_to_sign(params: Mapping) -> tuple[str, str]:
    """params: title (the letter's), due (ISO date)"""
    return (
        _("A commitment letter for you to sign: %(title)s") % params,
        _("Please read and sign “%(title)s” by %(due)s.") % params,
    )


def register() -> None:
    kinds.register(COMMITMENTS, gettext_lazy("Commitment letter"), render=letter_to_sign)

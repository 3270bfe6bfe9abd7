"""The duty list's kind of notice (a list to acknowledge), written in the reader's language."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.notifications import kinds

DUTY_LIST = "duty_list"


def to_acknowledge(params: Mapping) -> tuple[str, str]:
    """params: position (its name), version (number)"""
    return (
        _("The compliance duties of your post to acknowledge: %(position)s") % params,
        _(
            "Please read the compliance duty list of your post “%(position)s” (version "
            "%(version)s) and acknowledge it."
        )
        % params,
    )


def register() -> None:
    kinds.register(DUTY_LIST, gettext_lazy("Duty list"), render=to_acknowledge)

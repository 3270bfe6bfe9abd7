"""Oversight's kind of notice (a self-inspection report overdue), written in the reader's
language when shown."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.notifications import kinds

SELF_INSPECTION_LATE = "self_inspection_late"


def self_inspection_late(params: Mapping) -> tuple[str, str]:
    """params: organisation (name), year, due (ISO date)"""
    return (
        _("The %(year)s self-inspection report of %(organisation)s is late") % params,
        _(
            "The annual compliance self-inspection report of %(organisation)s on %(year)s was "
            "due on %(due)s and has not been submitted. Please complete it and submit it to "
            "the regulator."
        )
        % params,
    )


def register() -> None:
    kinds.register(
        SELF_INSPECTION_LATE,
        gettext_lazy("Self-inspection report late"),
        render=self_inspection_late,
    )

"""Records' kind of notice (a violation recorded for a person, then decided), written in the
reader's language when shown."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.notifications import kinds

RECORDS = "records"


def violation(params: Mapping) -> tuple[str, str]:
    """params: step ("reported", "confirmed" or "dismissed"); reported: nature, date, due;
    decided: reason (the decider's own words)"""
    step = params["step"]
    if step == "reported":
        return (
            _("A violation was recorded for you"),
            _("%(nature)s on %(date)s. You may give a written statement by %(due)s.") % params,
        )
    if step == "confirmed":
        return _("The violation recorded for you was confirmed"), params["reason"]
    if step == "dismissed":
        return _("The violation recorded for you was dismissed"), params["reason"]
    raise ValueError(f"unknown step {step!r}")


def register() -> None:
    kinds.register(RECORDS, gettext_lazy("Compliance record"), render=violation)

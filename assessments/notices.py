"""The exam engine's kinds of notice, written in the reader's language when shown."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.notifications import kinds

EXAM = "exam"
PRE_APPOINTMENT_EXAM = "pre_appointment_exam"


def exam_reminder(params: Mapping) -> tuple[str, str]:
    """params: title, closes (local date and time)"""
    return (
        _("Exam reminder: %(title)s") % params,
        _("Please take the exam %(title)s before %(closes)s.") % params,
    )


def pre_appointment_exam(params: Mapping) -> tuple[str, str]:
    """params: title, position, closes (local date and time)"""
    return (
        _("A pre-appointment exam awaits you: %(title)s") % params,
        _(
            "Your appointment as %(position)s needs a passed pre-appointment exam. Please take "
            "the exam %(title)s before %(closes)s."
        )
        % params,
    )


def register() -> None:
    kinds.register(EXAM, gettext_lazy("Exam"), render=exam_reminder)
    kinds.register(
        PRE_APPOINTMENT_EXAM, gettext_lazy("Pre-appointment exam"), render=pre_appointment_exam
    )

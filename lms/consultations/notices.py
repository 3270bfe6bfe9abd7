"""Consultations' kinds of notice, written in the reader's language when shown. A report's
notice names neither the reporter nor what was reported: only that one arrived."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.notifications import kinds


def asked(params: Mapping) -> tuple[str, str]:
    """params: number, asker"""
    return (
        _("A compliance question for you to answer (question %(number)s)") % params,
        _("%(asker)s asked a compliance question. Please answer it.") % params,
    )


def answered(params: Mapping) -> tuple[str, str]:
    return (
        _("Your compliance question is answered (question %(number)s)") % params,
        _("The compliance department answered your question.") % params,
    )


def remind(params: Mapping) -> tuple[str, str]:
    return (
        _("Reminder: a compliance question waits for your answer (question %(number)s)") % params,
        _("This question has waited for an answer for several working days.") % params,
    )


def escalate(params: Mapping) -> tuple[str, str]:
    return (
        _("Escalated: a compliance question is still unanswered (question %(number)s)") % params,
        _("Nobody has answered this question in time; it is escalated to you.") % params,
    )


def report_received(params: Mapping) -> tuple[str, str]:
    return (
        _("A report of a violation was received (report %(number)s)") % params,
        _("A report of a violation was made to you. Only you and the CCO may read it.") % params,
    )


def register() -> None:
    kinds.register("consultation_asked", gettext_lazy("Compliance question"), render=asked)
    kinds.register("consultation_answered", gettext_lazy("Compliance answer"), render=answered)
    kinds.register("consultation_remind", gettext_lazy("Question reminder"), render=remind)
    kinds.register("consultation_escalate", gettext_lazy("Question escalated"), render=escalate)
    kinds.register("report_received", gettext_lazy("Report of a violation"), render=report_received)

"""Errors the exam engine raises; views turn each into a clear message and status code."""

from django.utils.translation import gettext as _

from lms.refusals import Refused


class ExamError(Refused):
    """A request the exam's rules refuse; subclasses set the status."""

    def __init__(self, message: str):
        super().__init__(message)


class NotEligible(ExamError):
    status = 403


class ExamNotOpen(ExamError):
    status = 403


class NoAttemptsLeft(ExamError):
    status = 403


class AttemptClosed(ExamError):
    status = 409

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or _("This attempt is already submitted or its time is up: the answer was not saved.")
        )


class NotOnPaper(ExamError):
    status = 400

    def __init__(self):
        super().__init__(_("This question is not on your paper."))


class BadAnswer(ExamError):
    status = 400


class BankCannotFillBlueprint(ExamError):
    status = 400


class OutsideAllowedNetworks(ExamError):
    status = 403

    def __init__(self, address: str | None):
        super().__init__(
            _(
                "This exam can only be taken from the networks its organisation allowed, and "
                "your address (%(address)s) is not among them. Connect to your organisation's "
                "network and try again; your answers are kept."
            )
            % {"address": address or _("unknown")}
        )


class NotAnIntegrityEvent(ExamError):
    status = 400

    def __init__(self):
        super().__init__(_("The exam page does not report such an event."))

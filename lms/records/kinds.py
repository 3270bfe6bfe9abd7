"""The kinds of event the ledger counts, each in one category. Pure data, no database.

A new kind of event joins the ledger by: adding it here (with its category), giving it points in
`scoring.DEFAULT_RULES` (and in any stored policy that should count it), and recording it with
`services.record_entry` from a receiver of the lower app's signal (receivers.py) and from the
backfill (backfill.py).
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category:
    TRAINING = "training"
    EXAM = "exam"
    SPOT_CHECK = "spot_check"
    CERTIFICATE = "certificate"
    VIOLATION = "violation"
    COMMENDATION = "commendation"
    PENALTY = "penalty"
    COMMITMENT = "commitment"
    DUTY = "duty"

    choices = [
        (TRAINING, pgettext_lazy("records category", "Training")),
        (EXAM, pgettext_lazy("records category", "Exam")),
        (SPOT_CHECK, pgettext_lazy("records category", "Spot check")),
        (CERTIFICATE, pgettext_lazy("records category", "Certificate")),
        (VIOLATION, pgettext_lazy("records category", "Violation")),
        (COMMENDATION, pgettext_lazy("records category", "Commendation")),
        (PENALTY, pgettext_lazy("records category", "Penalty")),
        (COMMITMENT, pgettext_lazy("records category", "Commitment")),
        (DUTY, pgettext_lazy("records category", "Duty performance")),
    ]
    values = [value for value, _label in choices]


# kind: (category, label)
KINDS: dict[str, tuple[str, object]] = {
    "course_on_time": (Category.TRAINING, _("Mandatory course completed on time")),
    "course_late": (Category.TRAINING, _("Mandatory course completed late")),
    "course_overdue": (Category.TRAINING, _("Mandatory course still overdue at year end")),
    "exam_passed": (Category.EXAM, _("Exam passed")),
    "exam_failed": (Category.EXAM, _("Exam failed")),
    "exam_absent": (Category.EXAM, _("Exam not sat")),
    "spotcheck_passed": (Category.SPOT_CHECK, _("Spot check passed")),
    "spotcheck_failed": (Category.SPOT_CHECK, _("Spot check failed")),
    "spotcheck_absent": (Category.SPOT_CHECK, _("Absent from a spot check")),
    "certificate_gained": (Category.CERTIFICATE, _("Certificate gained")),
    "certificate_revoked": (Category.CERTIFICATE, _("Certificate revoked")),
    "violation": (Category.VIOLATION, _("Violation")),
    "commendation": (Category.COMMENDATION, _("Commendation")),
    "penalty": (Category.PENALTY, _("Penalty")),
    "commitment": (Category.COMMITMENT, _("Compliance commitment signed")),
    "duty_logged": (Category.DUTY, _("Compliance duty performed")),
}

KIND_CHOICES = [(kind, label) for kind, (_category, label) in KINDS.items()]


def category_of(kind: str) -> str:
    return KINDS[kind][0]


class Severity:
    GENERAL = "general"
    MAJOR = "major"
    SERIOUS = "serious"
    VERY_SERIOUS = "very_serious"

    choices = [
        (GENERAL, pgettext_lazy("violation severity", "General")),
        (MAJOR, pgettext_lazy("violation severity", "Major")),
        (SERIOUS, pgettext_lazy("violation severity", "Serious")),
        (VERY_SERIOUS, pgettext_lazy("violation severity", "Very serious")),
    ]
    values = [value for value, _label in choices]


class Grade:
    EXCELLENT = "excellent"
    PASS = "pass"
    BASIC_PASS = "basic_pass"
    FAIL = "fail"

    # best first
    order = [EXCELLENT, PASS, BASIC_PASS, FAIL]
    choices = [
        (EXCELLENT, pgettext_lazy("appraisal grade", "Excellent")),
        (PASS, pgettext_lazy("appraisal grade", "Pass")),
        (BASIC_PASS, pgettext_lazy("appraisal grade", "Basic pass")),
        (FAIL, pgettext_lazy("appraisal grade", "Fail")),
    ]

    @classmethod
    def label(cls, grade: str) -> str:
        return str(dict(cls.choices).get(grade, grade))

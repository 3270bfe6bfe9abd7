"""The events an organisation's webhooks may subscribe to (pure data)."""

from django.utils.translation import gettext_lazy as _

EXAM_FINALISED = "exam.finalised"
CERTIFICATE_ISSUED = "certificate.issued"
CERTIFICATE_REVOKED = "certificate.revoked"
COURSE_COMPLETED = "course.completed"
VIOLATION_CONFIRMED = "violation.confirmed"
YEAR_CLOSED = "year.closed"

LABELS = {
    EXAM_FINALISED: _("Exam result final"),
    CERTIFICATE_ISSUED: _("Certificate issued"),
    CERTIFICATE_REVOKED: _("Certificate revoked"),
    COURSE_COMPLETED: _("Course completed"),
    VIOLATION_CONFIRMED: _("Violation confirmed"),
    YEAR_CLOSED: _("Appraisal year closed"),
}
ALL = tuple(LABELS)
CHOICES = list(LABELS.items())

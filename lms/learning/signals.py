"""Events of the learning app, for higher apps (assessments, certificates, records)."""

from django.dispatch import Signal

# sent with enrolment: a person completed a course (every lesson, and its quiz if any, passed)
enrolment_completed = Signal()

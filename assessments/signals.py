"""Events of the exam engine, for higher apps (spot checks, certificates, records)."""

from django.dispatch import Signal

# sent with attempt: an attempt is submitted and fully graded (attempt.passed is known)
attempt_finalised = Signal()

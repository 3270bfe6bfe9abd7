"""Events of the records app, for integrations (HR systems)."""

from django.dispatch import Signal

# sent on commit with closed_year (a ClosedYear): the compliance head closed a year; its
# appraisals (closed_year.appraisals) are frozen
year_closed = Signal()
# sent on commit with violation: the compliance head confirmed a violation
violation_confirmed = Signal()

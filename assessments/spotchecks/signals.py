"""Events of spot checks, for higher apps (records)."""

from django.dispatch import Signal

# sent on commit with person (a DrawnPerson) when the campaign closes and the person's outcome
# (passed, failed, or no_show: absent) is final
drawn_person_outcome = Signal()

"""Events of the duty log."""

from django.dispatch import Signal

# sent on commit with entry (a DutyEntry): a compliance staff member recorded a duty they
# performed; the records app counts it in their ledger
duty_logged = Signal()

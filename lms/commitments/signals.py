"""Events other apps listen to (the records ledger counts a signed letter)."""

from django.dispatch import Signal

# sent with signature: a person signed their commitment letter
commitment_signed = Signal()

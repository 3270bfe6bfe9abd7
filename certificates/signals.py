"""Events of the certificates app, for higher apps (records)."""

from django.dispatch import Signal

# sent on commit with certificate: a certificate was issued (its `supersedes` may be set)
certificate_issued = Signal()
# sent on commit with certificate: a certificate was revoked (reason in revocation_reason)
certificate_revoked = Signal()
# sent on commit with certificate: a certificate reached its expiry date without renewal
certificate_expired = Signal()

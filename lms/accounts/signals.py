"""Sign-in events Django does not signal itself (it has user_logged_in, user_logged_out and
user_login_failed)."""

from django.dispatch import Signal

# A sign-in refused before the password is checked, because of too many failed attempts on
# the account or from the address. Arguments: request, identifier (what was typed, resolved
# to the e-mail address when it was a known employee number).
sign_in_locked_out = Signal()

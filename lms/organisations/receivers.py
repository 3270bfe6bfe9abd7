"""Sign-in, sign-out, failed sign-in and lock-out go to the audit log, under the person's
organisations (connected in apps.py)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from lms.accounts.signals import sign_in_locked_out
from lms.audit.context import client_ip

from . import services


def _ip(request) -> str | None:
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def _signed_in(sender, request, user, **kwargs):
    services.audit_sign_in(user=user, ip_address=_ip(request))


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def _signed_out(sender, request, user, **kwargs):
    services.audit_sign_out(user=user, ip_address=_ip(request))


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django masks the password in `credentials`; the identifier is never the password field.
    identifier = credentials.get("email") or credentials.get("username") or ""
    services.audit_sign_in_refused(
        action="auth.sign_in_failed", identifier=identifier, ip_address=_ip(request)
    )


@receiver(sign_in_locked_out, dispatch_uid="audit_locked_out")
def _locked_out(sender, request, identifier, **kwargs):
    services.audit_sign_in_refused(
        action="auth.locked_out", identifier=identifier, ip_address=_ip(request)
    )

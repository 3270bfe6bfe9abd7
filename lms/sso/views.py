"""The sign-in buttons' target: a person picks their organisation's provider and is sent to it
through allauth (rate-limited like the password form)."""

import requests
from allauth.account.utils import get_next_redirect_url
from allauth.core import ratelimit
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.http import Http404
from django.views.decorators.http import require_POST

from . import selectors
from .adapter import CHOSEN_SESSION_KEY, refusal_response
from .apps_runtime import ALLAUTH_PROVIDER, PER_ROW_ADDRESS


@require_POST
def start(request, idp_id: int):
    limited = ratelimit.consume_or_429(request, action="login")
    if limited is not None:
        return limited
    row = selectors.active_provider(idp_id)
    if row is None or row.kind not in ALLAUTH_PROVIDER:
        raise Http404
    request.session[CHOSEN_SESSION_KEY] = row.pk
    key = row.provider_id if row.kind in PER_ROW_ADDRESS else ALLAUTH_PROVIDER[row.kind]
    provider = get_adapter(request).get_provider(request, key)
    try:
        return provider.redirect(
            request, process=AuthProcess.LOGIN, next_url=get_next_redirect_url(request)
        )
    except (requests.RequestException, OAuth2Error, ValueError):
        return refusal_response(request, reason="unreachable", status=200)

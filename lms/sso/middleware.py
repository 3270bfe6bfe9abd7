"""A provider that cannot be reached (its discovery document, token or user endpoint) is the
provider's fault, not ours: allauth's views let the network error escape, and this answers it
with a page that says so instead of a server error."""

import requests
from allauth.socialaccount.providers.oauth2.client import OAuth2Error

from .adapter import refusal_response


class ProviderUnreachableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, requests.RequestException | OAuth2Error):
            return refusal_response(request, reason="unreachable", status=200)
        return None

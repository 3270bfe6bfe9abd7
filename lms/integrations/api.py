"""How the HR API knows its caller: an organisation's API key, in `Authorization: Bearer <key>`.

No session, no cookie: a signed-in person gets nothing here without a key. A key that is not
ours or was revoked is refused with 401; a read key asking to write, with 403. Calls are
rate-limited per key (DRF's throttle on the default cache, which degrades to process memory
when Redis is down: lms/resilience/cache.py) and each one is written to the audit log."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions, throttling
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.pagination import CursorPagination

from . import selectors
from .models import ApiKey

SCHEMES = (b"bearer", b"api-key")


class ApiKeyCaller:
    """What `request.user` is for a call made with a key: not a person."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_superuser = False
    pk = None

    def __init__(self, api_key: ApiKey):
        self.api_key = api_key

    def __str__(self):
        return f"API key {self.api_key.prefix}"


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() not in SCHEMES:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give one API key after Bearer."))
        try:
            raw = header[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("This is not a valid API key.")) from exc
        api_key = selectors.api_key_for(raw)
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("This is not a valid API key."))
        if not api_key.is_active:
            raise exceptions.AuthenticationFailed(_("This API key has been revoked."))
        if not api_key.organisation.is_active:
            raise exceptions.AuthenticationFailed(_("This organisation is no longer active."))
        return ApiKeyCaller(api_key), api_key

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class HasApiKeyScope(permissions.BasePermission):
    """Any live key reads; only a write key changes anything."""

    message = _("This API key may only read: ask for a key with write access.")

    def has_permission(self, request, view):
        api_key = request.auth
        if not isinstance(api_key, ApiKey):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return api_key.may_write


class ApiKeyRateThrottle(throttling.SimpleRateThrottle):
    scope = "api_key"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class ByIdCursor(CursorPagination):
    """Pages in id order with an opaque cursor: stable while records change; `updated_since`
    narrows what is paged through."""

    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the key (drf-spectacular)."""

    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An organisation's API key (hg_…), made in the admin under HR API.",
        }

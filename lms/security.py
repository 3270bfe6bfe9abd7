"""Response headers that protect every page: the content security policy (django-csp, in
production), Permissions-Policy, and Cache-Control: no-store for signed-in people."""

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.utils.cache import add_never_cache_headers

# The site's own pages run only the project's static scripts (no inline script, no eval);
# inline style attributes stay (progress bars set their width). Video embeds are iframes from
# whichever https provider an editor chose.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "media-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "frame-src": [SELF, "https:"],
        "frame-ancestors": [SELF],  # Wagtail's preview frames the site inside its admin
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
# The Wagtail admin writes small inline scripts (date pickers, inline panels, choosers).
ADMIN_PATH_PREFIX = "/admin/"
ADMIN_CSP_UPDATE = {"script-src": [UNSAFE_INLINE]}

# No page of the site uses these; a page that is made to try cannot.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's inline scripts allowed under /admin/ only."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(ADMIN_PATH_PREFIX):
            parts.update = {**ADMIN_CSP_UPDATE, **(parts.update or {})}
        return parts


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; responses to a signed-in person are never stored
    by the browser or a proxy (Cache-Control: no-store, private), so the back button or a
    shared computer does not show their pages after they sign out. Goes after
    AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # max-age=0, no-cache, no-store, …, private
        return response

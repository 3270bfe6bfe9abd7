from django.core.exceptions import ImproperlyConfigured

from lms import security as lms_security

from .base import *  # noqa: F403
from .base import DATABASE_URL, SECRET_KEY, env_bool, env_int

if not SECRET_KEY or SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("production needs SECRET_KEY: a random string of 50+ characters")
if not DATABASE_URL:
    raise ImproperlyConfigured("production needs DATABASE_URL (PostgreSQL)")

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
# Wagtail's page preview frames the site inside its own admin, so SAMEORIGIN, not DENY.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# Content security policy (django-csp, whose middleware is in base.py and sends nothing without
# this setting): the site runs only its own static scripts; the Wagtail admin (/admin/) may also
# run its inline ones. The policy itself is in lms/security.py.
CONTENT_SECURITY_POLICY = {
    **lms_security.CONTENT_SECURITY_POLICY,
    "DIRECTIVES": {
        **lms_security.CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "upgrade-insecure-requests": SECURE_SSL_REDIRECT,
    },
}

from . import admin_views  # noqa: F401  (registers the enterprise sign-in admin pages)

from . import admin_views  # noqa: F401  (registers the HR API admin pages)

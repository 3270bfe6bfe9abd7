"""WSGI entry of the bench's gunicorn: the site with the floor view (bench/_settings.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench._settings")
application = get_wsgi_application()

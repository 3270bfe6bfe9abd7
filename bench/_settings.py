"""Settings of the bench's own gunicorn (bench/exam_day.py): the production settings, served
over plain HTTP on loopback (no TLS redirect, cookies not marked Secure), with the bench's
floor view added to the URLs. Never deploy these."""

import os

os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from lms.settings.production import *  # noqa: E402, F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench._urls"

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in-process in tests; the Redis broker is still exercised by tests/test_celery_redis.py.
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"  # noqa: F405

# Tests share the machine's Redis with other programs: they use a key prefix of their own run and
# clear only their own keys (tests/conftest.py), never FLUSHDB a database they did not create.
if REDIS_URL:  # noqa: F405
    import uuid as _uuid

    CACHES["default"]["KEY_PREFIX"] = f"hegui-test-{_uuid.uuid4().hex[:12]}"  # noqa: F405

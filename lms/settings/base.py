"""All settings, driven by environment variables. dev/test/production change only what they must."""

from pathlib import Path

import dj_database_url

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_ID = 1

INSTALLED_APPS = [
    # our apps first so their templates and translations take precedence
    "lms",
    "lms.accounts",
    "lms.organisations",
    "lms.audit",
    "lms.notifications",
    "content",
    "lms.learning",
    "assessments",
    "assessments.spotchecks",
    "certificates",
    "lms.commitments",
    "lms.duties",
    "lms.dutylists",
    "lms.oversight",
    "lms.records",
    "lms.dispatch",
    "lms.archive",
    "lms.consultations",
    "lms.resilience",
    "lms.integrations",
    "lms.sso",
    "lms.wecom",
    # wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.dingtalk",
    "allauth.socialaccount.providers.feishu",
    "allauth.socialaccount.providers.saml",
    "import_export",
    "django_celery_beat",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # an answer save or submit carrying the exam token goes straight to its view from here
    "assessments.middleware.ExamTokenMiddleware",
    # sends the policy only where CONTENT_SECURITY_POLICY is set (production.py)
    "lms.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "lms.middleware.CookieLanguageOutsidePrefixesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Permissions-Policy everywhere; Cache-Control: no-store for signed-in people
    "lms.security.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # an identity provider that does not answer gets a page saying so, not a server error
    "lms.sso.middleware.ProviderUnreachableMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "lms.audit.middleware.AuditContextMiddleware",
    # a refusal (lms.refusals.Refused) no view caught: its message and status, not a 500
    "lms.refusals.RefusalMiddleware",
]

ROOT_URLCONF = "lms.urls"
CSRF_FAILURE_VIEW = "lms.views.csrf_failure"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "lms.navigation.main_nav",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"timeout": 20},
        }
    }
# Behind PgBouncer in transaction mode (deploy/pgbouncer.ini, docs/deployment.md) a cursor
# cannot outlive its transaction: no server-side cursors. (Django's psycopg 3 connections
# prepare no statements, which transaction pooling needs too.)
if DATABASE_URL and env_bool("PGBOUNCER", False):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, sessions, celery ----------------------------------------------------------------
# Sessions live in PostgreSQL alone, so signed-in people keep working while Redis is down; the
# Redis cache degrades to process memory when Redis fails (lms/resilience/cache.py), with short
# timeouts so a silent Redis costs a request at most a second once every few seconds.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "lms.resilience.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "hegui"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
    # The broker may be a Redis of its own (BROKER_URL): persistent, unlike the cache's
    # (deploy/redis-broker.conf, deploy/redis-cache.conf).
    CELERY_BROKER_URL = env_str("BROKER_URL") or REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Each app adds its periodic tasks here from lms/celery_schedule.py.
from lms.celery_schedule import CELERY_BEAT_SCHEDULE  # noqa: E402, F401

# --- auth and allauth -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "lms.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_FORMS = {"login": "lms.sso.forms.LoginForm"}
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[合规学院] "
# Reset requests for unknown addresses send nothing: the form must not mail arbitrary people.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# A whole company behind one NAT address must be able to sign in at an exam's start, so the
# per-IP limits are generous while the per-account limit on failures stays tight.
ACCOUNT_RATE_LIMITS = {
    "login": env_str("RATE_LIMIT_LOGIN", "6000/m/ip"),
    "login_failed": env_str("RATE_LIMIT_LOGIN_FAILED", "600/m/ip,5/5m/key"),
    "reset_password": "60/m/ip,5/m/key",
    "reset_password_from_key": "60/m/ip",
    "change_password": "5/m/user",
}
# Behind reverse proxies, the client's address comes from X-Forwarded-For: the per-address
# sign-in limits and the audit log must see the client, not the proxy (lms/audit/context.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "合规学院"
# Accept the previous and next 30-second code too: phone clocks drift.
MFA_TOTP_TOLERANCE = 1
# The Wagtail admin signs people in through allauth too, so the admin gets the same rate limits
# and MFA; Wagtail's own login form is redirected (lms/urls.py) and its password reset is off.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# E-mail addresses are the roster's: nobody changes their own in the admin either.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# Passwords are changed on the site's account page, with allauth's limits and notices.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
# A signed-in learner sent to the login page by the admin must see it (and why), not bounce back.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False

# Enterprise sign-in (lms/sso): each organisation's identity providers are rows in the admin,
# turned into allauth apps at run time by the adapter; a person is matched to the roster by what
# the provider asserts and never signed up (no account outside the roster).
SOCIALACCOUNT_ADAPTER = "lms.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = env_int("SSO_REQUESTS_TIMEOUT", 10)

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Only the strings Wagtail's own zh_Hans catalogues lack (scripts/translations.py wagtail-gaps).
LOCALE_PATHS = [BASE_DIR / "lms" / "wagtail_zh" / "locale"]

# --- static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Files served only through views that check who asks (inspection archives), never as media.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "合规学院 Hegui Academy"
WAGTAILADMIN_BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000")
BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "txt",
    "zip",
    "mp4",
    "webm",
]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_USER_EDIT_FORM = "lms.accounts.forms.WagtailUserEditForm"
WAGTAIL_USER_CREATION_FORM = "lms.accounts.forms.WagtailUserCreationForm"
WAGTAIL_USER_CUSTOM_FIELDS = ["full_name", "phone"]

# --- import-export --------------------------------------------------------------------------
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# --- e-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "合规学院 <noreply@hegui.example.cn>")

# --- domain settings ------------------------------------------------------------------------
NEW_HIRE_DAYS = env_int("NEW_HIRE_DAYS", 90)
ROSTER_IMPORT_MAX_ROWS = env_int("ROSTER_IMPORT_MAX_ROWS", 50000)

# --- the HR API and webhooks (lms/integrations) -------------------------------------------------
# Only the HR API's own views authenticate (by key); no DRF view takes a password (Basic) or,
# unless it says so (Wagtail's admin API), a session.
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hegui Academy HR API",
    "DESCRIPTION": "An organisation's roster in, its training, exam, certificate and "
    "performance records out. Authenticate with `Authorization: Bearer <API key>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["lms.integrations.schema.hr_api_only"],
    # the docs' scripts and styles are served from our static files, never from a CDN
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# calls per API key (DRF's throttle, counted in the default cache)
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "1200/min")
API_ROSTER_BATCH_MAX = env_int("API_ROSTER_BATCH_MAX", 1000)
# 合规考核: an open year of a roster larger than this is shown from the kept scores
# (lms/records/scores.py), refreshed after each entry; a smaller one is scored on the page.
RECORDS_LIVE_APPRAISAL_LIMIT = env_int("RECORDS_LIVE_APPRAISAL_LIMIT", 500)
WEBHOOK_TIMEOUT_SECONDS = float(env_str("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6)
WEBHOOK_BACKOFF_SECONDS = env_int("WEBHOOK_BACKOFF_SECONDS", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# consultations: an unanswered question is reminded after this many working days (escalated to
# the compliance head after twice as many) unless the organisation sets its own; public holidays
# and make-up working days (调休) as ISO dates, from each year's State Council notice
CONSULTATION_REMINDER_WORKING_DAYS = 3
CONSULTATION_HOLIDAYS: list[str] = []
CONSULTATION_EXTRA_WORKDAYS: list[str] = []

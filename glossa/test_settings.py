"""Settings for the test suite: the normal settings with test-only defaults.

Tests run with DEBUG off (as pytest-django forces), so HTTPS redirects are
turned off here and a throwaway SECRET_KEY is provided. The database still
comes from DATABASE_URL: PostgreSQL in CI, SQLite otherwise.
"""

import os

os.environ.setdefault(
    "SECRET_KEY", "glossa-test-only-secret-key-not-for-production-0123456789"
)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("GLOSSA_VAR_DIR", os.path.join(os.getcwd(), "var", "test"))

from glossa.settings import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
CELERY_TASK_ALWAYS_EAGER = True

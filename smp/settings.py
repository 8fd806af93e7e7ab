"""Django settings for SMP, read from environment variables.

Defaults are safe for production (DEBUG off, secure cookies, HSTS); the
development script (``./dev``) switches DEBUG on explicitly. Without
``DATABASE_URL`` the app uses a SQLite file under the git-ignored ``var/``; without
``REDIS_URL`` Celery runs tasks eagerly in-process.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url

from smp.env import env_bool, env_int, env_list, env_required, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SMP_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)


def _running_tests() -> bool:
    """Test settings (fixed key, fast hashing, plain cookies) weaken security, so a
    stray PYTEST_VERSION in a production environment must not switch them on.

    pytest (8.2+) sets PYTEST_VERSION for its session and every process it starts.
    It counts inside pytest itself, and in a process a test started (the Celery
    worker, told its database by SMP_TEST_DATABASE_NAME) unless DEBUG is explicitly off.
    """
    if "PYTEST_VERSION" not in os.environ:
        return False
    if "pytest" in sys.modules:
        return True
    debug_explicitly_off = "DEBUG" in os.environ and not DEBUG
    return bool(env_str("SMP_TEST_DATABASE_NAME")) and not debug_explicitly_off


TESTING = _running_tests()

if DEBUG or TESTING:
    SECRET_KEY = env_str("SECRET_KEY") or "insecure-development-key-never-use-in-production"
else:
    SECRET_KEY = env_required("SECRET_KEY", "sessions and password resets are signed with it")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if (DEBUG or TESTING) else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "smp",
    "priorities",
    "datasets",
    "actionplans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a refused (locked-out) sign-in into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "smp.urls"
WSGI_APPLICATION = "smp.wsgi.application"

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
                "smp.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    # A Celery worker started by a test must use the test database, not the real one.
    if env_str("SMP_TEST_DATABASE_NAME"):
        DATABASES["default"]["NAME"] = env_str("SMP_TEST_DATABASE_NAME")
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "smp.sqlite3",
            # Uploads and recalculations write in bulk while pages read.
            "OPTIONS": {"timeout": 20},
            # A file, not memory, so a Celery worker process started by a test
            # shares the test database; one per test run (process id), so two runs
            # in one checkout never share or delete each other's database.
            "TEST": {"NAME": VAR_DIR / f"test-{os.getpid()}.sqlite3"},
        }
    }
    if env_str("SMP_TEST_DATABASE_NAME"):
        DATABASES["default"]["NAME"] = env_str("SMP_TEST_DATABASE_NAME")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Celery -------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None  # jobs keep their own status rows; no result backend
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True  # a killed worker's job is redelivered, not lost
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 660, minimum=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_BEAT_SCHEDULE: dict = {
    # Proof of life for the beat -> broker -> worker -> database chain (health check).
    "worker-heartbeat": {"task": "smp.tasks.worker_heartbeat", "schedule": 60.0},
    # A killed worker's import (or recount) stays "running": mark it failed, retryable.
    "datasets-fail-stale-jobs": {"task": "datasets.tasks.fail_stale_jobs", "schedule": 60.0},
}

# --- Auth ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTHENTICATION_BACKENDS = [
    # First: refuses every sign-in attempt (right password or not) while locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failed attempts for one
# username from one address, that pair is locked out for LOGIN_LOCKOUT_MINUTES.
# Username and address together, so nobody can lock a colleague out from elsewhere
# and a shared council office address does not lock everyone out.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The client address: behind the TLS proxy the right-most X-Forwarded-For entry (the
# one the proxy appended), else the connection's own address (a client could forge
# the header otherwise).
if env_bool("BEHIND_TLS_PROXY", False):
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Email --------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEBUG or TESTING)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "smp@localhost")

# --- Locale -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

# --- Static and uploaded files --------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "smp.staticfinders.PackageAssetFinder",
]
# Uploaded extracts are private: stored under UUID names outside any URL space
# and only ever streamed back through a permission-checked view.
PRIVATE_STORAGE_ROOT = Path(env_str("PRIVATE_STORAGE_ROOT") or VAR_DIR / "uploads")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
# Largest upload accepted (bytes); a quarter of a force-wide police.uk file is
# well under this.
SMP_MAX_UPLOAD_BYTES = env_int("SMP_MAX_UPLOAD_BYTES", 200 * 1024 * 1024, minimum=1024)
# Counts below this are "small numbers": a percentage change on them is unreliable.
# One threshold for the upload summary's warning and the trend engine's flag.
SMP_SMALL_NUMBER_THRESHOLD = env_int("SMP_SMALL_NUMBER_THRESHOLD", 20, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security -------------------------------------------------------------------
_secure = not (DEBUG or TESTING)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _secure)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _secure)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _secure)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _secure else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _secure
SECURE_HSTS_PRELOAD = _secure
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind a TLS-terminating proxy (docker compose, a council load balancer).
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "data-table"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes logs every successful sign-in at INFO; failures and lock-outs are WARNING.
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Action plans ------------------------------------------------------------------
from celery.schedules import crontab  # noqa: E402

# An open action without an edit or progress note for this many days is "stale"
# and appears in the lead's daily reminder digest.
ACTIONPLANS_STALE_DAYS = env_int("ACTIONPLANS_STALE_DAYS", 30, minimum=1)
# Absolute links in reminder and new-account e-mails.
SMP_BASE_URL = env_str("SMP_BASE_URL", "http://127.0.0.1:8000")
# Where load_demo reads the published figures (default: docs/demo in the repository).
SMP_DEMO_DIR = Path(env_str("SMP_DEMO_DIR") or BASE_DIR / "docs" / "demo")
CELERY_BEAT_SCHEDULE["actionplans-daily-reminders"] = {
    "task": "actionplans.tasks.send_reminders",
    "schedule": crontab(hour=7, minute=0),
}

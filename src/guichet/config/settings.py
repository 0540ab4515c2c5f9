"""Guichet settings: one module, every knob an environment variable.

README.md lists every variable. Defaults give a working local install on the
embedded SQLite database with no other service running.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from guichet.ops.logs import logging_config

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("GUICHET_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if not DEBUG and not env_bool("GUICHET_COMMAND_LINE"):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Local development and the `guichet` command line: generate once and keep it, so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "ninja",
    "django_countries",
    "guichet.core",
    "guichet.accounts",
    "guichet.help",
    "guichet.support",
    "guichet.inventory",
    "guichet.contracts",
    "guichet.orders",
    "guichet.billing",
    "guichet.buytech",
    "guichet.search",
    "guichet.ops",
]

MIDDLEWARE = [
    # /healthz, /readyz and /metrics first: no host check, session, user or language for them.
    "guichet.ops.middleware.ProbeMiddleware",
    # The request id, the request's log line and its metrics, around everything else.
    "guichet.ops.middleware.RequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "guichet.core.security_headers.SecurityHeadersMiddleware",
    "guichet.core.nul_bytes.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user row kept in the cache under accounts' data version (same session checks).
    "guichet.accounts.session_user.KeptUserAuthenticationMiddleware",
    "guichet.core.middleware.ProfileLocaleMiddleware",
    "guichet.core.middleware.RefuseNulBytesMiddleware",
    "guichet.core.middleware.ApiJsonBodiesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "guichet.accounts.middleware.ActiveOrganisationMiddleware",
    "guichet.accounts.middleware.ViewerTimezoneMiddleware",
    "guichet.accounts.middleware.StaffMfaRequiredMiddleware",
    # Last, so its process_exception sees a list view's InvalidCursor first, with the user and language set.
    "guichet.core.middleware.InvalidCursorMiddleware",
]

ROOT_URLCONF = "guichet.config.urls"
WSGI_APPLICATION = "guichet.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guichet.core.context_processors.support_centre",
                "guichet.core.context_processors.interface_languages",
                "guichet.accounts.context_processors.navigation",
            ],
            # Amounts and dates in the reader's language, in every template without a {% load %}.
            "builtins": ["guichet.core.templatetags.locale_ui"],
        },
    },
    {
        # The rows of the longest lists only (`{% rows_html %}`, core/rows.py): Jinja2 prints a prepared
        # row several times faster than Django's engine (bench/README.md). Pages stay Django templates.
        "NAME": "rows",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,  # <app>/jinja2/
        "OPTIONS": {"environment": "guichet.core.rows.jinja_environment"},
    },
]

# The select widget written in Python, the same HTML as Django's templates (core/form_renderer.py).
FORM_RENDERER = "guichet.core.form_renderer.FormRenderer"

# --- database --------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'guichet.sqlite3'}"),
        # Ten minutes: a new connection's server process loads the catalogue again, so the request
        # that replaces it waits 20 to 25 ms more (bench/README.md, "Tails, third pass"); at 60 s that
        # was one request a minute per worker under steady traffic. A dropped one is still replaced
        # before use (health checks, below).
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "600")),
        # A persistent connection the server dropped (a restart) is replaced before a request uses it.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A server that does not answer (a host gone, packets dropped) fails a connection in seconds, not
    # at the system's TCP timeout: a request gets its 503, a starting web worker its warm-up logged
    # and skipped (ops/warmup.py) instead of outliving gunicorn's timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the dev server, a worker and tests share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Test runs use a file, not memory, so a real Celery worker subprocess can open
    # the same database (tests/reliability); one file per run (concurrent runs never
    # share it), removed at its end (tests/conftest.py), `make clean` sweeps leftovers.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-guichet-{os.getpid()}-{secrets.token_hex(3)}.sqlite3")}
    # A covering index's INCLUDE columns (PostgreSQL, for index-only counts at scale) are left out by
    # SQLite, which keeps the index's key columns: nothing to warn about for the embedded database.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- cache (rate limits, search index stamps) ------------------------------
def _caches(url: str) -> dict[str, dict[str, Any]]:
    """CACHE_URL: `redis://…` (shared by every process), or `locmem:` (this process only).

    Login limits live in the cache: counted per process, each gunicorn worker would give an
    attacker its own five tries. So web and worker processes refuse to start with DEBUG off
    unless the cache is shared, or the operator says, with `locmem:`, that one process serves
    everything (the test suite says so in the Makefile).
    """
    if url.startswith(("redis://", "rediss://", "unix://")):
        # Tolerant: an unreachable Redis is a miss, not an error (core/shared_cache.py). Short socket
        # timeouts, so a Redis that stopped answering costs a page one second, then none for a while.
        return {
            "default": {
                "BACKEND": "guichet.core.shared_cache.TolerantRedisCache",
                "LOCATION": url,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
            }
        }
    if url and url != "locmem:":
        raise ImproperlyConfigured(f"CACHE_URL not understood: {url!r} (redis://host:6379/1 or locmem:).")
    if not url and not DEBUG and not env_bool("GUICHET_COMMAND_LINE"):
        raise ImproperlyConfigured(
            "CACHE_URL must be set when DEBUG is off: login limits must be shared by every process "
            "(CACHE_URL=redis://host:6379/1), or say CACHE_URL=locmem: for a single process."
        )
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


CACHES = _caches(os.environ.get("CACHE_URL", ""))

# --- auth --------------------------------------------------------------------
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
if env_bool("FAST_PASSWORD_HASHER"):
    # Test runs only: hashing dominates a suite that creates many users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "guichet.accounts.forms.RegistrationForm"
ACCOUNT_FORMS = {"signup": "guichet.accounts.signup.SignupForm"}
ACCOUNT_ADAPTER = "guichet.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Guichet] "
# The 6th failure within 30 minutes is refused, even with the right password.
LOGIN_FAILURES_PER_ACCOUNT = 5
# An address is refused once this many different accounts failed from it (accounts/login_limits.py).
LOGIN_FAILED_ACCOUNTS_PER_IP = 20
LOGIN_FAILURE_WINDOW_MINUTES = 30
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"{LOGIN_FAILURES_PER_ACCOUNT}/{LOGIN_FAILURE_WINDOW_MINUTES}m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TOTP_ISSUER = "Guichet"
# A code from the previous 30-second step is still taken: the time to type it and send it (RFC 6238 §5.2).
MFA_TOTP_TOLERANCE = 1

# --- languages, time ---------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("nl", _("Dutch")), ("ro", _("Romanian"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- static files: our own + npm dist folders, served by WhiteNoise ----------
NODE_MODULES = Path(os.environ.get("NODE_MODULES", BASE_DIR / "node_modules"))
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
WHITENOISE_USE_FINDERS = True
# Uploads (core/uploads.py): files stream to temporary files above 1 MB; a multipart body larger than
# any form accepts is refused before parsing; at most 10 file parts (forms accept 5) and 2.5 MB of fields.
FILE_UPLOAD_HANDLERS = [
    "guichet.core.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": os.environ.get("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- e-signature seal (core/signing.py): PKCS#11, else key files, else a dev seal under VAR_DIR/signing
SIGNING_KEY_FILE = os.environ.get("SIGNING_KEY_FILE", "")
SIGNING_CERT_FILE = os.environ.get("SIGNING_CERT_FILE", "")
SIGNING_CHAIN_FILE = os.environ.get("SIGNING_CHAIN_FILE", "")
SIGNING_KEY_PASSPHRASE = os.environ.get("SIGNING_KEY_PASSPHRASE", "")
SIGNING_PKCS11_MODULE = os.environ.get("SIGNING_PKCS11_MODULE", "")
SIGNING_PKCS11_TOKEN = os.environ.get("SIGNING_PKCS11_TOKEN", "")
SIGNING_PKCS11_KEY_LABEL = os.environ.get("SIGNING_PKCS11_KEY_LABEL", "")
SIGNING_PKCS11_PIN = os.environ.get("SIGNING_PKCS11_PIN", "")
# An RFC 3161 time-stamping authority: when set, every signature carries its timestamp (PAdES B-T).
SIGNING_TSA_URL = os.environ.get("SIGNING_TSA_URL", "")
# How long after a password/MFA re-authentication a customer may still sign a contract (seconds).
SIGNING_REAUTHENTICATION_SECONDS = int(os.environ.get("SIGNING_REAUTHENTICATION_SECONDS", "600"))


# --- e-mail ------------------------------------------------------------------
def _email_settings(url: str) -> dict[str, object]:
    """EMAIL_URL: smtp://user:pass@host:port[?tls=1|ssl=1], file:///dir, console:, locmem:."""
    if not url:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(VAR_DIR / "mail"),
        }
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": parts.path,
        }
    if parts.scheme in {"smtp", "smtps", "submission"}:
        query = parse_qs(parts.query)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or 25,
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": query.get("tls", ["0"])[0] == "1" or parts.scheme == "submission",
            "EMAIL_USE_SSL": query.get("ssl", ["0"])[0] == "1" or parts.scheme == "smtps",
            "EMAIL_TIMEOUT": 10,
        }
    raise ImproperlyConfigured(f"EMAIL_URL scheme not understood: {parts.scheme!r}")


globals().update(_email_settings(os.environ.get("EMAIL_URL", "")))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Guichet <no-reply@guichet.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Domain part of the Message-IDs we mint, so replies thread per request.
EMAIL_MESSAGE_ID_DOMAIN = os.environ.get("EMAIL_MESSAGE_ID_DOMAIN", "guichet.example")

# --- background work ---------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# On Redis, kombu's transport with one client per channel, not one per task sent (config/broker.py).
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT = "guichet.config.broker:Transport"
# Without a broker, tasks run in process; services enqueue them on commit.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = "UTC"
# The worker logs through LOGGING (structured, with the task's request id), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
NOTIFICATION_DIGEST_HOUR = int(os.environ.get("NOTIFICATION_DIGEST_HOUR", "6"))
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "guichet.core.notifications.tasks.sweep_outbox", "schedule": 60.0},
    "close-resolved-requests": {"task": "guichet.support.tasks.close_resolved_requests", "schedule": 3600.0},
    "escalate-late-requests": {"task": "guichet.support.tasks.escalate_late_requests", "schedule": 300.0},
    "apply-due-terminations": {"task": "guichet.contracts.tasks.apply_due_terminations", "schedule": 3600.0},
    "apply-due-transfers": {"task": "guichet.inventory.tasks.apply_due_transfers", "schedule": 3600.0},
    "refresh-invoice-statuses": {"task": "guichet.billing.tasks.refresh_invoice_statuses", "schedule": 3600.0},
    "purge-expired-api-tokens": {"task": "guichet.accounts.tasks.purge_expired_api_tokens", "schedule": 3600.0},
    # Once a day (hour in UTC, NOTIFICATION_DIGEST_HOUR): the digests of people who chose them.
    "send-notification-digests": {
        "task": "guichet.core.notifications.tasks.send_notification_digests",
        "schedule": crontab(hour=NOTIFICATION_DIGEST_HOUR, minute=0),
    },
}
OUTBOX_STUCK_AFTER_SECONDS = int(os.environ.get("OUTBOX_STUCK_AFTER_SECONDS", "120"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))

# --- security ----------------------------------------------------------------
# Every signed-in page reads its session: from the shared cache, the database only on a miss (each save
# writes both, so a flushed cache or a restarted Redis loses no session). One query less per page.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS only, once the site is served over it (README, "Running it for real").
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
# Scripts and styles from our own static files only (htmx and Bootstrap included); an inline
# script needs the request's nonce (`{{ csp_nonce }}`). Bootstrap's icons are data: images.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Browser features the portal never uses are off; security keys (WebAuthn, MFA) work on our own pages.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), "
    "publickey-credentials-create=(self), publickey-credentials-get=(self)"
)
if env_bool("SECURE_PROXY_SSL"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind one trusted proxy, the client address (audit, sign-in limits) is the last X-Forwarded-For hop.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR")
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if TRUST_X_FORWARDED_FOR else 0

# --- operations (guichet.ops; docs/operations.md) -----------------------------
# One JSON object a line on stderr; readable lines for a terminal (`make run`, DEBUG on) by default.
LOG_FORMAT = os.environ.get("LOG_FORMAT") or ("console" if DEBUG else "json")
if LOG_FORMAT not in {"json", "console"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or console, not {LOG_FORMAT!r}")
# The client's address is personal data: in the request lines only when asked for.
LOG_CLIENT_IP = env_bool("LOG_CLIENT_IP")
LOGGING = logging_config(
    level=os.environ.get("LOG_LEVEL", "WARNING"),
    request_level="INFO" if env_bool("LOG_REQUESTS", default=True) else "WARNING",
    fmt=LOG_FORMAT,
)
# /metrics: with a token, `Authorization: Bearer <token>` from anywhere; without, this host only.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# --- Lists: rows per page of the pages' lists (core/pagination.py) ----------------------
# `PAGE_SIZE` for every list, `PAGE_SIZES="name:n,…"` overrides one list (names in README).
PAGE_SIZE = int(os.environ.get("PAGE_SIZE", "25"))
# My inventory shows 25 machines a page like every customer list (it showed 50: twice the cost of
# the others for a page few read to its end; the filters and the look-up find a machine).
PAGE_SIZES = {
    "orders_console": 50,
    "statement": 100,
    **{name.strip(): int(size) for name, _sep, size in (pair.partition(":") for pair in env_list("PAGE_SIZES", ""))},
}

# --- API -----------------------------------------------------------------------
API_TOKEN_LIFETIME = timedelta(hours=int(os.environ.get("API_TOKEN_HOURS", "12")))
# The largest `page_size` an API client may ask for.
API_MAX_PAGE_SIZE = 100
# Shipment status webhook: comma-separated `name:secret` pairs (one per integration; two while rotating).
SHIPMENT_WEBHOOK_SECRETS = os.environ.get("SHIPMENT_WEBHOOK_SECRETS", "")

# --- the product's own rules (not the vendor's: its FAQs set no such numbers) ---------
# Cross-border relocation of an appliance: the earliest move date a customer may ask for,
# and the time agents give themselves to evaluate a request, in the centre's business days.
RELOCATION_MIN_LEAD_BUSINESS_DAYS = int(os.environ.get("RELOCATION_MIN_LEAD_BUSINESS_DAYS", "10"))
RELOCATION_EVALUATE_BUSINESS_DAYS = int(os.environ.get("RELOCATION_EVALUATE_BUSINESS_DAYS", "5"))

"""Django settings, all read from the environment (see ``.env.example``)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from haofuwu.env import env_bool, env_int, env_list, env_path, env_str, parse_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = env_path("HAOFUWU_DATA_DIR", Path.cwd() / "var")
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
# The data folder holds the SQLite database, the generated keys and (by default) the uploads: the server's own user
# only. A folder someone else owns (a shared mount) is left as its owner set it.
if DATA_DIR.stat().st_uid == os.getuid():
    DATA_DIR.chmod(0o700)


def _key_from_file(name: str, make: Callable[[], str]) -> str:
    """Read a generated secret from DATA_DIR, creating it (owner-only from the first byte) on first start."""
    path = DATA_DIR / name
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(make())
    return path.read_text().strip()


DEBUG = env_bool("HAOFUWU_DEBUG", False)
SECRET_KEY = env_str("HAOFUWU_SECRET_KEY", "") or _key_from_file("secret_key", lambda: secrets.token_urlsafe(50))
# Keys for personal data encrypted at rest (phone, ID number). The first encrypts; the others still decrypt, so a
# key can be rotated by putting the new one first. Losing every key loses that data: back the key up with the DB.
FIELD_ENCRYPTION_KEYS = env_list("HAOFUWU_FIELD_KEYS", []) or [
    _key_from_file("field_key", lambda: Fernet.generate_key().decode())
]
# Key of the lookup digests (phone_index, id_number_index) that let an import find a person without decrypting;
# separate from SECRET_KEY so that rotating one does not silently break the other. After changing it, run
# `haofuwu rotate-keys` to recompute the digests.
LOOKUP_DIGEST_KEY = env_str("HAOFUWU_LOOKUP_KEY", "") or _key_from_file("lookup_key", lambda: secrets.token_urlsafe(32))
ALLOWED_HOSTS = env_list("HAOFUWU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("HAOFUWU_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "haofuwu.core",
    "haofuwu.accounts",
    "haofuwu.estates",
    "haofuwu.workorders",
    "haofuwu.feedback",
    "haofuwu.energy",
    "haofuwu.community",
    "haofuwu.standard",
    "haofuwu.demo",
]

MIDDLEWARE = [
    "haofuwu.core.middleware.RequestSizeMiddleware",
    "haofuwu.core.middleware.ApiErrorShapeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "haofuwu.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "haofuwu.accounts.middleware.ScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "haofuwu.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "haofuwu.urls"
WSGI_APPLICATION = "haofuwu.wsgi.application"
ASGI_APPLICATION = "haofuwu.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "haofuwu.core.context_processors.navigation",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL", "")
if _database_url:
    _db = parse_database_url(_database_url)
    DATABASES: dict[str, dict[str, Any]] = {
        "default": {
            "ENGINE": _db.engine,
            "NAME": _db.name,
            "USER": _db.user,
            "PASSWORD": _db.password,
            "HOST": _db.host,
            "PORT": _db.port,
            "OPTIONS": dict(_db.options or {}),
            "CONN_MAX_AGE": env_int("HAOFUWU_DB_CONN_MAX_AGE", 60, minimum=0),
            "CONN_HEALTH_CHECKS": True,
        }
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "haofuwu.sqlite3"}}  # type: ignore[dict-item]

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so two writers queue
    # on busy_timeout instead of failing with "database is locked" half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
        "transaction_mode": "IMMEDIATE",
        # Seconds a writer waits for the lock before "database is locked"; writes are short, so a long wait only
        # happens under a burst (64 clients creating work orders at once must all get through).
        "timeout": 30,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# API tokens live this many days unless their owner asks for fewer (at most the maximum).
API_TOKEN_DAYS = env_int("HAOFUWU_API_TOKEN_DAYS", 90, minimum=1)
API_TOKEN_MAX_DAYS = env_int("HAOFUWU_API_TOKEN_MAX_DAYS", 365, minimum=1)
# Log-in throttling (accounts/services.py): an account name from one client is locked after this many failed
# log-ins inside the window, for the window; one client is locked after LOGIN_CLIENT_FAILURE_LIMIT whatever names it
# tries. Behind a proxy, HAOFUWU_CLIENT_IP_HEADER names the header carrying the client's address (as a META key,
# e.g. HTTP_X_REAL_IP); without it REMOTE_ADDR is the client.
LOGIN_FAILURE_LIMIT = env_int("HAOFUWU_LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_CLIENT_FAILURE_LIMIT = env_int("HAOFUWU_LOGIN_CLIENT_FAILURE_LIMIT", 30, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("HAOFUWU_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
LOGIN_CLIENT_IP_HEADER = env_str("HAOFUWU_CLIENT_IP_HEADER", "")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("HAOFUWU_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env_path("HAOFUWU_STATIC_ROOT", DATA_DIR / "static")
MEDIA_URL = "media/"
MEDIA_ROOT = env_path("HAOFUWU_MEDIA_ROOT", DATA_DIR / "media")
# Largest upload (spreadsheet or photo) accepted, in megabytes.
UPLOAD_MAX_MB = env_int("HAOFUWU_UPLOAD_MAX_MB", 10, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# Largest request body, in megabytes, for uploads (several photos at once); larger ones are answered 413 unread.
REQUEST_MAX_MB = env_int("HAOFUWU_REQUEST_MAX_MB", 40, minimum=1)
# Largest work-order photo accepted, in megabytes.
PHOTO_MAX_MB = env_int("HAOFUWU_PHOTO_MAX_MB", 5, minimum=1)
# Uploaded files are private (core/private_files.py): stored through the default storage, which nothing serves
# directly, and delivered only by views that apply the caller's scope. How the bytes travel: "stream" (Django reads
# them; the demo), "x-accel-redirect" (nginx, with an internal location at HAOFUWU_FILES_ACCEL_PREFIX aliased to
# the media folder), "x-sendfile" (Apache mod_xsendfile, lighttpd) or "redirect" (object storage's signed URLs).
FILES_DELIVERY = env_str("HAOFUWU_FILES_DELIVERY", "stream")
if FILES_DELIVERY not in ("stream", "x-accel-redirect", "x-sendfile", "redirect"):
    raise ImproperlyConfigured(
        f"HAOFUWU_FILES_DELIVERY must be stream, x-accel-redirect, x-sendfile or redirect, got {FILES_DELIVERY!r}"
    )
FILES_ACCEL_PREFIX = env_str("HAOFUWU_FILES_ACCEL_PREFIX", "/protected-files/")
STORAGES = {
    # The file system under MEDIA_ROOT; object storage (django-storages) is a change of this entry.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Stored files are readable by the server's own user only (a web server delivering them by X-Accel-Redirect needs
# the group bit: HAOFUWU_FILE_MODE=640 with the web server in the group).
try:
    FILE_UPLOAD_PERMISSIONS = int(env_str("HAOFUWU_FILE_MODE", "600"), 8)
except ValueError:
    raise ImproperlyConfigured("HAOFUWU_FILE_MODE must be an octal file mode such as 600 or 640") from None
# Folders: the owner may enter them, and the group too when it may read the files.
FILE_UPLOAD_DIRECTORY_PERMISSIONS = FILE_UPLOAD_PERMISSIONS | 0o100 | ((FILE_UPLOAD_PERMISSIONS & 0o040) >> 2)

# Behind TLS (HAOFUWU_TLS=1, or the older HAOFUWU_SECURE_COOKIES=1): cookies only over HTTPS, plain HTTP redirected,
# and HSTS for a year (subdomains and preload by default; set them to 0 if a subdomain must stay on plain HTTP).
# Behind a proxy that ends TLS, HAOFUWU_PROXY_SSL_HEADER names the header it sets (HTTP_X_FORWARDED_PROTO), trusted
# to say "https".
TLS = env_bool("HAOFUWU_TLS", env_bool("HAOFUWU_SECURE_COOKIES", False))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = TLS
CSRF_COOKIE_SECURE = TLS
SECURE_SSL_REDIRECT = TLS
SECURE_HSTS_SECONDS = env_int("HAOFUWU_HSTS_SECONDS", 31_536_000, minimum=0) if TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HAOFUWU_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HAOFUWU_HSTS_PRELOAD", True)
_proxy_ssl_header = env_str("HAOFUWU_PROXY_SSL_HEADER", "")
SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https") if _proxy_ssl_header else None
X_FRAME_OPTIONS = "DENY"

TASKS = {"default": {"BACKEND": env_str("HAOFUWU_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Notification channels beyond the in-app inbox; each value is the dotted path of a backend class, the way
# EMAIL_BACKEND works. The log backend writes the message (never personal data) to the log.
NOTIFICATION_BACKENDS = {
    "sms": env_str("HAOFUWU_SMS_BACKEND", "haofuwu.core.notifications.backends.LogBackend"),
    "wechat": env_str("HAOFUWU_WECHAT_BACKEND", "haofuwu.core.notifications.backends.LogBackend"),
    "email": env_str("HAOFUWU_EMAIL_NOTIFICATION_BACKEND", "haofuwu.core.notifications.backends.EmailBackend"),
}
EMAIL_BACKEND = env_str("HAOFUWU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("HAOFUWU_DEFAULT_FROM_EMAIL", "noreply@haofuwu.local")

API_MAX_PAGE_SIZE = 200
DEMO_PASSWORD = env_str("HAOFUWU_DEMO_PASSWORD", "")

# Resident voice: days a reception-day issue may stay open (research/standard.md P-20, "reply within 15 days").
FEEDBACK_FOLLOW_UP_DAYS = env_int("HAOFUWU_FEEDBACK_FOLLOW_UP_DAYS", 15, minimum=1)

# The standard: days a project has to answer a rectification task, the largest evidence file, and folders of
# catalogue files beside the shipped ones (haofuwu/standard/catalogues/).
STANDARD_RECTIFICATION_DAYS = env_int("HAOFUWU_STANDARD_RECTIFICATION_DAYS", 30, minimum=1)
STANDARD_EVIDENCE_MAX_MB = env_int("HAOFUWU_STANDARD_EVIDENCE_MAX_MB", 10, minimum=1)
STANDARD_CATALOGUE_DIRS = env_list("HAOFUWU_STANDARD_CATALOGUE_DIRS", [])

# Energy: days raw readings are kept (hourly, daily and monthly rollups are kept for good); whether an anomaly
# also opens an alarm work order; emission factors (kgCO2e per unit) overriding the defaults, e.g. {"electricity":
# 0.5703} — the national grid factor the Ministry of Ecology and Environment published for 2022.
ENERGY_RAW_RETENTION_DAYS = env_int("HAOFUWU_ENERGY_RAW_RETENTION_DAYS", 400, minimum=1)
ENERGY_ANOMALY_WORK_ORDERS = env_bool("HAOFUWU_ENERGY_ANOMALY_WORK_ORDERS", False)
ENERGY_EMISSION_FACTORS: dict[str, float] = {}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("HAOFUWU_LOG_LEVEL", "INFO")},
    # pypdf warns about every small flaw of an uploaded PDF it can still read; only its errors matter here.
    "loggers": {"django.db.backends": {"level": "INFO"}, "pypdf": {"level": "ERROR"}},
}

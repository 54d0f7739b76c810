"""Settings, read from the environment. Production hardening is switched on by DJANGO_ENV."""

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in envstr(name, default).split(",") if part.strip()]


def envsecret(name: str, default: str = "") -> str:
    """Read NAME, or the file named by NAME_FILE (for secrets kept in files)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {error}") from None
    return envstr(name, default)


PRODUCTION = envstr("DJANGO_ENV", "development") == "production"
DEBUG = envbool("DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be on when DJANGO_ENV=production")

SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "development-only-secret-do-not-use-in-production-" + "x" * 20

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
TIME_ZONE = envstr("TIME_ZONE", "UTC")
LANGUAGE_CODE = "en"
# Patients read English or Spanish (intake/patient/language.py); staff pages are English.
USE_I18N = True
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "intake.apps.IntakeConfig",
]

MIDDLEWARE = [
    # First, so that static files (WhiteNoise, inserted below) get the header too.
    "intake.middleware.PermissionsPolicy",
    "django.middleware.security.SecurityMiddleware",
    # Outside RequestSizeLimit, so that its 413 page gets the same headers as every other page.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "intake.middleware.RequestSizeLimit",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "intake.patient.language.PatientLanguage",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "intake.middleware.StaffSessionLimits",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

# Static files are served by WhiteNoise (compressed, hashed names in production; straight from
# the app folders in development, where `collectstatic` has not been run).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

ROOT_URLCONF = "intake.urls"
WSGI_APPLICATION = "intake.wsgi.application"

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
                "intake.context_processors.clinic",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
# A restarted database costs no request: a kept connection is checked before it is reused.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable or stuck database answers 503 quickly instead of holding every worker.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": envint("DATABASE_CONNECT_TIMEOUT", 3),
            "options": f"-c statement_timeout={envint('DATABASE_STATEMENT_TIMEOUT_MS', 15000)}",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits, and sessions, go through the cache: Redis when REDIS_URL is set, so that they
# hold across app processes and servers; otherwise memory local to one process.
REDIS_URL = envstr("REDIS_URL")
REDIS_TIMEOUT = envint("REDIS_TIMEOUT_MS", 250) / 1000
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "intake.cache.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": envstr("CACHE_KEY_PREFIX", "intake"),
            # A stopped or frozen Redis costs a request a fraction of a second, not a stall.
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
            },
        }
    }
    # Sessions are kept in the database too and read from Redis first: a Redis outage or
    # restart signs nobody out (see intake/sessions.py).
    SESSION_ENGINE = "intake.sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The task queue (intake/celery.py): Celery workers on the same Redis. Without REDIS_URL every
# task runs in the process that asks for it, once its transaction commits, so `make run`
# needs nothing more. Tasks carry ids only, never answers: the broker is not the database.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True  # no result backend: a task's outcome is in the database
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged when it has finished, not when a worker takes it: a worker killed
# mid-task (a crash, kill -9, a lost machine) leaves it to run again on another one.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a busy worker holds no queue of tasks others could run
CELERY_WORKER_CONCURRENCY = envint("WORKER_CONCURRENCY", 2)
CELERY_WORKER_MAX_TASKS_PER_CHILD = 100  # a long-lived process gives back what rendering grew
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker logs through LOGGING's filters below
CELERY_WORKER_SEND_TASK_EVENTS = False
# Every task is stopped after this long (a task may set a shorter limit of its own).
CELERY_TASK_TIME_LIMIT = envint("TASK_TIME_LIMIT_SECONDS", 600)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT * 9 // 10  # a moment to clean up first
# A task taken by a worker that then vanished (kill -9, a lost machine: nothing acknowledged or
# returned it) is handed out again after this long; it must exceed the longest a task may run,
# or a task still running would be handed to a second worker.
TASK_REDELIVER_SECONDS = envint("TASK_REDELIVER_SECONDS", 900)
if TASK_REDELIVER_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "TASK_REDELIVER_SECONDS must be longer than TASK_TIME_LIMIT_SECONDS, or a task still "
        "running would be handed to a second worker"
    )
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": TASK_REDELIVER_SECONDS,
    "unacked_restore_throttle": 1,  # look for such tasks every 10 s, not every 100 s
    # A stopped or frozen Redis costs a submit a moment, not a stall: the task is then not
    # queued, and the PDF is rendered when it is first downloaded instead.
    "socket_connect_timeout": max(REDIS_TIMEOUT, 1),
    "socket_timeout": max(REDIS_TIMEOUT, 1),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    # Stored summary PDFs: written whole or not at all, 0600 files in 0700 folders whatever the
    # umask (intake/storage.py).
    "default": {"BACKEND": "intake.storage.AtomicFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The questionnaire files the clinic edits, and how long an invitation stays valid.
QUESTIONNAIRE_DIR = Path(envstr("QUESTIONNAIRE_DIR", str(BASE_DIR / "questionnaire_defs")))
INVITATION_DAYS = envint("INVITATION_DAYS", 14)
CLINIC_NAME = envstr("CLINIC_NAME", "Riverside Spine Clinic")
# Invitation links are built from this, never from the request's Host header.
PUBLIC_BASE_URL = envstr("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_tokens": {"()": "intake.logging.RedactTokens"},
        "withhold_exception_text": {"()": "intake.logging.WithholdExceptionText"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_tokens", "withhold_exception_text"],
        },
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own request and server loggers name the path: route them through the filter.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "weasyprint": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# The order in which an invitation asks the questionnaires, unless the clinician picks others.
QUESTIONNAIRE_ORDER = envlist(
    "QUESTIONNAIRE_ORDER", "twitch_history,back_injury,surgeries,medications,health_background"
)

# --- security ---------------------------------------------------------------------------------
# No page sends a Referer to another site, and no URL but /i/<token>/ holds anything private.
# "no-referrer" would also blank the Origin header of the site's own form posts (browsers send
# "Origin: null"), which Django's CSRF check refuses; "same-origin" keeps forms working.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no page uses, switched off for every page, frame and script (the
# Permissions-Policy header): camera and microphone stay off until a page needs them. Only
# names Chromium knows: an unknown one ("bluetooth", "ambient-light-sensor") costs a console
# warning on every page and switches nothing off. Not "clipboard-write": "Copy link" uses it.
PERMISSIONS_POLICY_OFF = [
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "compute-pressure",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "otp-credentials",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "window-management",
    "xr-spatial-tracking",
]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Staff sessions end after 30 idle minutes and at most 12 hours after sign-in.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
STAFF_SESSION_MAX_HOURS = envint("STAFF_SESSION_MAX_HOURS", 12)
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# Which browser gave which answers: answers are shown again only there (intake/patient/device.py).
PATIENT_DEVICE_COOKIE_NAME = "intake_device"

if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # load balancers check over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    PATIENT_DEVICE_COOKIE_NAME = "__Host-intake_device"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "intake.sign_in.SignInCapsBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("SIGN_IN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "intake.sign_in.lockout_response"  # 429 with Retry-After
AXES_SENSITIVE_PARAMETERS = ["password"]
# Failed sign-ins per client address across usernames (spraying), and per username across
# addresses (distributed guessing), within the lockout window; see intake/sign_in.py.
SIGN_IN_FAILURES_PER_ADDRESS = envint("SIGN_IN_FAILURES_PER_ADDRESS", 20)
SIGN_IN_FAILURES_PER_USERNAME = envint("SIGN_IN_FAILURES_PER_USERNAME", 30)
# Behind a TLS proxy, the number of proxies in front of the app: the client address is then
# read from X-Forwarded-For, counted from the right, so that clients cannot spoof it. One
# function reads it (intake.ratelimit.client_ip): rate limits, django-axes and the audit trail.
PROXY_COUNT = envint("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "intake.sign_in.client_address"

# Summary PDFs: "Letter" or "A4"; kept in private storage (never served as static media).
SUMMARY_PAGE_SIZE = envstr("SUMMARY_PAGE_SIZE", "Letter")
if SUMMARY_PAGE_SIZE not in ("Letter", "A4"):
    raise ImproperlyConfigured("SUMMARY_PAGE_SIZE must be Letter or A4")
MEDIA_ROOT = Path(envstr("PRIVATE_STORAGE_DIR", str(BASE_DIR / "private")))
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "intake@localhost")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "clinic:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Request bodies above this size get 413 before any view reads them.
MAX_REQUEST_BYTES = envint("MAX_REQUEST_BYTES", 512 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
# A patient's photo or video (at most 150 MB, intake.media.processing) may come with a page's
# form or alone: only these paths, and only as multipart, take bodies that large.
MEDIA_REQUEST_MAX_BYTES = 151 * 1024 * 1024
MEDIA_UPLOAD_PATHS = (
    r"^/(patient/step/\d+/(files|media/[\w-]+)|api/v1/patient/media/[\w-]+/[\w-]+)/$"
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "knox.auth.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["intake.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "intake.api.errors.handle_exception",
    "UNAUTHENTICATED_USER": None,
}
REST_KNOX = {"TOKEN_TTL": timedelta(days=envint("API_TOKEN_DAYS", 90)), "AUTO_REFRESH": False}
SPECTACULAR_SETTINGS = {
    "TITLE": "Patient intake API",
    "DESCRIPTION": (
        "Clinic side: a session, or `Authorization: Bearer <token>` (see `manage.py "
        "create_api_token`; `Token <token>` works too). Patient side: `X-Intake-Token`, "
        "`X-Intake-Device` and, when the invitation has one, `X-Intake-Birth-Date`. Every "
        "error has a stable `code` beside its `detail`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # 3.1: the definition's JSON Schema (from the pydantic models) is referenced as it is.
    "OAS_VERSION": "3.1.0",
    "ENUM_NAME_OVERRIDES": {"IntakeStatus": "intake.clinic.selectors.STATUS_FILTERS"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "intake.api.schema.add_components",
    ],
}

# `make bench` only: a bare view served by the same gunicorn, as the baseline for page speed.
BENCH_BARE_VIEW = envbool("BENCH_BARE_VIEW", False)

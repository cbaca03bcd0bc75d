"""Settings for S&OP Planner, read from environment variables.

With nothing set, the app runs on the embedded default: SQLite, a Celery
broker on the filesystem and task results in the app's own database, so a
fresh laptop needs no server. Production sets DATABASE_URL, REDIS_URL,
SECRET_KEY, ALLOWED_HOSTS and DEBUG=false.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SOP_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "embedded-development-only-not-a-secret"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "axes",
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_results",
    "sop_planner",
    "audit",
    "accounts",
    "territories",
    "products",
    "cycles",
    "forecasting",
    "uploads",
    "collaboration",
    "supply",
    "reconciliation",
    "quotas",
    "carryforward",
    "reassessment",
    "demand",
    "crm",
    "kpis",
    "exports",
    "home",
    "demo",
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
    "csp.middleware.CSPMiddleware",
    "sop_planner.middleware.PermissionsPolicyMiddleware",
    "sop_planner.middleware.DomainErrorMiddleware",
    "sop_planner.middleware.NulRefusalMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sop_planner.urls"
WSGI_APPLICATION = "sop_planner.wsgi.application"

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
                "home.context_processors.navigation",
                "sop_planner.editing.kept_form",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
EMBEDDED_DATABASE_URL = f"sqlite:///{VAR_DIR / 'sop_planner.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL", EMBEDDED_DATABASE_URL)
# A web worker keeps its PostgreSQL connection for a minute (checked before reuse): a
# new connection per request halved the requests/s of bench/load.py.
DEFAULT_CONN_MAX_AGE = "0" if DATABASE_URL.startswith("sqlite") else "60"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", DEFAULT_CONN_MAX_AGE)),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The web server and the worker share the file: wait for a lock rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # Readers do not wait for the worker's writes (write-ahead log).
    DATABASES["default"]["OPTIONS"]["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end libraries are installed by npm (see package.json), never copied into the repo.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/pico", NODE_MODULES / "@picocss" / "pico" / "css"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/ag-grid", NODE_MODULES / "ag-grid-community" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

REST_FRAMEWORK = {
    # Token first: an unauthenticated call gets 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "sop_planner.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "sop_planner.schema.AutoSchema",
    "EXCEPTION_HANDLER": "sop_planner.errors.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("API_TOKEN_RATE", "10/minute")},
}

# Sign-in protection (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# username, that account is locked for AXES_COOLOFF_TIME, on the login form and on
# POST /api/token/ alike; an administrator can lift it on the Users page.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for the IP in the lockout key; we lock the account whatever the IP,
# agent or cookie, which an attacker cannot rotate around (the cost: a locked user
# waits, or asks an administrator).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_VERBOSE = False

# API tokens (django-rest-knox): stored as digests, one per sign-in, expiring, revocable.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=int(os.environ.get("API_TOKEN_HOURS", "10"))),
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "S&OP Planner API",
    "DESCRIPTION": "The monthly Sales & Operations Planning cycle.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CycleStatusEnum": "cycles.models.Cycle.Status",
        "ForecastRunStatusEnum": "forecasting.models.ForecastRun.Status",
        "UploadStatusEnum": "uploads.models.UploadBatch.Status",
        "StageEnum": "cycles.stages.STAGE_CHOICES",
        "KpiStatusEnum": "kpis.catalogue.STATUS_VALUES",
        "ProposalKindEnum": "carryforward.models.Proposal.Kind",
        "GapDecisionEnum": "reconciliation.models.GapDecision.Decision",
        "QuotaGapDecisionEnum": "quotas.models.QuotaGapDecision.Decision",
        "QuotaStatusEnum": "quotas.models.QuotaYear.Status",
    },
}

# Uploads: every upload is read, checked and written by a worker, within these limits
# (each refusal names the limit and what the file holds).
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(200 * 1024 * 1024)))
UPLOAD_MAX_ROWS = int(os.environ.get("UPLOAD_MAX_ROWS", "2000000"))
UPLOAD_MAX_COLUMNS = int(os.environ.get("UPLOAD_MAX_COLUMNS", "200"))
UPLOAD_MAX_CELL_CHARS = int(os.environ.get("UPLOAD_MAX_CELL_CHARS", "32767"))
UPLOAD_MAX_SECONDS = float(os.environ.get("UPLOAD_MAX_SECONDS", "900"))
UPLOAD_MAX_SHARED_STRINGS_BYTES = int(
    os.environ.get("UPLOAD_MAX_SHARED_STRINGS_BYTES", str(50 * 1024 * 1024))
)
UPLOAD_MAX_EXPANSION = int(os.environ.get("UPLOAD_MAX_EXPANSION", "100"))
UPLOAD_CHUNK_ROWS = int(os.environ.get("UPLOAD_CHUNK_ROWS", "100000"))
# The small imports posted from a page (grid workbook, supply inputs, budget) are read
# into memory: a bound well above any real one of them (a whole company's grid is ~2 MB).
FORM_IMPORT_MAX_BYTES = int(os.environ.get("FORM_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
COMPANY_CURRENCY = os.environ.get("COMPANY_CURRENCY", "EUR")

# Celery: JSON only, acknowledge after the work is done, give work back if a
# worker dies, bounded run time, results in the app's database.
REDIS_URL = os.environ.get("REDIS_URL", "")
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A task taken by a worker that died comes back after the visibility timeout; the
    # sweep for such tasks runs every tenth of it (at most every 10 s, kombu's is 100 s).
    VISIBILITY_TIMEOUT = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": VISIBILITY_TIMEOUT,
        "unacked_restore_interval": max(1, min(10, VISIBILITY_TIMEOUT // 10)),
        "unacked_restore_throttle": 1,
    }
else:
    CELERY_BROKER_URL = "filesystem://localhost/"  # kombu warns on every publish without a host
    for folder in ("queue", "processed", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = "django-db"

# The cache: computed figures of released plans (KPIs, totals, reconciliation). With
# REDIS_URL every gunicorn worker shares one cache, so a figure is computed once, not
# once per process; keys carry the cycle's version, so a release or an edit makes new
# keys that every process sees. CACHE_REDIS_URL may point it at another Redis database
# (the broker's queues live in REDIS_URL's; the app never clears the cache, but an
# operator's `cache.clear()` would flush that whole database). Embedded mode: memory.
CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL", REDIS_URL)
if CACHE_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "KEY_PREFIX": "sop-cache",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_RESULT_EXTENDED = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "1800"))
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "1700"))
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "open-monthly-cycle": {
        "task": "cycles.tasks.cycle_open_monthly_task",
        "schedule": crontab(day_of_month="1", hour="0", minute="5"),
    },
    "overdue-stage-reminders": {
        "task": "collaboration.tasks.overdue_reminders_task",
        "schedule": crontab(hour="7", minute="0"),
    },
    "crm-nightly-sync": {
        "task": "crm.tasks.crm_sync_nightly_task",
        "schedule": crontab(hour="2", minute="30"),
    },
    # Every minute: a pulse the pages read, and work lost between commit and publish
    # (sop_planner.background) published again.
    "worker-heartbeat": {"task": "sop_planner.tasks.worker_heartbeat_task", "schedule": 60.0},
    "sweep-forecast-runs": {"task": "forecasting.tasks.forecast_sweep_task", "schedule": 60.0},
    "sweep-baseline-loads": {"task": "demand.tasks.baseline_sweep_task", "schedule": 60.0},
    "sweep-uploads": {"task": "uploads.tasks.upload_sweep_task", "schedule": 60.0},
    "sweep-exports": {"task": "exports.tasks.export_sweep_task", "schedule": 60.0},
    "sweep-packs": {"task": "reconciliation.tasks.pack_sweep_task", "schedule": 60.0},
}

# The monthly cycle: stage due dates as working days of the month (data gathering,
# demand, supply, reconciliation, sign-off), and who signs off: "any" one of the
# approvers, or "all" of them. No approvers named = every active Executive.
SOP_STAGE_DUE_WORKING_DAYS = [
    int(day) for day in env_list("SOP_STAGE_DUE_WORKING_DAYS", "3,7,10,13,15")
]
SOP_SIGNOFF_POLICY = os.environ.get("SOP_SIGNOFF_POLICY", "any")
SOP_SIGNOFF_APPROVERS = env_list("SOP_SIGNOFF_APPROVERS", "")
# Optional Slack-compatible webhook for stage moves and releases ({"text": ...}).
SOP_WEBHOOK_URL = os.environ.get("SOP_WEBHOOK_URL", "")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sop-planner@localhost")

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Off only where the app is reached over plain HTTP on purpose (bin/run on loopback).
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
# Only behind a proxy that terminates TLS and overwrites this header; a client could
# otherwise claim HTTPS by sending it (docker-compose exposes gunicorn directly).
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts only from our own static files; style
# sheets from them or a per-response nonce (AG Grid injects its theme as <style>
# elements). Style *attributes* stay allowed: AG Grid and Swagger UI position cells
# and panels with them, and an attribute cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
# Reconciliation: a gap is listed when shortage exceeds this share of demand, or the
# revenue the supply plan earns falls this far below budget (percent).
# Forecast value added: planners and reason codes with fewer scored cells are "too few to judge".
REASSESSMENT_MIN_CELLS = int(os.environ.get("REASSESSMENT_MIN_CELLS", "30"))
SOP_GAP_SHORTAGE_PCT = float(os.environ.get("SOP_GAP_SHORTAGE_PCT", "2"))
SOP_GAP_REVENUE_BELOW_BUDGET_PCT = float(os.environ.get("SOP_GAP_REVENUE_BELOW_BUDGET_PCT", "5"))
# Quotas: a territory whose plan is off its quota by more than this (percent of the quota's
# revenue, either way) needs a decision in reconciliation before the cycle moves on.
SOP_QUOTA_GAP_PCT = float(os.environ.get("SOP_QUOTA_GAP_PCT", "5"))

"""Duban settings: every value comes from the environment (django-environ).

Defaults are for a developer's laptop: SQLite in the project folder, Redis on
127.0.0.1, e-mail printed to the console. Production sets ``DEBUG=off`` and
must then provide ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is optional; values already in the environment win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

_DEV_SECRET_FILE = BASE_DIR / "var" / "dev-secret-key"


def _development_secret_key() -> str:
    """Return a per-checkout random key, generated once and kept under var/."""
    from django.core.management.utils import get_random_secret_key

    try:
        return _DEV_SECRET_FILE.read_text().strip()
    except FileNotFoundError:
        key = get_random_secret_key()
        try:
            _DEV_SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
            _DEV_SECRET_FILE.write_text(key)
        except OSError:
            pass  # read-only checkout: a fresh key per process is still safe for development
        return key


SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _development_secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "django_cas_ng",
    "compliance",
    "tasks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the application itself (also with DEBUG off, as `make run` runs).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "compliance.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "compliance.auth.middleware.LoginBusyMiddleware",
    # Last, as django-axes asks: turns a lockout into the "locked" page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses password logins held back by a lock or a progressive delay.
    "compliance.auth.backends.LockoutBackend",
    # Each of these answers only when configured (DUBAN_LDAP_SERVER_URI, CAS_SERVER_URL).
    "compliance.auth.ldap.DubanLDAPBackend",
    "compliance.auth.cas.CasBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login lockout (compliance/auth/lockout.py): 5 failures lock one user name from one address for
# 30 minutes; from the second failure on, each retry of that pair waits DUBAN_LOGIN_DELAY_SECONDS,
# doubling; a whole address is locked only after DUBAN_LOGIN_ADDRESS_LIMIT failures on user names
# that do not exist. The address comes from the socket (or, behind nginx, from a header nginx
# overwrites: AXES_IP_META=HTTP_X_REAL_IP), never from X-Forwarded-For as sent by the client.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "compliance.auth.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "compliance.auth.lockout.lockout_response"
# A try refused by a lock or a delay is not another failure: it neither extends the lock nor counts.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_META_PRECEDENCE_ORDER = [env.str("AXES_IP_META", default="REMOTE_ADDR")]
AXES_VERBOSE = False
DUBAN_LOGIN_ADDRESS_LIMIT = env.int("DUBAN_LOGIN_ADDRESS_LIMIT", default=50)
DUBAN_LOGIN_DELAY_SECONDS = env.float("DUBAN_LOGIN_DELAY_SECONDS", default=2.0)

# Password hashing (compliance/auth/hashers.py): Argon2id; PBKDF2 hashes from before still verify
# and are upgraded at the next login. At most DUBAN_PASSWORD_HASH_CONCURRENCY hashes run at once on
# a host, so a burst of logins leaves the other cores to the rest of the site.
PASSWORD_HASHERS = [
    "compliance.auth.hashers.Argon2idHasher",
    "compliance.auth.hashers.LegacyPBKDF2Hasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
DUBAN_PASSWORD_HASH_CONCURRENCY = env.int("DUBAN_PASSWORD_HASH_CONCURRENCY", default=1)
DUBAN_PASSWORD_HASH_WAIT_SECONDS = env.float("DUBAN_PASSWORD_HASH_WAIT_SECONDS", default=15.0)
DUBAN_PASSWORD_HASH_LOCK_DIR = env.str("DUBAN_PASSWORD_HASH_LOCK_DIR", default="")
# Password-reset e-mails: requests per client address and e-mails per account, per hour.
DUBAN_PASSWORD_RESET_PER_ADDRESS = env.int("DUBAN_PASSWORD_RESET_PER_ADDRESS", default=10)
DUBAN_PASSWORD_RESET_PER_ACCOUNT = env.int("DUBAN_PASSWORD_RESET_PER_ACCOUNT", default=3)

# CAS single sign-on (统一身份认证; off while CAS_SERVER_URL is empty). The CAS user (or the attribute
# DUBAN_CAS_EMPLOYEE_ID_ATTRIBUTE) is the 工号; DUBAN_CAS_ATTRIBUTES maps Duban fields to the
# attribute names the server releases.
CAS_SERVER_URL = env.str("CAS_SERVER_URL", default="")
CAS_VERSION = env.str("CAS_VERSION", default="3")
CAS_VERIFY_SSL_CERTIFICATE = env.bool("CAS_VERIFY_SSL_CERTIFICATE", default=True)
CAS_CREATE_USER = False
CAS_REDIRECT_URL = "/"
CAS_IGNORE_REFERER = True
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None
CAS_LOGOUT_COMPLETELY = True
DUBAN_CAS_EMPLOYEE_ID_ATTRIBUTE = env.str("DUBAN_CAS_EMPLOYEE_ID_ATTRIBUTE", default="")
DUBAN_CAS_ATTRIBUTES = env.dict("DUBAN_CAS_ATTRIBUTES", default={"name": "cn", "email": "mail", "department": "ou"})
DUBAN_CAS_CREATE_USERS = env.bool("DUBAN_CAS_CREATE_USERS", default=False)
DUBAN_CAS_TIMEOUT_SECONDS = env.float("DUBAN_CAS_TIMEOUT_SECONDS", default=10.0)

# LDAP sign-in and directory sync (off while DUBAN_LDAP_SERVER_URI is empty).
DUBAN_LDAP_SERVER_URI = env.str("DUBAN_LDAP_SERVER_URI", default="")
DUBAN_LDAP_BIND_DN = env.str("DUBAN_LDAP_BIND_DN", default="")
DUBAN_LDAP_BIND_PASSWORD = env.str("DUBAN_LDAP_BIND_PASSWORD", default="")
DUBAN_LDAP_START_TLS = env.bool("DUBAN_LDAP_START_TLS", default=False)
DUBAN_LDAP_USER_BASE = env.str("DUBAN_LDAP_USER_BASE", default="")
DUBAN_LDAP_USER_FILTER = env.str("DUBAN_LDAP_USER_FILTER", default="(uid=%(user)s)")
DUBAN_LDAP_SYNC_FILTER = env.str("DUBAN_LDAP_SYNC_FILTER", default="(objectClass=inetOrgPerson)")
DUBAN_LDAP_GROUP_BASE = env.str("DUBAN_LDAP_GROUP_BASE", default="")
DUBAN_LDAP_GROUP_TYPE = env.str("DUBAN_LDAP_GROUP_TYPE", default="groupOfNames")
# JSON: {"admin": "cn=duban-admins,ou=groups,dc=example,dc=edu,dc=cn", "auditor": ..., "leader": ...}
DUBAN_LDAP_ROLE_GROUPS = env.json("DUBAN_LDAP_ROLE_GROUPS", default={})
DUBAN_LDAP_ATTRIBUTES = env.dict("DUBAN_LDAP_ATTRIBUTES", default={})
DUBAN_LDAP_CREATE_USERS = env.bool("DUBAN_LDAP_CREATE_USERS", default=False)
DUBAN_LDAP_TIMEOUT_SECONDS = env.float("DUBAN_LDAP_TIMEOUT_SECONDS", default=5.0)

# WeCom / DingTalk messages to a person (the apps' "send to user" APIs), for users with an id.
DUBAN_WECOM_CORP_ID = env.str("DUBAN_WECOM_CORP_ID", default="")
DUBAN_WECOM_AGENT_ID = env.str("DUBAN_WECOM_AGENT_ID", default="")
DUBAN_WECOM_SECRET = env.str("DUBAN_WECOM_SECRET", default="")
DUBAN_WECOM_API_URL = env.str("DUBAN_WECOM_API_URL", default="https://qyapi.weixin.qq.com")
DUBAN_DINGTALK_APP_KEY = env.str("DUBAN_DINGTALK_APP_KEY", default="")
DUBAN_DINGTALK_APP_SECRET = env.str("DUBAN_DINGTALK_APP_SECRET", default="")
DUBAN_DINGTALK_AGENT_ID = env.str("DUBAN_DINGTALK_AGENT_ID", default="")
DUBAN_DINGTALK_API_URL = env.str("DUBAN_DINGTALK_API_URL", default="https://oapi.dingtalk.com")
SIMPLE_HISTORY_REVERT_DISABLED = True

ROOT_URLCONF = "compliance.urls"
WSGI_APPLICATION = "compliance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite file in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Web server, worker and beat share one SQLite file on a laptop. WAL lets readers go on while
    # one process writes; a write waits up to the busy timeout for another; IMMEDIATE transactions
    # take the write lock when they begin, so two writers queue instead of failing mid-transaction
    # with "database is locked".
    _sqlite = DATABASES["default"].setdefault("OPTIONS", {})
    _sqlite.setdefault("timeout", 20)
    _sqlite.setdefault("transaction_mode", "IMMEDIATE")
    _sqlite.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 behaviour now (silences the transition warning)
AUTH_USER_MODEL = "compliance.User"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=f"{REDIS_URL}/0")
CACHE_URL = env.str("CACHE_URL", default=f"{REDIS_URL}/1")

CACHES = {"default": env.cache_url_config(CACHE_URL)}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # A cache that cannot reach Redis must not break pages: fail fast, fall through.
    CACHES["default"].setdefault("OPTIONS", {}).update({"socket_connect_timeout": 0.5, "socket_timeout": 0.5})

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "compliance" / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "compliance" / "static"]
# WhiteNoise serves STATIC_ROOT (filled by collectstatic, which `make run` runs); with DEBUG on it
# also serves straight from the source folders.
WHITENOISE_USE_FINDERS = DEBUG

# Content-Security-Policy on every response: scripts, styles, fonts and images from this site only,
# no inline script or style (pages bind behaviour from static/duban/duban.js). data: images are for
# the Swagger UI's icons; /api/docs/ additionally allows its own inline <style> block.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Evidence files live outside static files and are served only after a permission check.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media-not-served/"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="duban@localhost")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Uploads and imports
DUBAN_MAX_UPLOAD_BYTES = env.int("DUBAN_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
DUBAN_MAX_IMPORT_BYTES = env.int("DUBAN_MAX_IMPORT_BYTES", default=20 * 1024 * 1024)
# Plain text and HTML imports: 2 MB is about a million characters, far beyond any policy document
# (a 20 MB text held a worker for minutes); scans, PDFs and Word files keep DUBAN_MAX_IMPORT_BYTES.
DUBAN_MAX_IMPORT_TEXT_BYTES = env.int("DUBAN_MAX_IMPORT_TEXT_BYTES", default=2 * 1024 * 1024)
# Up to this size the web request parses an import itself (well under a second for a policy text);
# larger files go to the background worker.
DUBAN_INLINE_IMPORT_BYTES = env.int("DUBAN_INLINE_IMPORT_BYTES", default=256 * 1024)
# Printed in workbook titles and file names; empty prints no university name.
DUBAN_UNIVERSITY_NAME = env.str("DUBAN_UNIVERSITY_NAME", default="")
# The Word template of the 督办通报 (page set-up, styles, footer, letterhead); empty: the one shipped.
DUBAN_BULLETIN_TEMPLATE = env.str("DUBAN_BULLETIN_TEMPLATE", default="")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Reminders: days before the deadline, overdue repeat interval and escalation thresholds.
DUBAN_REMINDER_DAYS_BEFORE = env.list("DUBAN_REMINDER_DAYS_BEFORE", cast=int, default=[14, 7, 3, 1])
# Progress reports: reminders this many days before a round's due date (then on it, then when late).
DUBAN_REPORT_REMIND_DAYS_BEFORE = env.list("DUBAN_REPORT_REMIND_DAYS_BEFORE", cast=int, default=[3, 1])
DUBAN_OVERDUE_REPEAT_WORKDAYS = env.int("DUBAN_OVERDUE_REPEAT_WORKDAYS", default=3)
DUBAN_ESCALATE_HEAD_AFTER_DAYS = env.int("DUBAN_ESCALATE_HEAD_AFTER_DAYS", default=3)
DUBAN_ESCALATE_LEADER_AFTER_DAYS = env.int("DUBAN_ESCALATE_LEADER_AFTER_DAYS", default=10)
# An open item due within this many days is 临期 (due soon) on every page, the API and the dashboard.
DUBAN_DUE_SOON_DAYS = env.int("DUBAN_DUE_SOON_DAYS", default=7)
# Lists count at most this many rows (compliance/paging.py): no COUNT(*) over a million rows a page view.
DUBAN_LIST_COUNT_CAP = env.int("DUBAN_LIST_COUNT_CAP", default=10_000)
# Keyword routing proposes a lead only from this strength on (a 2-character word counts 1, 3
# characters 2, longer 3, per occurrence up to 3, once more in the heading).
DUBAN_ROUTING_MIN_STRENGTH = env.float("DUBAN_ROUTING_MIN_STRENGTH", default=4.0)
# A worker that claimed reminder rows and died releases them after this lease (below the
# 10-minute delivery schedule, so a failed send is retried on the next run).
DUBAN_DELIVERY_LEASE_SECONDS = env.int("DUBAN_DELIVERY_LEASE_SECONDS", default=540)

# Celery
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 3600}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # Embedded broker for a laptop without Redis: messages are files under var/broker.
    _broker_dir = BASE_DIR / "var" / "broker"
    for _sub in ("queue", "processed"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
else:
    # Fail fast when Redis is down, so a user's action is never held up by the broker.
    CELERY_BROKER_TRANSPORT_OPTIONS.update({"socket_connect_timeout": 1, "socket_timeout": 2})
    CELERY_BROKER_CONNECTION_TIMEOUT = 1
    CELERY_TASK_PUBLISH_RETRY_POLICY = {
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
    }
CELERY_TIMEZONE = TIME_ZONE
# Time limits (seconds): at the soft limit a task gets SoftTimeLimitExceeded and records why it
# stopped; at the hard limit the worker process is killed. Imports (OCR) and exports have their own.
DUBAN_TASK_SOFT_TIME_LIMIT = env.int("DUBAN_TASK_SOFT_TIME_LIMIT", default=300)
DUBAN_JOB_SOFT_TIME_LIMIT = env.int("DUBAN_JOB_SOFT_TIME_LIMIT", default=900)
CELERY_TASK_SOFT_TIME_LIMIT = DUBAN_TASK_SOFT_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = DUBAN_TASK_SOFT_TIME_LIMIT + 60
CELERY_TASK_ANNOTATIONS = {
    name: {"soft_time_limit": DUBAN_JOB_SOFT_TIME_LIMIT, "time_limit": DUBAN_JOB_SOFT_TIME_LIMIT + 60}
    for name in ("tasks.imports.run_import_job", "tasks.exports.build_export")
}
# A job still "running" this long after it started has lost its worker (killed, or past the hard
# limit): the periodic check (tasks.jobs.fail_stale_jobs) marks it failed so the user can retry.
DUBAN_STALE_JOB_SECONDS = env.int("DUBAN_STALE_JOB_SECONDS", default=DUBAN_JOB_SOFT_TIME_LIMIT + 120)
# One queue per kind of work, so a long import cannot hold up e-mails and reminders. A worker must
# consume all of them (`celery -A tasks worker -Q celery,imports,exports,notifications,reminders`,
# as `make run` does), or run one worker per queue.
CELERY_TASK_DEFAULT_QUEUE = "celery"
DUBAN_CELERY_QUEUES = ("celery", "imports", "exports", "notifications", "reminders")
CELERY_TASK_ROUTES = {
    "tasks.imports.*": {"queue": "imports"},
    "tasks.exports.*": {"queue": "exports"},
    "tasks.notifiers.*": {"queue": "notifications"},
    "tasks.reminders.*": {"queue": "reminders"},
    "tasks.report_reminders.*": {"queue": "reminders"},
    "tasks.dashboard.*": {"queue": "reminders"},
}
# Every periodic task runs once per slot even if two beats send it (slot_seconds, tasks/once.py),
# and its message expires after half a slot: a message that waited longer (behind a long scan on a
# busy worker) would otherwise start in the next slot and do that slot's work a second time. The
# next firing does the work of an expired one (the scans catch up by design).
CELERY_BEAT_SCHEDULE = {
    "reminder-scan": {
        "task": "tasks.reminders.scan_reminders",
        "schedule": crontab(minute=5),  # hourly
        "kwargs": {"slot_seconds": 3600},
        "options": {"expires": 1800},
    },
    "deliver-pending": {
        "task": "tasks.reminders.deliver_pending",
        "schedule": crontab(minute="*/10"),
        "kwargs": {"slot_seconds": 600},
        "options": {"expires": 300},
    },
    # Opens the recurring reporting rounds whose period has begun, then reminds about reports.
    "report-rounds": {
        "task": "tasks.report_reminders.report_rounds",
        "schedule": crontab(minute=15),  # hourly
        "kwargs": {"slot_seconds": 3600},
        "options": {"expires": 1800},
    },
    # Import and export jobs whose worker died are marked failed (the user can retry them).
    "stale-jobs": {
        "task": "tasks.jobs.fail_stale_jobs",
        "schedule": crontab(minute="*/5"),
        "kwargs": {"slot_seconds": 300},
        "options": {"expires": 150},
    },
    # The dashboard's tallies count past-due and 临期 items against the day: rebuilt as it begins.
    "dashboard-tallies": {
        "task": "tasks.dashboard.rebuild_tallies",
        "schedule": crontab(minute=1, hour=0),
        "kwargs": {"slot_seconds": 86400},
        "options": {"expires": 43200},
    },
}

REST_FRAMEWORK = {
    # Token first: an anonymous API call gets 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "compliance.api.pagination.ApiPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies only; the upload endpoints (files) set multipart themselves.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "compliance.api.schema.DubanAutoSchema",
    "EXCEPTION_HANDLER": "compliance.api.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Duban API",
    "DESCRIPTION": (
        "督办: policy requirement tracking for universities. Authenticate with a session or with "
        "`Authorization: Token <key>` (POST /api/auth/token/). Errors always look like "
        '`{"error": {"code": ..., "message": ..., "details": {...}}}`; objects outside your '
        "departments answer 404; a stale `version` answers 409. Messages are in Chinese unless the "
        "request asks for English with `Accept-Language: en`. Request bodies are JSON, except file "
        "uploads (multipart/form-data). Lists are paged: `page`, `page_size` (default 50, at most 200). "
        "Timestamps are ISO 8601 with the site's UTC offset (Asia/Shanghai: +08:00); dates are YYYY-MM-DD."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the drf-spectacular-sidecar package's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    # Relative to where the schema is served: each installation is its own server.
    "SERVERS": [{"url": "/", "description": "this Duban installation"}],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "compliance.api.schema.postprocess",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AssignmentStatusEnum": "compliance.models.tracking.Assignment.Status",
        "AssignmentRoleEnum": "compliance.models.tracking.Assignment.Role",
        "ExtensionStatusEnum": "compliance.models.tracking.ExtensionRequest.Status",
        "JobStatusEnum": "compliance.models.jobs.JobStatus",
        "DocumentStatusEnum": "compliance.models.documents.PolicyDocument.Status",
        "DocumentKindEnum": "compliance.models.documents.PolicyDocument.Kind",
        "DepartmentKindEnum": "compliance.models.org.Department.Kind",
        "ReportRoundStatusEnum": "compliance.models.reports.ReportRound.Status",
        "ProgressReportStatusEnum": "compliance.models.reports.ProgressReport.Status",
        "ReportRecurrenceEnum": "compliance.models.reports.ReportSchedule.Recurrence",
        "LinkStatusEnum": "compliance.models.links.RequirementLink.Status",
        "UserRoleEnum": "compliance.models.org.User.Role",
        "MembershipRoleEnum": "compliance.models.org.Membership.Role",
        "RequirementRecurrenceEnum": "compliance.models.documents.Requirement.Recurrence",
        "RoutingSourceEnum": ["plan", "annotation", "keywords", "none"],
        "ImportStageEnum": ["preview", "confirmed", "imported"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403) is one log line, not a traceback; errors (500) keep theirs.
    "filters": {"forbidden_one_line": {"()": "compliance.logging.ForbiddenWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["forbidden_one_line"]},
        "django.security.RequestDataTooBig": {"filters": ["forbidden_one_line"]},
    },
}

# Production hardening: on whenever DEBUG is off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Both stay on in production; a plain-HTTP loopback load test may turn them off.
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True

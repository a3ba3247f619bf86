"""Settings for the Gansu 专精特新 registry, read from the environment.

DJANGO_ENV selects the profile: ``development`` (the default; used by ``make run`` and the
tests) or ``production``, where every secret and host must come from the environment and has
no default.
"""

from datetime import timedelta
from pathlib import Path

import environ
from kombu import Queue

from gansu_sme import tracking

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
    DEBUG = False
else:
    # A development key only: production refuses to start without SECRET_KEY.
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-not-for-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
    DEBUG = env.bool("DEBUG", default=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Registers OpClass as an index wrapper: the trigram search indexes need it.
    "django.contrib.postgres",
    "csp",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tables2",
    "django_celery_beat",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "oplog",
    "gansu_sme",
    "accounts",
    "registry",
    "certification",
    "financing",
    "subsidies",
    "reports",
    "demo",
]

# A read replica (streaming replication of `default`) for read-only API requests and report
# figures (gansu_sme/dbrouting.py, docs/SCALING.md); unset, every query goes to `default`.
REPLICA_DATABASE_URL = env.str("REPLICA_DATABASE_URL", default="")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Only with a replica: marks the requests whose reads it may serve (gansu_sme/dbrouting.py).
    *(["gansu_sme.dbrouting.ReplicaReadsMiddleware"] if REPLICA_DATABASE_URL else []),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gansu_sme.middleware.NoStoreMiddleware",
    "accounts.middleware.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gansu_sme.middleware.AuditContextMiddleware",
    "gansu_sme.middleware.DomainErrorMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "oplog.middleware.OperationLogMiddleware",
    # Last, so that it sees the flag a locked-out sign-in left on the request and answers it.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gansu_sme.urls"
WSGI_APPLICATION = "gansu_sme.wsgi.application"
ASGI_APPLICATION = "gansu_sme.asgi.application"

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

if PRODUCTION:
    DATABASE_URL, REDIS_URL = env.str("DATABASE_URL"), env.str("REDIS_URL")
else:
    # Development falls back on the embedded servers that `make run` starts under .data/.
    from gansu_sme.devservices.services import embedded_urls

    _embedded_database, _embedded_redis = embedded_urls()
    DATABASE_URL = env.str("DATABASE_URL", default=_embedded_database)
    REDIS_URL = env.str("REDIS_URL", default=_embedded_redis)
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
# A new connection per request costs a few milliseconds and a backend process each (issue 14
# measured one per request at national scale); connections are kept and checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# DATABASE_POOLER=pgbouncer: the URLs point at PgBouncer in transaction pooling (the `pgbouncer`
# service of compose.scale.yml). A server connection then belongs to a client for one
# transaction only, so a named cursor (which outlives the statement that opened it) would be
# lost: Django reads through plain cursors instead, which fetch a whole result at once; work
# that streams large results (exports) belongs on a direct connection (docs/SCALING.md).
DATABASE_POOLER = env.str("DATABASE_POOLER", default="")
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = {
        **env.db_url_config(REPLICA_DATABASE_URL),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "ATOMIC_REQUESTS": False,
        # Tests read the test database through both aliases.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["gansu_sme.dbrouting.ReplicaRouter"]
for _database in DATABASES.values():
    _database["DISABLE_SERVER_SIDE_CURSORS"] = DATABASE_POOLER == "pgbouncer"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Tolerates Redis being down (gansu_sme/cache.py): pages keep serving without the cache.
CACHES = {
    "default": {
        "BACKEND": "gansu_sme.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="gansu_sme"),
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    }
}

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out account or address before any password is checked,
# on every form that calls authenticate() (the site's sign-in and the admin's).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    "accounts.backends.ExpiringModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in lock-out (accounts/signin.py): an account is locked after SIGN_IN_FAILURE_LIMIT wrong
# passwords, an address after SIGN_IN_ADDRESS_FAILURE_LIMIT (higher: an office signs in from one
# gateway). The lock lasts SIGN_IN_LOCKOUT_MINUTES after the last failure, doubling with each
# further SIGN_IN_FAILURE_LIMIT failures, up to SIGN_IN_LOCKOUT_MAX_MINUTES; an administrator
# unlocks earlier at /accounts/lockouts/.
SIGN_IN_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=30)
SIGN_IN_LOCKOUT_MINUTES = env.int("SIGN_IN_LOCKOUT_MINUTES", default=5)
SIGN_IN_LOCKOUT_MAX_MINUTES = env.int("SIGN_IN_LOCKOUT_MAX_MINUTES", default=24 * 60)
AXES_FAILURE_LIMIT = SIGN_IN_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = "accounts.signin.cool_off"
AXES_HANDLER = "accounts.signin.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "accounts.signin.lockout_response"
# The one client address every limit and log uses (TRUSTED_PROXY_COUNT decides it).
AXES_CLIENT_IP_CALLABLE = "oplog.clients.client_address"
# Sign-ins are in the operations log already; failures while locked extend the lock.
AXES_DISABLE_ACCESS_LOG = True
AXES_RESET_ON_SUCCESS = True
# Unlocking goes through /accounts/lockouts/, which asks why and logs it; not the bare admin.
AXES_ENABLE_ADMIN = False
AXES_HTTP_RESPONSE_CODE = 429

# A signed-in session ends after this much inactivity (accounts.middleware.SessionIdleMiddleware
# pushes its expiry back while it is used), and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.min.js from the pinned plotly package, as vendor/plotly.min.js; no CDN.
    "gansu_sme.staticfinders.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.IsStaffInRegion"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON and form bodies held to DATA_UPLOAD_MAX_MEMORY_SIZE, as Django holds pages' bodies.
    "DEFAULT_PARSER_CLASSES": [
        "gansu_sme.api.parsers.JSONParser",
        "gansu_sme.api.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "gansu_sme.api.pagination.StableCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "gansu_sme.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "gansu_sme.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "gansu_sme.api.throttling.AnonRateThrottle",
        "gansu_sme.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="60/minute"),
        "user": env.str("THROTTLE_USER", default="1200/minute"),
    },
}

# Reverse proxies in front of the site that append the client's address to X-Forwarded-For
# (docker-compose.yml sets 1). With 0 the header is ignored: the connection's address is the
# client (oplog.clients.client_address, which every rate limit and log uses).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Objections to a public notice, per IP, on the page and through the API alike.
OBJECTION_THROTTLE_RATE = env.str("THROTTLE_OBJECTIONS", default="5/hour")
# The public address printed in certificate QR codes; empty means the address of the request.
SITE_URL = env.str("SITE_URL", default="")
# Evidence attached to an application; scans rarely exceed a few megabytes.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# A TrueType font with Chinese glyphs, embedded in certificate PDFs (certification/pdf.py).
CERTIFICATE_FONT_FILE = env.str(
    "CERTIFICATE_FONT_FILE", default="/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
)

# API tokens (accounts.ApiToken): hashed, expiring after API_TOKEN_DAYS unless issued otherwise,
# read-only unless issued with create_api_token --write to an account whose role writes.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
KNOX_TOKEN_MODEL = "accounts.ApiToken"
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Bearer",
    "TOKEN_TTL": timedelta(days=API_TOKEN_DAYS),
    "AUTO_REFRESH": False,
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "甘肃省专精特新中小企业培育库 API",
    "DESCRIPTION": (
        "Read and keep enterprise records of the Gansu 专精特新 cultivation registry. "
        "Authenticate with `Authorization: Bearer <token>`; every response is limited to the "
        "token owner's region."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Separate request and response components, so read-only fields are not offered as input.
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets used under several field names get one component name.
    "ENUM_NAME_OVERRIDES": {
        "ScaleUpCategoryEnum": "registry.choices.ScaleUpCategory",
        "EntitlementStatusEnum": "subsidies.choices.EntitlementStatus",
        "BatchStatusEnum": "subsidies.choices.BatchStatus",
        "ReportStatusEnum": "registry.choices.ReportStatus",
        "ApplicationStatusEnum": "certification.choices.ApplicationStatus",
        "CampaignKindEnum": "certification.choices.CampaignKind",
        "AttachmentKindEnum": "certification.choices.AttachmentKind",
        "CertificateLevelEnum": "certification.choices.CertificateLevel",
        "CertificateStatusEnum": "certification.choices.CertificateStatus",
        "ObjectionStatusEnum": "certification.choices.ObjectionStatus",
        "NoticeStatusEnum": "certification.choices.NoticeStatus",
        "RevocationReasonEnum": "certification.choices.RevocationReason",
        "ReportKindEnum": "reports.choices.ReportKind",
        "NeedKindEnum": "financing.choices.NeedKind",
        "InstitutionKindEnum": "financing.choices.InstitutionKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "gansu_sme.api.schema.add_error_responses",
        "gansu_sme.api.schema.close_one_of_alternatives",
    ],
}

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
# A message is acknowledged only when its task has finished, and given back to the queue when
# the pool process running it dies (killed, out of memory): every task must be idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The longest any task may run; tasks set tighter limits of their own.
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# Longer than the longest task's hard limit, so a late-acked task is not redelivered while it
# runs (tests/reports/test_celery.py asserts the relation). After a whole worker is lost, its
# unacknowledged messages go back to the queue once this has passed.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 60 * 60)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_SEND_TASK_EVENTS = False
# Schedules live in the database (django-celery-beat), editable in the admin; exactly one beat
# process may run (docker-compose.yml's single `beat` service, one beat under `make run`).
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Three queues, so that minutes-long jobs never hold up the short ones behind them: `bulk`
# (workbook imports and exports), `reports` (report generation, one task per region) and the
# default `celery` (notifications, the outbox, reminders, everything else). A worker started
# without -Q consumes all three (`make run`, docker-compose.yml's `worker`); past one machine,
# workers are started per queue (`-Q bulk`, `-Q celery,reports`; docs/SCALING.md).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue("celery"), Queue("bulk"), Queue("reports")]
CELERY_TASK_ROUTES = {
    "registry.tasks.import_*": {"queue": "bulk"},
    "*.tasks.export_*": {"queue": "bulk"},
    "reports.tasks.report_generate_task": {"queue": "reports"},
    "reports.tasks.reports_generate_due_task": {"queue": "reports"},
}
# Publishing gives up quickly when Redis is down: the outbox (gansu_sme/outbox.py) keeps the
# message and sends it when Redis is back, so a request never waits for the broker.
CELERY_BROKER_CONNECTION_TIMEOUT = 2

# Uploaded workbooks (gansu_sme/excel/container.py): the work one may ask, checked while its
# parts are streamed in the web process, before any reader opens it.
IMPORT_MAX_INFLATED_BYTES = env.int("IMPORT_MAX_INFLATED_BYTES", default=200 * 1024 * 1024)
IMPORT_MAX_RATIO = env.int("IMPORT_MAX_RATIO", default=100)
IMPORT_MAX_CELLS = env.int("IMPORT_MAX_CELLS", default=3_000_000)
# Data rows an upload may hold. Rows are streamed at constant memory (gansu_sme/excel/stream.py),
# so this bounds the work one upload asks, not memory; the byte and cell limits above bound it
# too (a million monitoring rows need about 90 MB uploaded, 30 million cells).
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=1_000_000)
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
# The worker process that reads a workbook (registry/tasks.py): its address space, and the
# time one reading may take before it is stopped.
IMPORT_WORKER_MEMORY_MB = env.int("IMPORT_WORKER_MEMORY_MB", default=1536)
IMPORT_SOFT_TIME_LIMIT = env.int("IMPORT_SOFT_TIME_LIMIT", default=10 * 60)
IMPORT_TIME_LIMIT = env.int("IMPORT_TIME_LIMIT", default=11 * 60)
# A pool process whose resident memory has grown past this (kB) is replaced after its task.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=512_000)

if PRODUCTION:
    EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
    EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
else:
    # Development prints the daily digest e-mails on the worker's console.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@zjtx.gansu.gov.cn")

# Event rows are history: the database refuses to change or delete them.
PGHISTORY_APPEND_ONLY = True
# Every tracked model keeps a row per insert, per update that changes the row, and per delete
# (a deleted row's last content); pghistory's default leaves deletes out.
PGHISTORY_DEFAULT_TRACKERS = tracking.default_trackers()

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="Gansu2026!")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from the site itself
# only. No inline script and no inline style anywhere, so an injected <script>, event handler or
# style attribute does nothing; data: images for the icons inside Swagger UI's stylesheet. The
# site loads nothing from elsewhere (DESIGN.md: no CDN), so 'self' is the whole list.
# tests/test_headers.py walks every page for inline code; tests/browser/test_csp.py listens for
# refusals in Chromium.
# The two style hashes are the only <style> elements plotly.js (vendor/plotly.min.js) writes: an
# empty one it then fills through the CSSOM (its own rules, the modebar's), and maplibre's
# stylesheet, which the bundle adds on load. A hash admits exactly that text, nothing an
# attacker could choose; tests/test_headers.py recomputes them from the pinned bundle.
PLOTLY_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # the empty <style>
    "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='",  # maplibre-gl's CSS, plotly.js 4.1.1
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", *PLOTLY_STYLE_HASHES],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True


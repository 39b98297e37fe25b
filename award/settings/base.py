"""Settings shared by every environment; values that differ come from environment variables."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_fsm",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_htmx",
    "django_bootstrap5",
    "bootstrap",
    "award",
    "applications",
    "review",
    "decisions",
    "revocation",
]

MIDDLEWARE = [
    "award.middleware.FreshStackMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "award.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "award.middleware.StaffIdleTimeoutMiddleware",
    "award.middleware.TwoFactorMiddleware",
    "award.middleware.AuditorReadOnlyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "award.urls"
WSGI_APPLICATION = "award.wsgi.application"

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
                "csp.context_processors.nonce",
                "award.context_processors.portal",
            ],
        },
    },
]

# SQLite (the demo) allows one writer at a time: a request waits up to 20 s for the lock instead
# of failing with "database is locked", readers do not block the writer (WAL), and a transaction
# takes the write lock when it begins, so two never deadlock upgrading from a read.
SQLITE_OPTIONS = {
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL;",
    "transaction_mode": "IMMEDIATE",
}


def database(**default):
    """The default database from DATABASE_URL, with SQLITE_OPTIONS when it is SQLite."""
    config = env.db("DATABASE_URL", **default)
    config["ATOMIC_REQUESTS"] = False
    # With persistent connections (DATABASE_URL ?conn_max_age=), one broken by a database
    # restart is replaced at the next request instead of failing it.
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


DATABASES = {"default": database(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite ignores INCLUDE; PostgreSQL uses review.Score's covering index.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "award.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "award.auth_backends.PortalBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "award:login"
LOGIN_REDIRECT_URL = "award:workbench"
LOGOUT_REDIRECT_URL = "award:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# django-axes: throttle failed logins per username and address, and per address over all
# usernames with a higher limit (award.login_throttle).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "award.login_throttle.LoginThrottleHandler"
AXES_LOCKOUT_CALLABLE = "award.login_throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Only set BEHIND_PROXY when the app is reachable solely through the portal's nginx.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
AXES_CLIENT_IP_CALLABLE = "award.client_ip.client_ip"

# Two-factor login (GB/T 22239-2019 8.1.4.1): TOTP plus one-time recovery codes, required of
# the office, agency, auditor and Django admin staff (award.selectors.two_factor). Wrong codes
# count per user: TWO_FACTOR_FAILURE_LIMIT of them lock the code step for the axes cool-off.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=True)
TWO_FACTOR_FAILURE_LIMIT = env.int("TWO_FACTOR_FAILURE_LIMIT", default=5)
TWO_FACTOR_COOLOFF_MINUTES = round(AXES_COOLOFF_TIME * 60)
OTP_TOTP_ISSUER = "临沂市市长质量奖"
# django-otp's own exponential back-off is replaced by the per-user counter above.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# django-guardian
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# Every page is zh-hans; add LocaleMiddleware back once an English catalogue exists.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "media")},
    },
    "staticfiles": {"BACKEND": "award.staticfiles.GzipManifestStaticFilesStorage"},
}
# Uploaded files are private: no MEDIA_URL serves them; views stream them after a permission check.
MEDIA_URL = None
# With nginx in front (e.g. "/_protected/"): views check permission, then nginx sends the file
# from its `internal` location of that name (X-Accel-Redirect). Empty: Django streams it.
PRIVATE_MEDIA_ACCEL_PREFIX = env("PRIVATE_MEDIA_ACCEL_PREFIX", default="")
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
NOTICE_ATTACHMENT_MAX_MB = env.int("NOTICE_ATTACHMENT_MAX_MB", default=20)

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://")
    if env("CACHE_URL", default="")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Template fragments that depend only on the code (base.html's menu per roles and language):
# each process keeps its own, so they change with a deploy and cost no round trip.
FRAGMENT_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
}
CACHES["fragments"] = FRAGMENT_CACHE

# Email: console in development, SMTP from EMAIL_URL in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="临沂市市长质量奖 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: a broker URL runs tasks on workers; without one they run in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Never connected to; spares kombu's "No hostname was supplied" warning on each send.
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# A broker that drops packets or never answers must not hold up a request: connecting gets
# 0.5 s in all (kombu's budget; Redis's socket connect timeout too), a reply 2 s, and a publish
# failing on a stale connection is retried once. The sweeps below queue again what was lost.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=0.5)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=2.0),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": env.int("CELERY_TASK_PUBLISH_MAX_RETRIES", default=1),
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BEAT_SCHEDULE = {
    "resend-pending-emails": {
        "task": "award.tasks.resend_pending_emails",
        "schedule": env.float("EMAIL_SWEEP_SECONDS", default=60.0),
    },
    "resend-unrendered-application-pdfs": {
        "task": "applications.tasks.resend_unrendered_application_pdfs",
        "schedule": env.float("APPLICATION_PDF_SWEEP_SECONDS", default=300.0),
    },
    "resume-lost-cycle-exports": {
        "task": "decisions.tasks.exports.resume_lost_cycle_exports",
        "schedule": env.float("EXPORT_SWEEP_SECONDS", default=60.0),
    },
}
# A message whose email was queued this long ago and is still unsent is queued again.
EMAIL_RESEND_AFTER_SECONDS = env.int("EMAIL_RESEND_AFTER_SECONDS", default=120)
# A submission whose 申报表 PDF is still missing this long after it was made (or last queued)
# is queued again, at most APPLICATION_PDF_SWEEP_LIMIT per sweep, oldest first; after
# APPLICATION_PDF_MAX_ATTEMPTS queueings without a PDF the sweep stops and tells the office.
APPLICATION_PDF_RESEND_AFTER_SECONDS = env.int("APPLICATION_PDF_RESEND_AFTER_SECONDS", default=300)
APPLICATION_PDF_SWEEP_LIMIT = env.int("APPLICATION_PDF_SWEEP_LIMIT", default=200)
APPLICATION_PDF_MAX_ATTEMPTS = env.int("APPLICATION_PDF_MAX_ATTEMPTS", default=5)
# A batch file build without progress this long is taken as lost with its worker and resumed.
EXPORT_STALE_SECONDS = env.int("EXPORT_STALE_SECONDS", default=300)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
# Office, agency, county and auditor sessions end after this long without a request.
STAFF_IDLE_TIMEOUT_MINUTES = env.int("STAFF_IDLE_TIMEOUT_MINUTES", default=30)
# Features no page of the portal uses are switched off for it and anything it might embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

BOOTSTRAP5 = {
    "css_url": None,
    "javascript_url": None,
    "set_placeholder": False,
    "required_css_class": "required",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs each rendering step at INFO, fontTools each font subset.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

"""One settings module, configured from the environment (DATABASE_URL, SECRET_KEY, DEBUG, ...)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cchc.security import DEVELOPMENT_SECRET_KEY, refusal, secret_key_problem

PACKAGE_DIR = Path(__file__).resolve().parent
# The checkout's root when running from a checkout (editable install), else the working directory.
_checkout = PACKAGE_DIR.parents[1]
BASE_DIR = Path(
    os.environ.get(
        "CCHC_HOME", _checkout if (_checkout / "pyproject.toml").exists() else Path.cwd()
    )
)
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and secret_key_problem(SECRET_KEY):
    # No server, worker or command runs in production with a published or weak key (anyone
    # could sign sessions and QR links); the system check cchc.E001 repeats this.
    raise ImproperlyConfigured(refusal(secret_key_problem(SECRET_KEY)))
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks_db",
    "cchc.org",
    "cchc.workcalendar",
    "cchc.catalog",
    "cchc.dossiers",
    "cchc.stats",
    "cchc.reports",
    "cchc.reform",
    "cchc.onestop",
    "cchc.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cchc.middleware.LanguageMiddleware",
    "cchc.limits.UnstorableInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cchc.middleware.DatabaseRetryMiddleware",
]

ROOT_URLCONF = "cchc.urls"
WSGI_APPLICATION = "cchc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'cchc.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout: the web server, the task worker and a CLI import can share the file.
    # IMMEDIATE: a transaction takes the write lock at BEGIN and waits for it (the timeout); a
    # deferred one that read first fails at once with "database is locked" when it then writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("CCHC_TEST_SQLITE") or None}
else:
    _test_name = os.environ.get("CCHC_TEST_DB")
    if _test_name:
        DATABASES["default"]["TEST"] = {"NAME": _test_name}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = ["cchc.org.backends.UnitModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["cchc.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cchc.org.backends.UnitTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "EXCEPTION_HANDLER": "cchc.api_common.exception_handler",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "cchc API",
    "DESCRIPTION": "One-stop shop (một cửa) dossiers, catalogue, units and period statistics.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # No network at run time: Swagger UI and ReDoc are served from drf-spectacular-sidecar.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# A cache shared by every process of one machine (the public page's rate limit counts per IP
# across web workers); CACHE_LOCATION may point elsewhere, e.g. a tmpfs.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("CACHE_LOCATION", str(VAR_DIR / "cache")),
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# A receipt's QR link opens the public status page for this many days after it was printed (a
# dossier's links can be revoked from its page before); an API token is refused this many days
# after it was issued (0: never; `cchc create_api_token USER` issues a new one).
CCHC_QR_TOKEN_MAX_AGE_DAYS = int(os.environ.get("CCHC_QR_TOKEN_MAX_AGE_DAYS", "365"))
CCHC_API_TOKEN_TTL_DAYS = int(os.environ.get("CCHC_API_TOKEN_TTL_DAYS", "365"))
# Logging in (the site's and the admin's page): after this many attempts for one username, or
# failed attempts from one address, within the window, even the right password is refused
# until the window ends (cchc.org.login); a successful login forgets the username's count.
CCHC_LOGIN_MAX_FAILURES = int(os.environ.get("CCHC_LOGIN_MAX_FAILURES", "5"))
CCHC_LOGIN_MAX_FAILURES_PER_IP = int(os.environ.get("CCHC_LOGIN_MAX_FAILURES_PER_IP", "30"))
CCHC_LOGIN_WINDOW_SECONDS = int(os.environ.get("CCHC_LOGIN_WINDOW_SECONDS", "900"))
# Reverse proxies of ours in front of the app: the client's address for the rate limits is then
# read from X-Forwarded-For (cchc.client_address). 0: the socket's address.
CCHC_TRUSTED_PROXY_COUNT = int(os.environ.get("CCHC_TRUSTED_PROXY_COUNT", "0"))

# Uploads above this size are written to a temporary file, never held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Dossier CSV imports through the API (cchc.dossiers.imports): a larger upload is refused
# (413); one above CCHC_IMPORT_ASYNC_BYTES is queued for the task worker (202 and a job to
# follow); an answer lists at most CCHC_IMPORT_MAX_ERRORS row errors, and counts them all.
CCHC_IMPORT_MAX_BYTES = int(os.environ.get("CCHC_IMPORT_MAX_BYTES", str(50 * 2**20)))
CCHC_IMPORT_ASYNC_BYTES = int(os.environ.get("CCHC_IMPORT_ASYNC_BYTES", str(5 * 2**20)))
CCHC_IMPORT_MAX_ERRORS = int(os.environ.get("CCHC_IMPORT_MAX_ERRORS", "1000"))
# --- Domain settings (rules marked [NC]/[P] in regulations.md are settings, not constants) ---
# Office hours for deadlines counted in working hours.
CCHC_OFFICE_HOURS = [("07:30", "11:30"), ("13:30", "17:00")]
# Weekdays that are working days (Monday=0). Saturdays count only when an override says so.
CCHC_WORKING_WEEKDAYS = (0, 1, 2, 3, 4)
# Reporting cut-off: a period of month M runs from this day of month M-1 to the day before it
# in month M (Nghị định 09/2019/NĐ-CP Art. 12: 15th to 14th).
CCHC_PERIOD_CUTOFF_DAY = int(os.environ.get("CCHC_PERIOD_CUTOFF_DAY", "15"))
# CCHC reports are due by this day of the period's last month (BNV guidance 581/BNV-CCHC).
CCHC_REPORT_DEADLINE_DAY = int(os.environ.get("CCHC_REPORT_DEADLINE_DAY", "20"))
# An apology for a dossier that will be late is sent at least this many working days before
# its due date (ND 61/2018 [C]: one day; how ND 118/2025 words it is not confirmed [NC]).
# An apology sent later is still recorded (the applicant is owed it), marked as sent late.
CCHC_APOLOGY_NOTICE_DAYS = int(os.environ.get("CCHC_APOLOGY_NOTICE_DAYS", "1"))
# "Đúng hạn" compares the resolution date with the legal due date, by calendar day.
CCHC_TIMELINESS_BY = "date"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

"""One settings module, read from the environment (django-environ).

Unset variables give a portal that runs on one machine with no servers: an embedded SQLite
file under ``var/`` and Celery tasks run in-process. Production sets DATABASE_URL,
CELERY_BROKER_URL, CACHE_URL, SECRET_KEY and ALLOWED_HOSTS; see README.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured

# Generic classes (ModelAdmin[Post], QuerySet[Post]) usable at run time, as mypy sees them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
# pytest (>= 8.2) sets PYTEST_VERSION for the whole run.
TESTING = "PYTEST_VERSION" in os.environ

# The production environment is one file, read by every entry point (gunicorn, the Celery
# worker and beat, cron's manage.py): JISIK_ENV_FILE, else /etc/jisik/jisik.env when it exists
# (never under pytest unless named). Variables already in the environment win over the file.
# The template is deploy/jisik.env.example; docs/production.md explains each line.
env = environ.Env()
ENV_FILE = Path(os.environ.get("JISIK_ENV_FILE", "" if TESTING else "/etc/jisik/jisik.env"))
if os.environ.get("JISIK_ENV_FILE") and not ENV_FILE.is_file():
    raise ImproperlyConfigured(f"JISIK_ENV_FILE names no file: {ENV_FILE}")
if str(ENV_FILE) not in ("", ".") and ENV_FILE.is_file():
    environ.Env.read_env(ENV_FILE, overwrite=False)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

# PORTAL_ENV=production (set by the env file) refuses to fall back to the development
# defaults: no job may run on the embedded SQLite file or with the development key.
PORTAL_ENV = env.str("PORTAL_ENV", default="development")
PRODUCTION = PORTAL_ENV == "production"
if PRODUCTION:
    _missing = [
        name
        for name in ("DATABASE_URL", "SECRET_KEY", "CELERY_BROKER_URL", "CACHE_URL", "EMAIL_URL")
        if not os.environ.get(name)
    ]
    if _missing:
        raise ImproperlyConfigured(
            "PORTAL_ENV=production but these are not set: "
            + ", ".join(_missing)
            + f" (environment file: {ENV_FILE if ENV_FILE.is_file() else 'none found'})"
        )
    if env.bool("DEBUG", default=False):
        raise ImproperlyConfigured("PORTAL_ENV=production refuses DEBUG.")
DEBUG = env.bool("DEBUG", default=False)

# Without SECRET_KEY a development key is used, so management commands (migrate, checks,
# lint) run anywhere; the web server refuses to start with it unless DEBUG (see wsgi.py).
DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="") or DEV_SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A refused form (expired page, cookies off) gets a Korean page in the portal's layout.
CSRF_FAILURE_VIEW = "jisik_portal.views.csrf_failure"
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "org.axes_app.AxesConfig",  # django-axes, named 로그인 잠금 in the admin
    # The portal's apps, in the order their arrows run (org <- everything).
    "common",
    "org",
    "scoring",
    "board",
    "contests",
    "proposals",
    "clubs",
    "notifications",
    "downloads",
    "programme",
    # Last: the project itself, for the role cache's invalidation (jisik_portal/roles_cache.py).
    "jisik_portal.apps.PortalConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The user's roles from the cache: no page queries auth_group for its role checks.
    "jisik_portal.roles_cache.CachedRolesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A ServiceError no view handled: a Korean page with its reason, never a 500.
    "common.web.ServiceErrorMiddleware",
    # Axes last, as its docs ask: it turns a lockout into the Korean lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jisik_portal.urls"
WSGI_APPLICATION = "jisik_portal.wsgi.application"

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
                "org.context_processors.portal",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# Unset DATABASE_URL: an embedded SQLite file in WAL mode (readers don't block the writer).
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'jisik.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=wal; PRAGMA synchronous=normal;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://jisik"),
    # Each process's own memory, for what is the same for every request of a release (the
    # layout's links and menu: templates/base.html's {% cache ... using="layout" %}).
    "layout": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "jisik-layout",
    },
}
if "key_prefix" in CACHES["default"]:
    # django-environ reads CACHE_URL's ?key_prefix= but hands it over lower-cased, which
    # Django ignores: two portals (or a test's worker) sharing one Redis keep apart by it.
    CACHES["default"]["KEY_PREFIX"] = CACHES["default"].pop("key_prefix")
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same backend, one Redis client per pool instead of one per operation (common/cache.py).
    CACHES["default"]["BACKEND"] = "common.cache.PortalRedisCache"
# Sessions: with a shared cache (CACHE_URL: Redis in production) read from the cache and
# written through to the database (cached_db), so a page loads its session with no query and a
# flushed Redis logs nobody out. Without one (development, tests), the database alone: a
# per-process memory cache would only hide the sessions' queries from the query-count tests.
SESSION_ENGINE = env.str(
    "SESSION_ENGINE",
    default=(
        "django.contrib.sessions.backends.cached_db"
        if os.environ.get("CACHE_URL")
        else "django.contrib.sessions.backends.db"
    ),
)

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
if CELERY_BROKER_URL:
    CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
else:
    # No broker: run tasks in-process, so `make run` needs no server.
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
    CELERY_RESULT_BACKEND = "cache+memory://"
CELERY_TIMEZONE = "Asia/Seoul"
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic jobs; each is also a management command for a server without a worker.
# The jobs and their crontabs live in programme/schedule.py (no Django imports there).
# PROGRAMME_BEAT_EVERY_SECONDS fires them every few seconds instead (the CI test of beat);
# PROGRAMME_BEAT_ONLY keeps just the named jobs.
from programme.schedule import beat_schedule  # noqa: E402

CELERY_BEAT_SCHEDULE: dict[str, dict] = beat_schedule(
    every_seconds=env.int("PROGRAMME_BEAT_EVERY_SECONDS", default=0),
    only=env.list("PROGRAMME_BEAT_ONLY", default=[]),
)

# --- Auth -----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "org.validators.CharacterKindsValidator", "OPTIONS": {"min_kinds": 2}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "org.validators.KoreanCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock a username from one address after 5 failures, for 30 minutes...
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# ...and an address after 20 failures over any usernames, which a success does not clear
# (org/lockout.py): one address can no longer guess through the staff list.
AXES_HANDLER = "org.lockout.AddressLockoutHandler"
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Every per-address limit takes the client address from common.clientip: X-Forwarded-For is
# read through TRUSTED_PROXY_COUNT proxies of ours (0, the default: not at all). Behind one
# nginx on the same machine, TRUSTED_PROXY_COUNT=1 (deploy/jisik.env.example).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "common.clientip.client_ip"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 9  # a working day
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
# HTTPS only, when served over TLS (deploy/jisik.env.example turns these on). /healthz stays
# reachable over plain HTTP from the machine itself, for the health check.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# An intranet host name cannot be on the browsers' public HSTS preload list: without
# SECURE_HSTS_PRELOAD, `check --deploy` is told so instead of warning (docs/production.md).
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from the portal
# only (every asset is vendored), no inline script, no plugin, no framing. Inline style
# attributes (progress bars, chart bars) are allowed; <style> elements are not.
# CSP_REPORT_ONLY=1 sends the same policy as Content-Security-Policy-Report-Only. It is
# enforced everywhere by default, tests included: the browser tests load axe-core from
# /static/vendor/axe-core/ (conftest.axe_violations), never as an inline script.
_CSP_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"report-uri": [env.str("CSP_REPORT_URI")]} if env.str("CSP_REPORT_URI", "") else {}),
    }
}
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP_POLICY
else:
    CONTENT_SECURITY_POLICY = _CSP_POLICY

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "ko-kr"
LANGUAGES = [("ko", "한국어")]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and uploaded files ------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploads live outside the static root and are served only through permission-checking views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not (DEBUG or TESTING))
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email ------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="지식나눔 <jisik@junggu.seoul.kr>")

# --- Forms ------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line is redacted: no resident's e-mail, phone or registration number in a log.
    "formatters": {
        "plain": {
            "()": "common.redact.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Accounts and directory login (org) ------------------------------------------------------
# An account an admin gave a password is kept on the password change page until it chooses
# its own (org.views.LoginView sets the flag in the session; no query per request).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "org.middleware.PasswordChangeRequiredMiddleware",
)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 3600)

# Directory login (LDAP / Active Directory), only when LDAP_SERVER_URI is set. The account is
# found by the directory's employee number (= 직원번호 of the HR import). For Active Directory:
# LDAP_USER_FILTER="(&(sAMAccountName=%(user)s)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))"
# and LDAP_EMPLOYEE_NUMBER_ATTR=employeeID. LDAP_ROLE_GROUPS maps portal roles to groups:
# "실무평가단=cn=panel,ou=groups,dc=example;지식나눔 관리자=cn=admins,ou=groups,dc=example".
LDAP_SERVER_URI = env.str("LDAP_SERVER_URI", default="")
if LDAP_SERVER_URI:
    import ldap
    from django_auth_ldap.config import GroupOfNamesType, LDAPSearch

    AUTH_LDAP_SERVER_URI = LDAP_SERVER_URI
    AUTH_LDAP_BIND_DN = env.str("LDAP_BIND_DN", default="")
    AUTH_LDAP_BIND_PASSWORD = env.str("LDAP_BIND_PASSWORD", default="")
    AUTH_LDAP_START_TLS = env.bool("LDAP_START_TLS", default=False)
    AUTH_LDAP_USER_SEARCH = LDAPSearch(
        env.str("LDAP_USER_BASE"),
        ldap.SCOPE_SUBTREE,
        env.str("LDAP_USER_FILTER", default="(uid=%(user)s)"),
    )
    AUTH_LDAP_USER_ATTR_MAP = {"first_name": "givenName", "last_name": "sn", "email": "mail"}
    if env.str("LDAP_GROUP_BASE", default=""):
        AUTH_LDAP_GROUP_SEARCH = LDAPSearch(
            env.str("LDAP_GROUP_BASE"), ldap.SCOPE_SUBTREE, "(objectClass=groupOfNames)"
        )
        AUTH_LDAP_GROUP_TYPE = GroupOfNamesType()
    DIRECTORY_EMPLOYEE_NUMBER_ATTR = env.str("LDAP_EMPLOYEE_NUMBER_ATTR", default="employeeNumber")
    DIRECTORY_DEPARTMENT_ATTR = env.str("LDAP_DEPARTMENT_ATTR", default="departmentNumber")
    DIRECTORY_ROLE_GROUPS = dict(
        item.split("=", 1) for item in env.str("LDAP_ROLE_GROUPS", default="").split(";") if item
    )
    AUTHENTICATION_BACKENDS.insert(
        AUTHENTICATION_BACKENDS.index("django.contrib.auth.backends.ModelBackend"),
        "org.directory.DirectoryBackend",
    )

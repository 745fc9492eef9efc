"""Settings shared by every way of running Commonweal; each is read from the environment where it varies."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "commonweal"
# Where the SQLite database and other run-time files live; never inside the package.
VAR_DIR = Path(os.environ.get("COMMONWEAL_VAR_DIR", BASE_DIR / "var"))
# The reference data (ONS boundaries, IMD, lookups) councils are loaded from: the five seed councils' copy
# shipped in the package, unless COMMONWEAL_SHARED_DATA names another folder of the same layout.
REFERENCE_DATA_DIR = Path(os.environ.get("COMMONWEAL_SHARED_DATA") or PACKAGE_DIR / "places" / "reference")
# Where `commonweal fetch_reference_data` downloads another council's reference data from: the ONS Open
# Geography Portal's ArcGIS services and MHCLG's indices of deprivation 2019 (File 7: every column in one CSV).
REFERENCE_DATA_ONS_URL = "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services"
REFERENCE_DATA_IMD_URL = (
    "https://assets.publishing.service.gov.uk/media/5dc407b440f0b6379a7acc8d/"
    "File_7_-_All_IoD2019_Scores__Ranks__Deciles_and_Population_Denominators_3.csv"
)

INSECURE_SECRET_KEY = "insecure-commonweal-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("COMMONWEAL_SECRET_KEY", INSECURE_SECRET_KEY)
DEBUG = os.environ.get("COMMONWEAL_DEBUG", "").lower() in {"1", "true", "yes"}
ALLOWED_HOSTS = [h for h in os.environ.get("COMMONWEAL_ALLOWED_HOSTS", "").split(",") if h]

# Demo mode marks every page as a demo and lets demo officers skip the authenticator app.
# production.py refuses to start with either switched on.
COMMONWEAL_DEMO = os.environ.get("COMMONWEAL_DEMO", "").lower() in {"1", "true", "yes"}
COMMONWEAL_DEMO_MFA_EXEMPT = COMMONWEAL_DEMO
# Where people reach this platform: links in emails (reminders, decisions) start with it.
COMMONWEAL_BASE_URL = os.environ.get("COMMONWEAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Map base tiles are optional: without a tile server the maps show boundaries on a plain ground,
# so nothing is fetched from a third party unless the council configures it.
COMMONWEAL_MAP_TILE_URL = os.environ.get("COMMONWEAL_MAP_TILE_URL", "")
COMMONWEAL_MAP_TILE_ATTRIBUTION = os.environ.get("COMMONWEAL_MAP_TILE_ATTRIBUTION", "")

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
    "auditlog",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # Our apps, lowest layer first: framework, places and accounts underpin everything else.
    "commonweal.core",
    "commonweal.framework",
    "commonweal.places",
    "commonweal.accounts",
    # The capabilities: the directory first, everything else builds on it.
    "commonweal.directory",
    "commonweal.funding",
    "commonweal.solutions",
    "commonweal.engagement",
    "commonweal.panels",
    # The front door sits above every capability it brings together.
    "commonweal.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "commonweal.accounts.middleware.StaffSessionLimitMiddleware",
    "commonweal.accounts.middleware.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "commonweal.urls"
WSGI_APPLICATION = "commonweal.wsgi.application"

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
                "commonweal.home.context_processors.platform",
            ],
        },
    },
]
# GOV.UK markup for every Django form field, so forms need no per-page layout code.
FORM_RENDERER = "commonweal.core.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'commonweal.sqlite3'}"),
        conn_max_age=int(os.environ.get("COMMONWEAL_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers and one writer work at once; IMMEDIATE stops 'database is locked' on upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "commonweal.accounts.passwords.BreachedPasswordValidator"},
]
# Passwords known from breaches: a file in Have I Been Pwned's "SHA-1, ordered by hash" format (one
# `HASH:COUNT` a line, sorted). The shipped default holds the SHA-1s of Django's common-passwords list; a council
# drops in the full HIBP file (docs in commonweal/accounts/passwords.py) and names it here.
COMMONWEAL_BREACHED_PASSWORDS_FILE = Path(
    os.environ.get("COMMONWEAL_BREACHED_PASSWORDS_FILE") or PACKAGE_DIR / "accounts" / "breached-passwords.txt"
)

# Proxy headers are believed only when the council says which proxies sit in front (ASVS V12/V14): otherwise a
# client could claim HTTPS or another address and dodge the sign-in throttle. COMMONWEAL_TRUSTED_PROXIES is the
# number of reverse proxies that append to X-Forwarded-For and set X-Forwarded-Proto; 0 (the default) trusts none.
COMMONWEAL_TRUSTED_PROXIES = int(os.environ.get("COMMONWEAL_TRUSTED_PROXIES", "0") or 0)
ALLAUTH_TRUSTED_PROXY_COUNT = COMMONWEAL_TRUSTED_PROXIES
if COMMONWEAL_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# People who need two-factor sign-in are signed out after 30 minutes idle or 12 hours in all (ASVS 3.3).
COMMONWEAL_STAFF_SESSION_IDLE_SECONDS = int(os.environ.get("COMMONWEAL_STAFF_SESSION_IDLE_SECONDS", str(30 * 60)))
COMMONWEAL_STAFF_SESSION_MAX_SECONDS = int(os.environ.get("COMMONWEAL_STAFF_SESSION_MAX_SECONDS", str(12 * 60 * 60)))

# A database cache, so login throttling counts failures across every server process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "commonweal_cache",
        # Django's default of 300 entries is fewer than the directory keeps for its everyday searches (a page of
        # results, a form, an API page each): past it, every write would throw a third of the cache away.
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

# Sign-in: email and password, TOTP for officers and above (enforced by RequireTwoFactorMiddleware).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
# Failed sign-ins are throttled per account and per address; allauth explains the wait in the form.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "password_reset": "20/m/ip,5/5m/key",
    "signup": "5/h/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
# Passkeys here are a second factor after the password, not a password replacement.
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG or os.environ.get("COMMONWEAL_WEBAUTHN_INSECURE_ORIGIN", "") == "true"
# Abuse (issue 10): a honeypot on sign-up, from the platform's kernel (core.forms.HoneypotMixin).
ACCOUNT_FORMS = {
    name: f"commonweal.accounts.forms.{form}"
    for name, form in (
        ("signup", "SignupForm"),
        ("login", "LoginForm"),
        ("change_password", "ChangePasswordForm"),
        ("set_password", "SetPasswordForm"),
        ("reset_password", "ResetPasswordForm"),
        ("reset_password_from_key", "ResetPasswordKeyForm"),
        ("add_email", "AddEmailForm"),
    )
}
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website"
MFA_TOTP_ISSUER = "Commonweal"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home:your_home"

EMAIL_BACKEND = os.environ.get("COMMONWEAL_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("COMMONWEAL_FROM_EMAIL", "commonweal@localhost")
# SMTP (with COMMONWEAL_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend), all from the environment.
EMAIL_HOST = os.environ.get("COMMONWEAL_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("COMMONWEAL_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("COMMONWEAL_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("COMMONWEAL_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("COMMONWEAL_EMAIL_USE_TLS", "true").lower() == "true"
EMAIL_TIMEOUT = 30
# GOV.UK Notify (with COMMONWEAL_EMAIL_BACKEND=commonweal.core.notify.NotifyEmailBackend): see core/notify.py.
COMMONWEAL_NOTIFY_API_KEY = os.environ.get("COMMONWEAL_NOTIFY_API_KEY", "")
COMMONWEAL_NOTIFY_TEMPLATE_ID = os.environ.get("COMMONWEAL_NOTIFY_TEMPLATE_ID", "")
COMMONWEAL_NOTIFY_BASE_URL = os.environ.get("COMMONWEAL_NOTIFY_BASE_URL", "")
# A job running longer than this (seconds) was left by a worker that died: it is reported failed (core.jobs).
COMMONWEAL_JOB_ABANDONED_SECONDS = int(os.environ.get("COMMONWEAL_JOB_ABANDONED_SECONDS", str(2 * 60 * 60)))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages are compiled from npm into commonweal/static/dist by `make build`.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Uploaded files (application attachments) are never served directly: views check who may see them.
MEDIA_ROOT = VAR_DIR / "media"
# The council's 360Giving prefix (registered with 360Giving), used for grant ids: 360G-<prefix>-<reference>.
COMMONWEAL_360GIVING_PREFIX = os.environ.get("COMMONWEAL_360GIVING_PREFIX", "360G-commonweal")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Strict Content Security Policy: our own origin only, and a nonce for the one inline script
# GOV.UK Frontend needs to mark the page as JavaScript-enabled.
_tile_host = COMMONWEAL_MAP_TILE_URL.split("/{")[0] if COMMONWEAL_MAP_TILE_URL else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([_tile_host] if _tile_host else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("COMMONWEAL_LOG_LEVEL", "WARNING")},
}

# Background work (imports, reminders, exports): django-tasks with its database backend. Run the worker
# with `commonweal db_worker`; tests run tasks immediately in-process.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

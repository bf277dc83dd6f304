"""Production settings of the workspace; everything secret or site-specific comes from the environment.

``FAIRPROCURE_HOME``          data directory (database, uploads, generated secret key)
``FAIRPROCURE_SECRET_KEY``    Django secret key (else generated once into the home directory)
``FAIRPROCURE_DATABASE_URL``  ``postgresql://...`` to use PostgreSQL instead of SQLite
``FAIRPROCURE_ALLOWED_HOSTS`` comma-separated host names (default: localhost only)
``FAIRPROCURE_HTTPS``         ``1`` behind TLS: secure cookies, HSTS, redirect to https
``FAIRPROCURE_MAX_UPLOAD_MB`` largest accepted upload (default 200)
``FAIRPROCURE_WORKERS``       screenings run at once (default 2), each in its own process
``FAIRPROCURE_STREAM_ABOVE_MB`` uploads above this size are streamed (default 16): memory stays flat
``FAIRPROCURE_EMAIL_HOST``    send mail (password resets, supplier invitations) through this SMTP server;
                              unset: mail is printed to the server's console. ``FAIRPROCURE_EMAIL_PORT``
                              (587), ``FAIRPROCURE_EMAIL_USER``, ``FAIRPROCURE_EMAIL_PASSWORD``,
                              ``FAIRPROCURE_EMAIL_TLS`` (``1``: STARTTLS, default; ``ssl``: implicit TLS; ``0``)
``FAIRPROCURE_EMAIL_FROM``    sender of the workspace's mail (default ``fairprocure@localhost``)
``FAIRPROCURE_BASE_URL``      the workspace's address in mailed links (default ``http://localhost:8000``)
"""

from __future__ import annotations

import os

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from fairprocure.web.database import database_settings
from fairprocure.web.home import home, secret_key

HOME = home()
UPLOAD_DIR = HOME / "uploads"
SECRET_KEY = secret_key()
DEBUG = False  # never debug pages here; there is no switch for it
ALLOWED_HOSTS = os.environ.get("FAIRPROCURE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "fairprocure.web.offices",
    "fairprocure.web.accounts",
    "fairprocure.web.audit",
    "fairprocure.web.screenings",
    "fairprocure.web.register",
    "fairprocure.web.dashboard",
    "fairprocure.web.kpis",
    "fairprocure.web.contracts",
    "fairprocure.web.plans",
    "fairprocure.web.activities",
    "fairprocure.web.reports",
    "fairprocure.web.clauses",
    "fairprocure.web.tenders",
    "fairprocure.web.monitoring",
    "fairprocure.web.findings",
    "fairprocure.web.grievances",
    "fairprocure.web.suppliers",
    "fairprocure.web.questionnaires",
    "fairprocure.web.review",
    "fairprocure.web.api",
    "fairprocure.web.evidence",
]

MIDDLEWARE = [
    # Pages, API answers and streamed CSV exports compressed for clients that accept gzip (about a tenth
    # of the bytes for the register's pages); Django adds random bytes against BREACH-style guessing.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "fairprocure.web.suppliers.middleware.PortalOnlyMiddleware",
]

ROOT_URLCONF = "fairprocure.web.urls"
WSGI_APPLICATION = "fairprocure.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.path.join(os.path.dirname(__file__), "templates")],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fairprocure.web.accounts.context.workspace",
            ]
        },
    }
]

DATABASES = {"default": database_settings(os.environ.get("FAIRPROCURE_DATABASE_URL"), HOME)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Authentication: argon2 first, django-axes throttles failed logins.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
# Lock the *combination* of user name and address: five wrong passwords for one name lock that name
# from that address only, so a made-up name cannot lock out everyone behind one office's NAT.
# Unlock early with `fairprocure users unlock NAME`.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # the dashboard, or a supplier's portal
LOGOUT_REDIRECT_URL = "login"

PASSWORD_RESET_TIMEOUT = 3 * 3600  # a reset link works for three hours

# Secure headers and cookies.
HTTPS = os.environ.get("FAIRPROCURE_HTTPS") == "1"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only the workspace's own scripts, styles and images; no inline
# script or style (the pages use classes and static/fairprocure/workspace.js), no eval (htmx's
# allowEval is off), no plugins, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Uploads: a size limit here, type checks in the upload form.
MAX_UPLOAD_MB = int(os.environ.get("FAIRPROCURE_MAX_UPLOAD_MB", "200"))
# Screening jobs: worker threads, each job in a child process; large inputs streamed.
SCREENING_WORKERS = max(1, int(os.environ.get("FAIRPROCURE_WORKERS", "2")))
STREAM_ABOVE_MB = int(os.environ.get("FAIRPROCURE_STREAM_ABOVE_MB", "16"))
SCREENINGS_IN_CHILD = True  # tests that replace the engine run jobs in their own thread
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Languages: English and Russian, dates and numbers in the reader's locale.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [os.path.join(os.path.dirname(__file__), "locale")]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [os.path.join(os.path.dirname(__file__), "static")]
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step

# E-mail (password resets, invitations and reminders to suppliers): the console unless an SMTP host is set.
EMAIL_HOST = os.environ.get("FAIRPROCURE_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("FAIRPROCURE_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("FAIRPROCURE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("FAIRPROCURE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("FAIRPROCURE_EMAIL_TLS", "1") == "1"
EMAIL_USE_SSL = os.environ.get("FAIRPROCURE_EMAIL_TLS") == "ssl"  # implicit TLS (port 465)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("FAIRPROCURE_EMAIL_FROM", "fairprocure@localhost")
FAIRPROCURE_BASE_URL = os.environ.get("FAIRPROCURE_BASE_URL", "http://localhost:8000")

# The rendered dashboard figures (dashboard/views.py), a few per office scope, kept in files under the
# data home so that every process of `serve --processes N` reuses what one of them computed (each
# organisation-wide computation costs seconds of CPU at 1,000,000 lines).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(HOME / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 500},
    }
}

# After a screening is brought in, compute the dashboard's figures of every scope and language in the
# job runner (dashboard/views.py warm) rather than on its first readers' requests.
DASHBOARD_WARM = os.environ.get("FAIRPROCURE_DASHBOARD_WARM", "1") == "1"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"fairprocure": {"handlers": ["console"], "level": "INFO"}},
}

"""Common Ground settings: one module, every value from the environment, parsed strictly.

See README.md ("Configuration") for the variables. Nothing here should need editing for a deploy.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from commonground.lib.env import (
    ConfigError,
    env_bool,
    env_int,
    env_list,
    env_str,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("CG_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = env_bool("CG_PRODUCTION", False)
DEBUG = env_bool("CG_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ConfigError("CG_DEBUG=true is not allowed together with CG_PRODUCTION=true")

SECRET_KEY = env_str("CG_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ConfigError("CG_SECRET_KEY must be set when CG_PRODUCTION=true")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production-0123456789abcdefghij"
elif PRODUCTION and len(SECRET_KEY) < 50:
    raise ConfigError("CG_SECRET_KEY must be at least 50 characters long in production")

ALLOWED_HOSTS = env_list(
    "CG_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ConfigError("CG_ALLOWED_HOSTS must list the host names when CG_PRODUCTION=true")
CSRF_TRUSTED_ORIGINS = env_list("CG_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("CG_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

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
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "commonground.jobs",
    "commonground.accounts",
    "commonground.coalitions",
    "commonground.organisations",
    "commonground.places",
    "commonground.marketplace",
    "commonground.network",
    "commonground.municipal",
    "commonground.stakeholders",
    "commonground.relationships",
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
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "commonground.urls"
WSGI_APPLICATION = "commonground.wsgi.application"

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
                "django.template.context_processors.i18n",
                "commonground.coalitions.context.coalition_nav",
            ],
        },
    }
]

DATABASES = {
    "default": parse_database_url(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'commonground.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = env_list(
    "CG_PASSWORD_HASHERS",
    [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ],
)
INVITATION_DAYS = env_int("CG_INVITATION_DAYS", 14)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "commonground" / "locale"]
USE_I18N = True
TIME_ZONE = env_str("CG_TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("CG_STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS: list[Path] = [BASE_DIR / "static"]
# Leaflet's files come from the django-leaflet package; the app itself is not installed (it
# would pull in GeoDjango, which we do without), only its static folder is served.
_leaflet = importlib.util.find_spec("leaflet")
if _leaflet and _leaflet.submodule_search_locations:
    STATICFILES_DIRS.append(Path(next(iter(_leaflet.submodule_search_locations))) / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
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
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
# Uploads above this size are refused before they are read (bytes).
MAX_UPLOAD_SIZE = env_int("CG_MAX_UPLOAD_MB", 20) * 1024 * 1024
# Spatial layers can be far larger than tables (a city's buildings).
MAX_LAYER_UPLOAD_SIZE = env_int("CG_MAX_LAYER_MB", 500) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email: printed on the console unless an SMTP host is configured.
DEFAULT_FROM_EMAIL = env_str("CG_EMAIL_FROM", "Common Ground <noreply@localhost>")
EMAIL_HOST = env_str("CG_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("CG_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("CG_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env_str("CG_EMAIL_PASSWORD")
    EMAIL_USE_TLS = env_bool("CG_EMAIL_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# The map's basemap: none by default (deployments can be offline); e.g.
# CG_MAP_TILE_URL=https://tile.openstreetmap.org/{z}/{x}/{y}.png
MAP_TILE_URL = env_str("CG_MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = env_str("CG_MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")

# Background jobs: the database is the queue; the worker polls this often (seconds).
JOBS_POLL_INTERVAL = float(env_int("CG_JOBS_POLL_MS", 1000)) / 1000

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + ([] if PRODUCTION else ["rest_framework.renderers.BrowsableAPIRenderer"]),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Common Ground API",
    "DESCRIPTION": "Coalitions, memberships, organisations and contacts. Token auth: "
    "send `Authorization: Token <key>`; create a key on your account page.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrganisationLevelEnum": "commonground.organisations.vocabularies.OrgLevel",
        "AreaLevelEnum": "commonground.places.models.AreaLevel",
        "NeedStatusEnum": "commonground.marketplace.models.NeedStatus",
        "OfferStatusEnum": "commonground.marketplace.models.OfferStatus",
        "MatchStatusEnum": "commonground.marketplace.models.MatchStatus",
        "RunStatusEnum": "commonground.places.models.RunStatus",
        "LayerStatusEnum": "commonground.places.models.LayerStatus",
        "LayerKindEnum": "commonground.places.models.LayerKind",
        "OrganisationTypeEnum": "commonground.organisations.vocabularies.OrgType",
        "NetworkStatusEnum": "commonground.network.models.Status",
        "NetworkKindEnum": "commonground.network.models.Kind",
        "RelationshipTypeEnum": "commonground.relationships.models.RelationshipType",
        # "role" is a membership role and a municipal session participant's role.
        "RoleEnum": "commonground.coalitions.roles.Role",
        "MunicipalParticipantRoleEnum": "commonground.municipal.models.ParticipantRole",
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("CG_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("CG_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("CG_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CG_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Outside production, serve static files straight from the apps and packages (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

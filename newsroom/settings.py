"""Settings for Newsroom, read from environment variables.

Development defaults are safe: SQLite in the project folder and a local-memory
cache. With DJANGO_DEBUG off (the default) the site refuses to start without a
real secret key and allowed hosts. Every variable is documented in README.md.
"""

import os
import zoneinfo
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django_prose_editor.config import DEFAULT_MENU_GROUPS, html_tags
from js_asset import static_lazy

from newsroom.lib import embeds

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG", False)

# Used only when DEBUG is on; production must set its own.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-in-production"  # noqa: S105 - debug only
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

if DEBUG:
    SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
else:
    # The same bar as Django's deploy check (security.W009).
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters when DJANGO_DEBUG "
            "is off. For local development set DJANGO_DEBUG=1, or use `make demo`."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS must list the host names this site answers to (comma-separated) "
            "when DJANGO_DEBUG is off."
        )

SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "The Newsroom")
SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "desk.apps.DeskAdminConfig",  # django.contrib.admin, with the desk dashboard
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "reversion",
    "csp",
    "axes",
    "django_prose_editor",
    "js_asset",
    "adminsortable2",
    "pictures",
    "authors",
    "articles",
    "desk",
    "fronts",
    "public",
    "wire",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and authentication: a cached page for an anonymous reader costs no more.
    "public.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.lib.security.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a 429.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Login throttling: after AXES_FAILURE_LIMIT failures for a user name from an address, that
    # pair is locked out for AXES_COOLOFF_TIME.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsroom.urls"
# Staff log in at the desk and land there (Django's defaults, /accounts/…, are pages we do not
# have: a login with an unsafe ?next= ended on a 404).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        # Readers' pages: Jinja2 renders our listings several times faster than the DTL.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "newsroom.jinja2.environment",
            "context_processors": ["public.context_processors.site"],
        },
    },
    {
        # The admin and its overrides.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the one writer work at once; IMMEDIATE takes the write lock up
    # front so concurrent saves wait for each other instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side parameters let psycopg prepare the statements a page runs again and again:
    # PostgreSQL then plans each once per connection instead of on every request (about 1 ms each).
    prepare_threshold = os.environ.get("NEWSROOM_DB_PREPARE_THRESHOLD", "2")
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": int(prepare_threshold) if prepare_threshold else None,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "newsroom.lib.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "pages"}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Shared by every worker through the database (manage.py createcachetable makes the table).
        "pages": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "newsroom_page_cache"},
    }
# Rendered cards and stories (public.fragments) live in each process's memory: their keys carry
# the shared content version, so a change anywhere makes every process render afresh, and reading
# them costs microseconds. NEWSROOM_FRAGMENT_CACHE=0 turns them off (a dummy cache).
CACHES["fragments"] = (
    {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
    if env_flag("NEWSROOM_FRAGMENT_CACHE", True)
    else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
)
# The full-page cache for anonymous readers: on by default when Redis is there to share it.
PAGE_CACHE = env_flag("NEWSROOM_PAGE_CACHE", bool(REDIS_URL))
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_SECONDS = int(os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", "60"))
# /_bench/ceiling/: a hello-world view behind the same middleware, for `make bench` only.
BENCH = env_flag("NEWSROOM_BENCH", False)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("NEWSROOM_TIME_ZONE", "UTC")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
    raise ImproperlyConfigured(f"NEWSROOM_TIME_ZONE {TIME_ZONE!r} is not a known time zone.") from error
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("NEWSROOM_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("NEWSROOM_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Files served at the site root, such as /favicon.ico.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# Media on S3-compatible storage (AWS, MinIO, R2…) when a bucket is named; credentials come from
# the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables. Every file goes through the
# storage API, so nothing else changes.
S3_BUCKET = os.environ.get("NEWSROOM_S3_BUCKET", "")
MEDIA_DOMAIN = os.environ.get("NEWSROOM_MEDIA_DOMAIN", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("NEWSROOM_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("NEWSROOM_S3_REGION") or None,
            "custom_domain": MEDIA_DOMAIN or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
            # Picture files never change once written (new uploads get new names).
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
elif MEDIA_DOMAIN:
    MEDIA_URL = f"https://{MEDIA_DOMAIN}/"

# Uploaded pictures: the largest file and the most pixels accepted (Pillow's bomb guard).
IMAGE_MAX_BYTES = int(os.environ.get("NEWSROOM_IMAGE_MAX_BYTES", 20 * 1000 * 1000))
IMAGE_MAX_PIXELS = int(os.environ.get("NEWSROOM_IMAGE_MAX_PIXELS", 40 * 1000 * 1000))
# Wire packages' pictures named by URL are fetched only from these hosts (none by default);
# the address each resolves to must be public. The override is for the tests' loopback server only.
WIRE_FETCH_HOSTS = env_list("NEWSROOM_WIRE_FETCH_HOSTS")
WIRE_FETCH_ALLOW_PRIVATE = False
# Django serves uploaded media itself only when asked (make demo); production serves it
# from a web server, a separate media domain or S3 (see README).
SERVE_MEDIA = env_flag("NEWSROOM_SERVE_MEDIA", DEBUG)

# Login throttling (django-axes). Behind a proxy, set NEWSROOM_PROXY_COUNT so the reader's own
# address is taken from X-Forwarded-For rather than the proxy's.
AXES_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("NEWSROOM_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# The client's address, for throttling: see newsroom.lib.security.client_address.
PROXY_COUNT = int(os.environ.get("NEWSROOM_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "newsroom.lib.security.client_address"

# Requests: Django's own limits, stated (and tested): 1,000 form fields, 100 files, 2.5 MB of
# form data outside file uploads.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1_000
DATA_UPLOAD_MAX_NUMBER_FILES = 100
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Wire copy pushed to /wire/push/ is read as a stream with its own limit (wire/push.py): a zip of
# a package with its pictures is far larger than any form.
WIRE_PUSH_MAX_BYTES = int(os.environ.get("NEWSROOM_WIRE_PUSH_MAX_BYTES", 100 * 1000 * 1000))

# Content-Security-Policy (django-csp): our own scripts, styles and fonts only; images also from
# the media domain. The preview page relaxes frame-ancestors to our own origin.
MEDIA_ORIGINS = [f"https://{MEDIA_DOMAIN}"] if MEDIA_DOMAIN else []
if S3_BUCKET and not MEDIA_DOMAIN:
    MEDIA_ORIGINS = [os.environ.get("NEWSROOM_S3_ENDPOINT_URL") or f"https://{S3_BUCKET}.s3.amazonaws.com"]
# Embeds by URL (newsroom/lib/embeds.py): the iframe providers whose players a story may load once
# the reader asks (by default all of them); any other embed is a link card. Empty: cards only.
NEWSROOM_EMBED_PROVIDERS = embeds.check_providers(
    env_list("NEWSROOM_EMBED_PROVIDERS", ",".join(embeds.IFRAME_PROVIDERS))
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        # Exactly the live embed providers' players; nothing else is ever framed.
        "frame-src": [f"https://{host}" for host in embeds.frame_hosts(NEWSROOM_EMBED_PROVIDERS)] or [NONE],
    }
}

# Security. NEWSROOM_HTTPS defaults on in production; off for `make demo` and benchmarks
# over plain HTTP on loopback.
HTTPS = env_flag("NEWSROOM_HTTPS", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
if HTTPS:
    # The site runs behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_flag("NEWSROOM_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

# The story body's blocks in the desk's editor (static/desk/blocks.js; the stored forms are the
# ones newsroom.lib.html.clean keeps). Its Table, TableCell and TableHeader replace prose-editor's:
# a header row, cells of paragraphs, no spans. The tags listed here document each block; the body
# itself is cleaned by newsroom.lib.html.clean, not by prose-editor's allow-list.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("desk/blocks.js")],
        "extensions": {
            "BodyPicture": html_tags(["figure"], {"figure": ["data-picture", "data-size"]}),
            "BodyGallery": html_tags(["figure"], {"figure": ["data-gallery"]}),
            "BodyPullQuote": html_tags(["figure", "blockquote", "p", "figcaption"], {"figure": ["data-pullquote"]}),
            "BodyFactBox": html_tags(["aside", "h3", "p", "ul", "ol", "li"], {"aside": ["data-factbox"]}),
            "BodyEmbed": html_tags(["figure", "figcaption"], {"figure": ["data-embed", "data-url"]}),
            "BodyPaste": html_tags([]),
            "Table": html_tags(["table", "thead", "tbody", "tr", "th", "td"]),
            "TableCell": html_tags([]),
            "TableHeader": html_tags([]),
        },
    }
]
# The blocks' menu items ("Picture", "Gallery", …) are a group of their own, after the links.
DJANGO_PROSE_EDITOR_MENU_GROUPS = [
    *DEFAULT_MENU_GROUPS[: DEFAULT_MENU_GROUPS.index({"group": "link"}) + 1],
    {"group": "blocks"},
    *DEFAULT_MENU_GROUPS[DEFAULT_MENU_GROUPS.index({"group": "link"}) + 1 :],
]

# "China" and "china" are one tag.
TAGGIT_CASE_INSENSITIVE = True
TAGGIT_TAGS_FROM_STRING = "articles.models.tag_names"

# How often a story's open change form says so (presence); three missed beats and it has gone.
PRESENCE_HEARTBEAT_SECONDS = int(os.environ.get("NEWSROOM_PRESENCE_HEARTBEAT_SECONDS", "20"))

# How long an editor's share link to an unpublished article works.
SHARE_LINK_HOURS = int(os.environ.get("NEWSROOM_SHARE_LINK_HOURS", "48"))

# How long a story deleted at the desk stays in the trash, restorable, before purge_trash deletes it.
TRASH_DAYS = int(os.environ.get("NEWSROOM_TRASH_DAYS", "30"))

LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "WARNING").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The level applies to the handler too, so Django's own loggers (which propagate here) obey it.
    "handlers": {"console": {"class": "logging.StreamHandler", "level": LOG_LEVEL}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

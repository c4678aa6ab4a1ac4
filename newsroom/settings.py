"""Settings for the Caucasus Center Newsroom.

Everything comes from the environment (docs/configuration.md lists it). The defaults are
the embedded run of `make run`: SQLite, Celery tasks eager in-process, e-mail written to
files under var/mail/, a local-memory cache. Production sets the variables.
"""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# The checkout's `.env` fills in what the environment leaves unset, so that every command
# run here (`manage.py import_archive`, `publish_due`, …) has the settings of the site
# served: `make run` writes one with DEBUG and SITE_URL, unless you wrote your own. The
# environment wins over the file. NEWSROOM_ENV_FILE names another file, or none when empty
# (the tests: a developer's `.env` must not change what they check).
ENV_FILE = env.str("NEWSROOM_ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE)

DEBUG = env.bool("DEBUG", default=False)

# Only for DEBUG runs on a developer's machine; with DEBUG off a real key is required.
_DEV_SECRET_KEY = "insecure-development-key-for-make-run-only"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = _DEV_SECRET_KEY
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random string of at least 50 characters when DEBUG "
        'is off. Generate one with: python -c "import secrets; print(secrets.token_urlsafe(64))"'
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Caucasus Center"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "taggit",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "csp",
    "reversion",
    "axes",
    "base",
    "outbox",
    "articles",
    "submissions",
    "notifications",
    "newsroom.apps.ProjectConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # An address or a parameter with a control character never reaches a view or the database.
    "base.requests.RefuseControlCharactersMiddleware",
    # An article URL asked for a citation format answers it here, above the page cache, so
    # that the cache never sees (let alone keeps) anything but the page.
    "articles.cite_views.CitationNegotiationMiddleware",
    # Then: a cached page is stored with the headers of everything below (CSP, permissions
    # policy, ETag) and served without running it again; it sees the cookie CSRF sets on a
    # page with a form and keeps that page uncached. It answers conditional requests itself.
    "base.pagecache.AnonymousPageCacheMiddleware",
    # A tagged answer to an anonymous reader is made keepable by the HTTP cache in front
    # (s-maxage, grace) with its tags; below the page cache, so a cached page keeps those
    # headers, and above the session and CSRF middleware, so it sees every cookie they set.
    "base.httpcache.HttpCacheMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of a page is in its path, nowhere else (base/languages.py).
    "base.languages.PathLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Old addresses of imported articles: a 404 becomes a 301.
    "articles.importer.redirects.OldAddressRedirectMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

# Public pages print a missing variable as nothing in production; tests and DEBUG runs fail
# on it, so that a misspelt name is found before a reader sees the gap.
TEMPLATES_FAIL_ON_UNDEFINED = env.bool("TEMPLATES_FAIL_ON_UNDEFINED", default=DEBUG)
TEMPLATES = [
    # The public site (readers and contributors) first: templates/jinja2/, compiled by Jinja2
    # (base/jinja2.py). Anything not there is Django's: the admin, e-mails, PDF editions.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "base.jinja2.environment",
            "context_processors": ["newsroom.context_processors.site"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://newsroom")}
# Sites sharing one Redis keep apart by a prefix.
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="")
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "base.cache.RedisCache"  # one client, not one per call
# The page cache's generation and the rate limits' counters live in the cache: with local
# memory every process keeps its own. See base/checks.py and docs/caching.md.
SHARED_CACHE = not CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Contributors' attachments: outside MEDIA_ROOT, never served by URL (see submissions/).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "base.staticfiles.StaticFilesStorage"
        )
    },
}
# `make run` serves static files straight from static/ without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# --- Mail -----------------------------------------------------------------------------------

if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Caucasus Center <newsroom@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EDITORS_EMAIL = env.str("EDITORS_EMAIL", default="editors@localhost")

# --- Celery -------------------------------------------------------------------------------------

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# Without a broker, tasks run in-process at the moment they are sent (the embedded run).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# An eager task still borrows a producer from the broker pool (Celery encodes its arguments
# as a real send would); with no broker that is an AMQP connection without a host, and kombu
# warns "No hostname was supplied" on every task. Kombu's in-process transport, given a
# host, is the embedded run's broker for that; nothing is ever published to it.
CELERY_BROKER_WRITE_URL = "" if CELERY_BROKER_URL else "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# A web request that enqueues while the broker is down must not hang: connecting is bounded
# and a failed publish is not retried (the outbox row stays pending and is handed over
# again by the beat task `resend_pending`).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    # A message taken by a worker that died goes back on the queue after this long.
    "visibility_timeout": 600,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = "UTC"

# --- Auth, i18n -----------------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin login is locked for a username from an address after AXES_FAILURE_LIMIT failures, and
# for an address trying any usernames after AXES_ADDRESS_FAILURE_LIMIT failures (password
# spraying; base/lockout.py), for AXES_COOLOFF_HOURS; `manage.py axes_reset` lifts every lock.
AXES_HANDLER = "base.lockout.AddressAwareHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = datetime.timedelta(hours=env.float("AXES_COOLOFF_HOURS", default=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "base.clientip.client_network"

# Who the client is, for every limit (base/clientip.py): 0 trusts only the peer's
# address; N reverse proxies of ours that append to X-Forwarded-For make it the Nth address
# from the right. The header is never trusted further than that: anyone can send it.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
if PROXY_COUNT < 0:
    raise ImproperlyConfigured("PROXY_COUNT is the number of proxies in front: 0 or more.")
# django-ratelimit's "ip" key follows the same rule.
RATELIMIT_IP_META_KEY = "base.clientip.client_ip"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The languages the site publishes in (base/languages.py): English first, the default, at
# addresses without a prefix; the others under /<code>/. A new language is a line here and a
# catalog in locale/. Right to left: Persian (Azerbaijani is written in Latin letters here).
LANGUAGES = [
    ("en", "English"),
    ("ru", "Russian"),
    ("az", "Azerbaijani"),
    ("hy", "Armenian"),
    ("ka", "Georgian"),
    ("fa", "Persian"),
]
LANGUAGES_BIDI = ["fa"]
# Machine pre-fill of translations (articles/translation_engines.py): off unless a deployment
# names an engine, as JSON in the environment, e.g.
# {"BACKEND": "articles.translation_engines.LibreTranslateEngine",
#  "OPTIONS": {"url": "http://127.0.0.1:5000", "api_key": ""}}
# or "articles.translation_engines.ArgosTranslateEngine". No engine or model ships here
# (README, "Machine translation (optional)"); the site works fully without one.
TRANSLATION_ENGINE = env.json("TRANSLATION_ENGINE", default=None)
LANGUAGE_CODE = "en"
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Security -------------------------------------------------------------------------------------
# Production sets the SECURE_* variables as docs/deployment.md shows; `manage.py check --deploy` is
# then clean.

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Request bodies: form text beyond this is refused (400) before it fills memory; uploads
# above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file; no form takes more than 10
# files. The submission form also checks the whole body's length before parsing it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Video briefings are embedded from these hosts only (articles.video).
VIDEO_EMBED_ORIGINS = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # The admin sets a few style attributes; no script may be inline.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": VIDEO_EMBED_ORIGINS,
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

# --- REST API ---------------------------------------------------------------------------------

API_ANON_RATE = env.str("API_ANON_RATE", default="60/min")
API_KEY_RATE = env.str("API_KEY_RATE", default="1200/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["base.api_keys.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["base.api_keys.ReadThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_RATE, "key": API_KEY_RATE},
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "base.api.NewsroomAutoSchema",
    "EXCEPTION_HANDLER": "base.api.json_errors",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Caucasus Center Newsroom API",
    "DESCRIPTION": "Read-only access to what the Caucasus Center has published. Anonymous "
    f"requests are limited to {API_ANON_RATE}; an API key (header X-Api-Key, issued by the "
    f"editors) raises the limit to {API_KEY_RATE}.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
# Anyone may read the API from a browser page of theirs.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "x-api-key", "if-none-match", "if-modified-since"]

# --- Logging -------------------------------------------------------------------------------------

# The console says what happened and what is wrong, not how the libraries work: a 4xx is
# one line (a refused request is the client's, not a fault; 5xx keep their traceback), the
# PDF printer's progress and font-subsetting chatter stay out, and a warning repeated for
# every PDF (e.g. a missing system library) is shown once per process.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "base.logs.ClientErrorsInOneLine",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "filters": {"once": {"()": "base.logs.OncePerProcess"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Without this, Django's own console handler (on with DEBUG) prints every django.*
        # message a second time, with the traceback of every 403; the root handler has them.
        "django": {"handlers": [], "level": LOG_LEVEL},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING", "filters": ["once"]},
        "fontTools": {"level": "WARNING"},
        # Eager tasks run inside the request that sent them: their success (a task done, a
        # PDF edition made) is not news. A worker's log keeps it.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
        "articles.editions": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}

# --- The newsroom ------------------------------------------------------------------------------

ARTICLES_PER_PAGE = 12
# Anonymous readers' pages are kept this long at most (base/pagecache.py); 0 turns it off.
# Off by default without a shared cache, except in a DEBUG run (one runserver process).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300 if SHARED_CACHE or DEBUG else 0)
# What says when the next scheduled article becomes public: no page is kept past it.
PAGE_CACHE_NEXT_PUBLICATION = "articles.models.next_publication"
# Parts of lists that change only with the content (a popular topic's count, an archive's
# months) are kept this long, emptied with the page cache; the same shared-cache rule.
FRAGMENT_CACHE_SECONDS = env.int(
    "FRAGMENT_CACHE_SECONDS", default=300 if SHARED_CACHE or DEBUG else 0
)

# The HTTP cache in front (Varnish, Fastly, Cloudflare; base/httpcache.py, docs/caching.md).
# Shared caches keep a tagged page this long: every change readers see purges it by tag, so
# the time only bounds what no purge announces (a call's deadline passing, a scheduled
# article before the beat marks it published a minute later).
HTTP_CACHE_SECONDS = env.int("HTTP_CACHE_SECONDS", default=600)
# Browsers cannot be purged: they keep a page no longer than a reader would notice.
HTTP_CACHE_BROWSER_SECONDS = env.int("HTTP_CACHE_BROWSER_SECONDS", default=60)
# After expiry the cache answers with the old page while one request rebuilds it (a
# minute covers a slow rebuild under load); when the site is down or answers 5xx, it keeps
# answering with the last good page for a day rather than an error.
HTTP_CACHE_STALE_WHILE_REVALIDATE = env.int("HTTP_CACHE_STALE_WHILE_REVALIDATE", default=60)
HTTP_CACHE_STALE_IF_ERROR = env.int("HTTP_CACHE_STALE_IF_ERROR", default=86400)
# The response headers that carry a page's tags: "xkey" (Varnish), "Surrogate-Key"
# (Fastly), "Cache-Tag" (Cloudflare); each written with its vendor's separator.
HTTP_CACHE_TAG_HEADERS = env.list("HTTP_CACHE_TAG_HEADERS", default=["xkey"])
# Where purges go, a JSON list: [{"kind": "varnish", "url": "http://127.0.0.1:6081"}],
# {"kind": "fastly", "service_id": "…", "token": "…"}, {"kind": "cloudflare", "zone_id":
# "…", "token": "…"}. Empty (the embedded run): no purge is written at all.
HTTP_CACHE_PURGE = env.json("HTTP_CACHE_PURGE", default=[])
FASTLY_API_URL = env.str("FASTLY_API_URL", default="https://api.fastly.com")
CLOUDFLARE_API_URL = env.str("CLOUDFLARE_API_URL", default="https://api.cloudflare.com/client/v4")

# PDF editions of public articles (WeasyPrint); 0 stops making new ones.
PDF_EDITIONS = env.bool("PDF_EDITIONS", default=True)

# Crossref deposits (`manage.py crossref_xml --deposit`); nothing is sent unless all are set.
CROSSREF_DEPOSIT_URL = env.str("CROSSREF_DEPOSIT_URL", default="")
CROSSREF_USERNAME = env.str("CROSSREF_USERNAME", default="")
CROSSREF_PASSWORD = env.str("CROSSREF_PASSWORD", default="")
CROSSREF_DEPOSITOR_NAME = env.str("CROSSREF_DEPOSITOR_NAME", default="Caucasus Center")
CROSSREF_DEPOSITOR_EMAIL = env.str("CROSSREF_DEPOSITOR_EMAIL", default=EDITORS_EMAIL)
# The DOI of the Center's Crossmark policy page; default: <DOI prefix>/crossmark-policy.
CROSSMARK_POLICY_DOI = env.str("CROSSMARK_POLICY_DOI", default="")
PREVIEW_LINK_LIFETIME = datetime.timedelta(days=env.int("PREVIEW_LINK_DAYS", default=7))

CELERY_BEAT_SCHEDULE = {
    # Scheduled articles are public by query as soon as they are due; this flips their
    # status and announces them.
    "publish-due-articles": {"task": "articles.tasks.publish_due", "schedule": 60.0},
    # Hand over again the outbox rows that are still pending (broker outage, dead worker).
    "resend-pending-notifications": {
        "task": "outbox.tasks.resend_pending",
        "schedule": 60.0,
    },
    "purge-submissions": {
        "task": "submissions.tasks.purge",
        "schedule": crontab(minute=30, hour=3),
    },
    "editors-waiting-digest": {
        "task": "submissions.tasks.editors_waiting_digest",
        "schedule": crontab(minute=0, hour=8, day_of_week="monday"),
    },
    "weekly-digests": {
        "task": "notifications.tasks.send_weekly_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="monday"),
    },
    "purge-unsubscribed-followers": {
        "task": "notifications.tasks.purge_unsubscribed_followers",
        "schedule": crontab(minute=45, hour=3),
    },
    # "Did you mean": count the public articles' words again, dropping those no public
    # article uses any more (publishing and editing only add words).
    "count-search-words": {
        "task": "articles.tasks.rebuild_search_words",
        "schedule": crontab(minute=15, hour=4),
    },
    # Featured images kept for an article form that was refused and never sent again.
    "forget-kept-images": {
        "task": "articles.tasks.forget_kept_images",
        "schedule": crontab(minute=20, hour=3),
    },
}

# The outbox (outbox/services.py).
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=6)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.float("NOTIFICATIONS_RETRY_BASE_SECONDS", default=60)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.float("NOTIFICATIONS_RETRY_MAX_SECONDS", default=3600)
NOTIFICATIONS_LEASE_SECONDS = env.float("NOTIFICATIONS_LEASE_SECONDS", default=300)
NOTIFICATIONS_RESEND_AFTER = env.float("NOTIFICATIONS_RESEND_AFTER", default=60)
NOTIFICATIONS_RESEND_LIMIT = 5000
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=200)
# The outbox's table of channels: which transport delivers the rows of each. The outbox
# delivers e-mail and fan-out rows itself; the channels above the articles add theirs.
OUTBOX_TRANSPORTS = {
    "email": "outbox.email.EmailTransport",
    "fan_out": "outbox.fan_out.FanOutTransport",
    "webhook": "notifications.webhooks.WebhookTransport",
    "purge": "notifications.purges.PurgeTransport",
}
# Who is concerned by each announced event: each callable takes the fan-out row and gives
# the rows to write (one per reader, endpoint or contributor).
OUTBOX_AUDIENCES = {
    "article.published": [
        "notifications.alerts.followers_of",
        "notifications.webhooks.endpoints_for",
        "submissions.services.notices.contributor_of",
        "notifications.purges.purges_for",
    ],
    "article.updated": ["notifications.webhooks.endpoints_for", "notifications.purges.purges_for"],
    "article.unpublished": [
        "notifications.webhooks.endpoints_for",
        "notifications.purges.purges_for",
    ],
}
# A second follow request for the same address within this time sends no second e-mail.
FOLLOW_REQUEST_COOLDOWN = datetime.timedelta(minutes=10)
# Follow requests per client, and e-mails per mailbox (name+tag@ and "name"@ are one mailbox).
FOLLOW_RATE_LIMIT = env.str("FOLLOW_RATE_LIMIT", default="10/h")
FOLLOW_MAILBOX_RATE_LIMIT = env.str("FOLLOW_MAILBOX_RATE_LIMIT", default="5/d")

# Webhooks never call an address that is not a public internet one, unless this says so (tests).
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", default=False)

# Contributor simulations (submissions/). The rate limit counts in the cache: with several
# processes it needs a shared cache (CACHE_URL=redis://…) to hold across them.
SUBMISSIONS_RATE_LIMIT = env.str("SUBMISSIONS_RATE_LIMIT", default="5/h")  # accepted ones
# Every POST of the form, accepted or refused: stops floods without punishing typos.
SUBMISSIONS_POST_LIMIT = env.str("SUBMISSIONS_POST_LIMIT", default="30/h")
SUBMISSIONS_PREVIEW_RATE_LIMIT = env.str("SUBMISSIONS_PREVIEW_RATE_LIMIT", default="120/h")
LOST_LINK_RATE_LIMIT = env.str("LOST_LINK_RATE_LIMIT", default="10/h")
LOST_LINK_MAILBOX_RATE_LIMIT = env.str("LOST_LINK_MAILBOX_RATE_LIMIT", default="3/d")
# A submission is at most 5 attachments of 10 MB plus its text: a longer body is refused
# with 413 before it is parsed (submissions/views.py).
SUBMISSIONS_MAX_REQUEST_BYTES = env.int(
    "SUBMISSIONS_MAX_REQUEST_BYTES", default=5 * 10 * 1024 * 1024 + 3 * 1024 * 1024
)
SUBMISSIONS_MIN_SECONDS = env.float("SUBMISSIONS_MIN_SECONDS", default=3)
# A submission form opened longer ago than this is sent back to be sent again.
SUBMISSIONS_FORM_MAX_HOURS = env.int("SUBMISSIONS_FORM_MAX_HOURS", default=24)
SUBMISSIONS_UNCONFIRMED_DAYS = env.int("SUBMISSIONS_UNCONFIRMED_DAYS", default=7)
SUBMISSIONS_RETENTION_DAYS = env.int("SUBMISSIONS_RETENTION_DAYS", default=180)
SUBMISSIONS_WAITING_DAYS = 7

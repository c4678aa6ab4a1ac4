"""The project's settings, with the environment a test run needs filled in.

Only defaults are set here: `DATABASE_URL`, `CELERY_BROKER_URL` and the rest still come
from the environment (`.ci/run` sets them for PostgreSQL and Redis).
"""

import os

# The `.env` that `make run` writes is for the embedded run: neither the tests nor the
# commands they start read it.
os.environ.setdefault("NEWSROOM_ENV_FILE", "")
os.environ.setdefault("SECRET_KEY", "test-only-" + "k" * 60)
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from newsroom.settings import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
if not os.environ.get("EMAIL_URL"):  # a delivery test's worker sets a real SMTP server
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in the test process, at once; the delivery tests switch this off and run a real
# Celery worker against the broker of CELERY_BROKER_URL.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("NEWSROOM_CELERY_WORKER") != "1"
MEDIA_ROOT = VAR_DIR / "test-media"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Printing a PDF takes a second; the tests of PDF editions turn it on (`pdf_printing`).
PDF_EDITIONS = False
TEMPLATES_FAIL_ON_UNDEFINED = True
# Each test sees its own pages; the page-cache tests turn it on.
PAGE_CACHE_SECONDS = 0
# Tests make many requests from one address; the throttling tests set their own limits.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "key": "100000/min"},
}

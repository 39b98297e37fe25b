"""Production settings for the load benchmark on 127.0.0.1: plain HTTP, so cookies are not
marked Secure and nothing redirects to HTTPS; static files are not served (locust asks none)."""

from award.settings.prod import *  # noqa: F403
from award.settings.prod import STORAGES

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

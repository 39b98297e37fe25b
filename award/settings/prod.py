"""Production: everything secret or site-specific must come from the environment."""

from .base import *  # noqa: F403
from .base import FRAGMENT_CACHE, database, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": database()}
# Persistent connections: a new PostgreSQL connection per request costs a server process and
# its authentication. DATABASE_URL's ?conn_max_age= wins; health checks replace a broken one.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
CACHES = {
    "default": env.cache("CACHE_URL", default="redis://127.0.0.1:6379/1"),
    "fragments": FRAGMENT_CACHE,
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Preloading binds the whole registrable domain, so it is the domain owner's opt-in, not a default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Sessions are read from the cache (Redis) and written through to the database: one query
# less on every request, and nothing lost when the cache restarts.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)

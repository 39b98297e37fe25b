"""Test settings: PostgreSQL by default, fast hashing, in-memory email, tasks run eagerly."""

from .base import *  # noqa: F403
from .base import BASE_DIR, database, env

DATABASES = {"default": database(default="postgres://postgres@127.0.0.1:5432/award")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "test-mail"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "test-media")
        },
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
AXES_FAILURE_LIMIT = 5

# Serve static files from the apps and static/ without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The demo logins and the tests sign in with a password alone; 2FA tests switch it on.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)

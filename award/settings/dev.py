"""Local development and `make run`: SQLite, console email, tasks in-process unless a broker is set.

DEBUG stays off (as the demo will be seen: the portal's own error pages) unless DEBUG=1 is set,
e.g. `make run DEBUG=1`."""

from .base import *  # noqa: F403
from .base import LOGGING, STORAGES, env

# Serve static files from the apps and static/ without collectstatic, with DEBUG on or off.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# In-process tasks would log every success above the demo logins.
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "celery.app.trace": {"level": "WARNING"}}}

# The demo logins and the tests sign in with a password alone; 2FA tests switch it on.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)

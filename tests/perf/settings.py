"""The test settings with the benchmark URLs (a bare Django view beside the portal)."""

from award.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.perf.urls"
DEBUG = False

# The certificate verification page allows 30 look-ups per address per 10 minutes; the
# benchmark's clients each come from a new address (X-Real-IP, trusted only behind the proxy),
# so the throttle's own cost is measured without refusing the load.
BEHIND_PROXY = True

"""The test settings with the benchmark URLs (a bare Django view beside the portal)."""

from award.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.perf.urls"
DEBUG = False

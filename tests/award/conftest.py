import pytest
from django.core.cache import cache


@pytest.fixture
def two_factor_required(settings):
    """Two-factor as production has it (required for office, agency, auditor and admin staff),
    with the lock-out counters (in the cache) cleared around the test."""
    settings.TWO_FACTOR_REQUIRED = True
    cache.clear()
    yield
    cache.clear()

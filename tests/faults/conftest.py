"""The private worker of the fault tests: started with each module's own settings, storing its
files where the test reads them."""

from pathlib import Path

import pytest

from tests.worker import environment


@pytest.fixture
def media(tmp_path) -> Path:
    """The _private_media folder of tests/conftest.py, where the worker stores files too."""
    return tmp_path / "media"


@pytest.fixture
def worker_environment() -> dict[str, str]:
    """Environment variables the module's worker starts with; a module overrides this."""
    return {}


@pytest.fixture
def media_worker(request, monkeypatch, media, worker_environment):
    """outage_worker (tests/worker.py, loaded by the module's pytest_plugins) storing files in
    `media` and started with `worker_environment`; restarted by the test, it starts with the
    same settings."""
    with environment(monkeypatch, PRIVATE_MEDIA_ROOT=str(media), **worker_environment):
        yield request.getfixturevalue("outage_worker")

"""Fixtures shared by every test: one user per role, a logged-in client per role; and how
pytest-xdist shares the files out (make test runs --dist loadfile)."""

import pytest

from award.enums import Role
from tests.factories import make_user

# Files that run as one unit on one worker: they share one seeded world (their conftest.py).
TOGETHER = ("tests/award/demo_world/",)
# The longest files, given out first, so no worker is left alone with one at the end.
FIRST = (
    "tests/award/demo_world/",
    "tests/e2e/test_lifecycle.py",
    "tests/e2e/test_accessibility.py",
    "tests/e2e/",
    "tests/award/test_isolation_matrix.py",
    "tests/prod/",
    "tests/faults/",
)


def first_rank(nodeid: str) -> int:
    ranks = (rank for rank, prefix in enumerate(FIRST) if nodeid.startswith(prefix))
    return next(ranks, len(FIRST))


def django_order(item) -> int:
    """pytest-django's order, kept: database tests, then transactional ones (their flush
    would empty the database under the others), then the rest."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    if (
        marker is not None
        and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    ) or {"transactional_db", "live_server"} & set(fixtures):
        return 1
    return 0 if marker is not None or "db" in fixtures else 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: (django_order(item), first_rank(item.nodeid)))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """--dist loadfile with TOGETHER's folders as single units, given out in collection order
    (FIRST) rather than xdist's default of the files with the most tests first."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class Scheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            folder = next((f for f in TOGETHER if nodeid.startswith(f)), None)
            return folder or super()._split_scope(nodeid)

    config.option.loadscopereorder = False
    return Scheduling(config, log)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture(autouse=True)
def _migrated_rows_after_a_serialized_test(request):
    """A test with serialized_rollback (the e2e walks) leaves the database flushed without the
    rows migrations seed (roles, counties, rulebook, criteria); Django puts them back only when
    the next such test starts. Any other transactional test puts them back first."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    if marker.kwargs.get("serialized_rollback"):
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    from award.models import County

    snapshot = getattr(connection, "_test_serialized_contents", None)
    if snapshot and not County.objects.exists():
        connection.creation.deserialize_db_from_string(snapshot)


@pytest.fixture
def office_user(db):
    return make_user(Role.OFFICE)


@pytest.fixture
def auditor_user(db):
    return make_user(Role.AUDITOR)


@pytest.fixture
def county_user(db):
    return make_user(Role.COUNTY)


@pytest.fixture
def applicant_user(db):
    return make_user(Role.APPLICANT)


@pytest.fixture
def user_of_role(db):
    """Factory fixture: user_of_role(Role.X) makes a fresh user holding that role."""
    return make_user


@pytest.fixture
def office_client(client, office_user):
    client.force_login(office_user)
    return client

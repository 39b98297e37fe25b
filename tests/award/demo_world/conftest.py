"""One seeded demo world for the whole package: seed_demo runs once (a full build scores
hundreds of items through the services), inside a transaction rolled back at the end; each
test runs in a savepoint. The package's files run on one pytest-xdist worker (tests/conftest.py)
so they share it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from award.models import User
from tests.demo_world import Crawl, crawl, storages


@pytest.fixture(scope="package")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(autouse=True)
def _private_media(settings, demo_media):
    """Overrides the suite's per-test media folder: the world keeps its files."""
    settings.STORAGES = storages(demo_media)


@pytest.fixture(scope="package")
def printed(django_db_setup, django_db_blocker, demo_media):
    """What seed_demo printed; the world stays in the database for the package's tests."""
    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=storages(demo_media)),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(scope="package")
def crawl_as(printed):
    """crawl_as(username): what that demo login reaches by links from its workbench, crawled
    once for the package (the crawl only reads; each test's writes are rolled back)."""
    done: dict[str, Crawl] = {}

    def get(username: str) -> Crawl:
        if username not in done:
            client = Client()
            client.force_login(User.objects.get(username=username))
            done[username] = crawl(client, reverse("award:workbench"))
        return done[username]

    return get

"""Fixtures shared by every test: one user per role, a logged-in client per role."""

import pytest

from award.enums import Role
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


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

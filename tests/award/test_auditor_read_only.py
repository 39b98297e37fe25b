"""The auditor reads everything and changes nothing (第七章 评审监督, DESIGN.md §5).

Generated from the URLconf (tests/urlwalk.py), so a page added later is covered without being
listed here: every address is posted to (and put, patched, deleted) as an auditor-only account,
and must answer 403/404/405 while no row of any model changes. Issue 13 builds the bigger role
isolation matrix on the same walk (tests.urlwalk.walk_urls).
"""

import pytest
from django.apps import apps
from django.urls import reverse

from award.enums import Role
from award.middleware import AUDITOR_MAY_POST, is_auditor_only
from award.models import AuditEntry
from tests.decisions.honours_world import published_world
from tests.factories import make_user
from tests.urlwalk import unbuilt_patterns, walk_urls

pytestmark = pytest.mark.django_db

REFUSED = (403, 404, 405)
REFUSAL_TEXT = "监督账号只能查阅，不能修改任何内容（第七章）"


@pytest.fixture
def world():
    """A published cycle with applications, honours, notices and an audit trail, so that the
    walk's pks name real rows."""
    return published_world(units=1, individuals=1)


@pytest.fixture
def auditor():
    return make_user(Role.AUDITOR)


# The sign-in log of django-axes: the test signing the auditor in again after 退出登录.
SIGN_IN_LOG = "axes.AccessLog"


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label != SIGN_IN_LOG
    }


def test_the_walk_reaches_every_floor(world):
    pages = list(walk_urls())
    assert unbuilt_patterns() == []
    prefixes = {page.name.split(":")[0] for page in pages if page.name}
    assert {"award", "applications", "review", "decisions"} <= prefixes
    assert any(page.has_args for page in pages)


def test_every_unsafe_request_of_the_auditor_is_refused_and_changes_nothing(client, world, auditor):
    client.force_login(auditor)
    before, entries_before = row_counts(), AuditEntry.objects.count()
    accepted = {}
    for page in walk_urls():
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(page.url)
            if page.name in AUDITOR_MAY_POST:
                if "_auth_user_id" not in client.session:
                    client.force_login(auditor)  # signing out is allowed
                continue
            if response.status_code not in REFUSED:
                accepted[f"{method.upper()} {page.url}"] = response.status_code
    assert accepted == {}
    assert AuditEntry.objects.count() == entries_before
    assert row_counts() == before


def test_the_refusal_is_the_portals_own_page_in_chinese(client, world, auditor):
    client.force_login(auditor)
    cycle = world.cycle

    response = client.post(reverse("award:cycle_update", args=[cycle.pk]), {"name": "改名"})

    assert response.status_code == 403
    html = response.content.decode()
    assert REFUSAL_TEXT in html
    assert "<h1" in html and "返回首页" in html


def test_the_views_refuse_too_without_the_middleware(client, world, auditor, settings):
    """Defence in depth: with the middleware taken out, the views' own checks still change
    nothing for the auditor."""
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "award.middleware.AuditorReadOnlyMiddleware"
    ]
    client.force_login(auditor)
    before = row_counts()
    errors = {}
    for page in walk_urls():
        if page.name in AUDITOR_MAY_POST:
            continue
        response = client.post(page.url)
        if response.status_code >= 500:
            errors[page.url] = response.status_code
    assert errors == {}
    assert row_counts() == before


def test_the_account_pages_stay_open(client, auditor):
    client.force_login(auditor)

    response = client.post(
        reverse("award:password_change"),
        {"old_password": "wrong", "new_password1": "x", "new_password2": "y"},
    )
    assert response.status_code == 200  # the form, with its errors: not refused

    response = client.post(reverse("award:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_auditor_who_also_acts_is_not_held_by_the_middleware(db):
    """Only auditor-only accounts are refused wholesale; a person also holding the office role
    is checked by each view as the office."""
    both = make_user(Role.AUDITOR)
    both.groups.add(*make_user(Role.OFFICE).groups.all())
    both = type(both).objects.get(pk=both.pk)
    assert not is_auditor_only(both)
    assert is_auditor_only(make_user(Role.AUDITOR))
    assert not is_auditor_only(make_user(Role.OFFICE))


def test_every_page_opens_for_the_auditor_without_a_server_error(client, world, auditor):
    client.force_login(auditor)
    errors = {}
    for page in walk_urls():
        if page.name == "award:logout":
            continue
        response = client.get(page.url)
        if response.status_code >= 500:
            errors[page.url] = response.status_code
    assert errors == {}


def test_pages_without_arguments_answer_the_auditor(client, world, auditor):
    client.force_login(auditor)
    statuses = {}
    for page in walk_urls():
        if page.has_args or not page.name or page.name == "award:logout":
            continue
        statuses[page.name] = client.get(page.url).status_code
    assert all(status < 500 for status in statuses.values()), statuses
    assert statuses["award:audit_list"] == 200
    assert statuses["award:audit_verify"] == 200

"""Every form of the portal fed hostile values (issue 13, bad-input corpus): no server error,
and what a person typed is still in the form after a refusal.

The forms are found, not listed: on the seeded demo world (the package's, conftest.py),
each demo login and an anonymous visitor follow every link from where they start and open
every address of the URLconf (tests/urlwalk.py); every <form> of every page reached is read
from its HTML. Each POST runs in a savepoint rolled back afterwards, so the world stays as
seeded for the next one.
"""

import html
import time
import urllib.parse
from collections import Counter

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse

from award.demo import DEMO_LOGINS
from award.models import User
from tests.badinput import (
    CHOICE_VALUES,
    DATE_TYPES,
    DATE_VALUES,
    NOT_ECHOED,
    NUMBER_TYPES,
    NUMBER_VALUES,
    TEXT_TYPES,
    TEXT_VALUES,
    Form,
    page_forms,
    plausible,
    shown_value,
)
from tests.demo_world import LINK, crawl_key, storages
from tests.urlwalk import walk_urls

pytestmark = pytest.mark.django_db

SKIP = ("/static/", "/django-admin/", "/accounts/logout/")
SKIP_ACTIONS = {"award:logout"}
PAGES_PER_LOGIN = 1500
# A view shows the same forms for each object of a kind; two objects (in two states) suffice.
PAGES_PER_VIEW = 2
REFUSALS = {400, 409, 422}


def url_name(path: str) -> str:
    try:
        return resolve(urllib.parse.urlsplit(path).path).view_name
    except Resolver404:
        return ""


def reach(client: Client, errors: list) -> dict[str, str]:
    """Every page `client` reaches by links from its start and by the URLconf's addresses;
    path → HTML of the pages that answered 200. A page that fails is added to `errors`."""
    start = reverse("award:workbench")
    queue = [start, reverse("award:login"), *(p.url for p in walk_urls())]
    pages, seen, keys, views = {}, set(), set(), Counter()
    while queue:
        path = html.unescape(queue.pop(0))
        if path in seen or path.startswith(SKIP) or crawl_key(path) in keys:
            continue
        view = url_name(path)
        if views[view] >= PAGES_PER_VIEW:
            continue
        assert len(seen) < PAGES_PER_LOGIN, "the crawl does not end"
        seen.add(path)
        keys.add(crawl_key(path))
        views[view] += 1
        try:
            response = client.get(path)
        except Exception as error:  # a server error, to be listed
            errors.append((path, f"{type(error).__name__}: {error}"))
            continue
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            page = response.content.decode()
            pages[path] = page
            queue.extend(LINK.findall(page))
    return pages


def discover(client_for, errors: list) -> list[tuple[str | None, str, Form]]:
    """(username, page, form) for each distinct form of the portal, per login."""
    found, signatures = [], set()
    for username in [None, *(name for _, name in DEMO_LOGINS)]:
        client = client_for(username)
        started = time.monotonic()
        pages = reach(client, errors)
        print(f"\n{username}: {len(pages)} pages in {time.monotonic() - started:.0f} s")
        for path, page in pages.items():
            for form in page_forms(page, path):
                name = url_name(form.action)
                if not name or name in SKIP_ACTIONS or not form.action.startswith("/"):
                    continue
                key = (username, form.method, name, form.signature())
                if key not in signatures:
                    signatures.add(key)
                    found.append((username, path, form))
    return found


def variants(form: Form):
    """(label, data, {field: typed text}) for each hostile POST of `form`."""
    base = form.baseline()
    texts = [f for f in form.fields if f.kind in TEXT_TYPES]
    typed = [f for f in form.fields if f.kind in NUMBER_TYPES | DATE_TYPES]
    choices = [f for f in form.fields if f.kind in ("select", "select-multiple", "radio")]
    hidden = [f for f in form.fields if f.kind in ("hidden", "checkbox")]
    hidden = [f for f in hidden if f.name != "csrfmiddlewaretoken"]
    for label, value in TEXT_VALUES.items():
        if texts:
            data = dict(base)
            for f in texts:
                data[f.name] = [value]
            for f in typed:
                data[f.name] = data.get(f.name) or [plausible(f.kind)]
            yield f"text:{label}", data, {f.name: value for f in texts}
    for label in NUMBER_VALUES.keys() | DATE_VALUES.keys():
        if typed:
            data = dict(base)
            for f in typed:
                values = NUMBER_VALUES if f.kind in NUMBER_TYPES else DATE_VALUES
                data[f.name] = [values.get(label, "")]
            yield f"typed:{label}", data, {}
    for label, value in CHOICE_VALUES.items():
        if choices or hidden:
            data = dict(base)
            for f in choices + hidden:
                data[f.name] = [value]
            yield f"choice:{label}", data, {}
    if texts or choices:
        # The same field twice, with two different values: a forged or replayed request.
        data = dict(base)
        for f in texts + choices:
            data[f.name] = [*data.get(f.name, [""]), TEXT_VALUES["markup"]]
        yield "duplicated", data, {}


def payload(form: Form, data: dict) -> dict:
    out = {name: values if len(values) > 1 else values[0] for name, values in data.items()}
    for f in form.of("file"):
        out[f.name] = SimpleUploadedFile(
            "\u202e恶意\x07文件fdp.exe", b"MZ\x90\x00" + b"\x00" * 64, "application/pdf"
        )
    return out


@pytest.fixture(scope="module")
def _module_savepoint(printed, django_db_blocker):
    """What this module's crawl and sign-ins write (sessions, downloads' audit entries) is
    rolled back after it: the package's other files see the world as seeded."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def client_for(_module_savepoint, django_db_blocker):
    clients = {}

    def get(username):
        if username not in clients:
            client = Client()
            if username:
                with django_db_blocker.unblock():
                    client.force_login(User.objects.get(username=username))
            clients[username] = client
        return clients[username]

    return get


@pytest.fixture(scope="module")
def crawled(client_for, django_db_blocker, demo_media):
    """The forms, found once for the module, and the pages that failed on the way."""
    errors = []
    with django_db_blocker.unblock(), override_settings(STORAGES=storages(demo_media)):
        return discover(client_for, errors), errors


@pytest.fixture(scope="module")
def found(crawled):
    return crawled[0]


def test_no_page_reached_fails(crawled):
    found, errors = crawled
    pages = {path for _, path, _ in found}
    print(f"\ncrawl: {len(found)} distinct forms on {len(pages)} pages, {len(errors)} failed")
    assert errors == []


def post(client: Client, form: Form, data: dict):
    """POST `data` in a savepoint rolled back after; the client's cookies as they were."""
    cookies = client.cookies.copy()
    cache.clear()  # the filing forms' per-address limits
    try:
        with transaction.atomic():
            response = client.post(form.action, payload(form, data))
            transaction.set_rollback(True)
        return response, None
    except Exception as error:  # a server error, to be listed
        return None, error
    finally:
        client.cookies = cookies


def test_every_form_survives_hostile_values_and_keeps_what_was_typed(client_for, found):
    posts = [(u, p, f) for u, p, f in found if f.method == "post"]
    errors, lost, statuses = [], [], Counter()
    sent = 0
    for username, _path, form in posts:
        client = client_for(username)
        for label, data, typed in variants(form):
            response, error = post(client, form, data)
            sent += 1
            if error is not None:
                errors.append((username, form.action, label, f"{type(error).__name__}: {error}"))
                continue
            statuses[response.status_code] += 1
            if response.status_code not in REFUSALS and not (
                response.status_code == 200 and b"is-invalid" in response.content
            ):
                continue
            if not response["Content-Type"].startswith("text/html"):
                continue
            page = response.content.decode()
            for name, value in typed.items():
                kind = next(f.kind for f in form.fields if f.name == name)
                if kind in NOT_ECHOED:
                    continue
                shown = shown_value(page, form.action, name)
                if shown is not None and value.strip() and value.strip() not in shown:
                    lost.append((username, form.action, name, label))

    fields = sum(len(f.fields) for _, _, f in posts)
    print(
        f"\nbad-input corpus: {len(posts)} POST forms ({fields} fields) on "
        f"{len({url_name(f.action) for _, _, f in posts})} views, {sent} hostile POSTs, "
        f"{len(errors)} server errors, {len(lost)} typed values lost; answers {dict(statuses)}"
    )
    for error in errors:
        print("  500:", *error)
    assert len(posts) > 40
    assert errors == []
    assert lost == []


SEARCH_PARAMS = ("page", "q", "state", "cycle", "kind", "sort", "year", "county", "status")


def test_every_list_page_survives_hostile_query_strings(client_for, found):
    gets = [(u, p, f) for u, p, f in found if f.method == "get"]
    targets = {}
    for username, _path, form in gets:
        names = {f.name for f in form.fields if f.kind != "submit"}
        targets.setdefault((username, form.action.partition("?")[0]), set()).update(names)
    errors, sent = [], 0
    values = {**TEXT_VALUES, **CHOICE_VALUES, **DATE_VALUES}
    values["long"] = "质" * 3000  # an address is short; the server refuses longer ones
    for (username, action), names in targets.items():
        client = client_for(username)
        for label, value in values.items():
            # Every filter at once (one broken parameter fails the page); the page number
            # alone, as a bad one may answer 404 before the filters are read.
            filters = sorted((names | set(SEARCH_PARAMS)) - {"page"})
            for params in (dict.fromkeys(filters, value), {"page": value}):
                try:
                    client.get(f"{action}?{urllib.parse.urlencode(params)}")
                except Exception as error:
                    errors.append((username, action, label, f"{type(error).__name__}: {error}"))
                sent += 1
    print(
        f"\nhostile query strings: {len(targets)} pages with filters, {sent} GETs, "
        f"{len(errors)} server errors"
    )
    for error in errors:
        print("  500:", *error)
    assert len(targets) > 10
    assert errors == []


def test_the_corpus_reads_forms_as_a_browser_sends_them():
    page = (
        '<form method="post" action="/x/?a=1&amp;b=2"><input type="hidden" '
        'name="csrfmiddlewaretoken" value="t"><input name="title" value="旧&quot;值">'
        '<textarea name="body">\n正文</textarea><select name="k"><option value="">-</option>'
        '<option value="2" selected>二</option></select><input type="number" name="n">'
        '<input type="checkbox" name="c" checked><input type="file" name="f">'
        '<button type="submit" name="go" value="save">保存</button></form>'
    )
    (form,) = page_forms(page, "/page/")
    assert form.action == "/x/?a=1&b=2"
    assert form.baseline() == {
        "csrfmiddlewaretoken": ["t"],
        "title": ['旧"值'],
        "body": ["正文"],
        "k": ["2"],
        "n": ["1"],
        "c": ["on"],
        "go": ["save"],
    }
    assert shown_value(page, "/page/", "title") == '旧"值'
    labels = [label for label, _, _ in variants(form)]
    assert "text:nul" in labels and "typed:feb30" in labels and "choice:huge" in labels


def test_echo_check_catches_a_form_that_drops_what_was_typed():
    dropped = '<form method="post"><input name="title" value=""></form>'
    kept = '<form method="post"><textarea name="title">\n申报\x00单位</textarea></form>'
    assert TEXT_VALUES["nul"] not in shown_value(dropped, "/p/", "title")
    assert TEXT_VALUES["nul"] in shown_value(kept, "/p/", "title")

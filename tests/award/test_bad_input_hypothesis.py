"""The most used forms fed generated hostile text (issue 13, bad-input corpus): the
applicant's steps, the score sheet's autosave, the public objection and complaint forms and
the login. Every answer is an acceptance or a refusal that shows back what was typed; never
a server error (the test client raises it).

Each example runs in a savepoint rolled back after it, so one world serves them all.
"""

import uuid

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.services import application_create
from review.enums import Stage
from tests.applications.factories import World
from tests.badinput import DATE_VALUES, NUMBER_VALUES, TEXT_VALUES, shown_value
from tests.decisions.test_objections_filing import ID_NUMBER, NAME, PHONE
from tests.decisions.test_publicity_world import PublicityWorld
from tests.review.factories import ReviewWorld, items_of

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

# Any text, weighted towards what breaks things: NUL and control characters, direction
# marks, emoji, lone combining marks, very long runs, and the corpus's own values.
hostile_text = st.one_of(
    st.text(max_size=300),
    st.text(
        alphabet=st.sampled_from(
            ["\x00", "\x07", "\x1b", "\u202e", "\u200b", "\ufeff", "🏆", "\u0301", "质", "<", "'"]
        ),
        max_size=50,
    ),
    st.sampled_from(list(TEXT_VALUES.values())),
    st.integers(min_value=1_000, max_value=60_000).map(lambda n: "长" * n),
)
hostile_number = st.one_of(
    st.sampled_from(list(NUMBER_VALUES.values())),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    hostile_text,
)
hostile_date = st.one_of(st.sampled_from(list(DATE_VALUES.values())), st.dates().map(str))


def lines(value: str) -> str:
    """A textarea's line breaks as the portal stores them (LF)."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def post(client, path, data, **extra):
    """POST in a savepoint rolled back after (and with fresh per-address counters)."""
    cache.clear()
    with transaction.atomic():
        response = client.post(path, data, **extra)
        transaction.set_rollback(True)
    return response


def assert_kept(response, path, typed: dict):
    """Accepted (a redirect), or refused with each typed text shown back in its field."""
    assert response.status_code != 500
    if response.status_code in (301, 302, 303):
        return
    assert response.status_code in (200, 400, 409), response.status_code
    page = response.content.decode()
    for name, value in typed.items():
        shown = shown_value(page, path, name)
        assert shown is not None, name
        assert lines(value).strip() in lines(shown), name


@pytest.fixture
def draft(client):
    world = World()
    world.application = application_create(cycle=world.cycle, by=world.owner)
    client.force_login(world.owner)
    return world


@EXAMPLES
@given(certifications=hostile_text, honours=hostile_text)
def test_the_honours_step(client, draft, certifications, honours):
    path = reverse("applications:application_step", args=[draft.application.pk, "honours"])
    data = {"certifications": certifications, "honours": honours}
    assert_kept(post(client, path, data), path, data)


@EXAMPLES
@given(revenue=hostile_number, profit=hostile_number)
def test_the_key_figures_step(client, draft, revenue, profit):
    path = reverse("applications:application_step", args=[draft.application.pk, "main"])
    year = draft.cycle.year - 1
    data = {f"revenue_{year}": revenue, f"profit_{year}": profit}
    response = post(client, path, data)
    assert response.status_code in (302, 400), response.status_code


@EXAMPLES
@given(founded_on=hostile_date, name=hostile_text, products=hostile_text)
def test_the_profile(client, draft, founded_on, name, products):
    path = reverse("applications:profile")
    data = {"name": name, "founded_on": founded_on, "main_products": products}
    response = post(client, path, data)
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:
        assert_kept(response, path, {"name": name, "main_products": products})


@pytest.fixture
def sheet(client):
    world = ReviewWorld()
    world.start()
    expert = world.experts[1]
    client.force_login(expert.user)
    world.item = items_of(world.application)[0]
    return world


@EXAMPLES
@given(percentage=hostile_number, strengths=hostile_text, opportunities=hostile_text)
def test_the_score_sheet_autosave(client, sheet, percentage, strengths, opportunities):
    path = reverse(
        "review:expert_score_save", args=[sheet.application.pk, Stage.MATERIALS, sheet.item.pk]
    )
    data = {"percentage": percentage, "strengths": strengths, "opportunities": opportunities}
    htmx = post(client, path, data, HTTP_HX_REQUEST="true")
    assert htmx.status_code in (200, 400), htmx.status_code
    plain = post(client, path, data)
    assert_kept(plain, path, {"strengths": strengths, "opportunities": opportunities})


@pytest.fixture
def publicity():
    return PublicityWorld()


@EXAMPLES
@given(name=hostile_text, id_number=hostile_text, reasons=hostile_text, kind=hostile_text)
def test_the_public_objection_form(client, publicity, name, id_number, reasons, kind):
    path = reverse("public_decisions:objection_create", args=[publicity.cycle.number])
    data = {
        "application": publicity.application.pk,
        "objector_kind": kind,
        "name": name or NAME,
        "id_number": id_number or ID_NUMBER,
        "phone": PHONE,
        "reasons": reasons,
        "submission_token": str(uuid.uuid4()),
    }
    response = post(client, path, data)
    assert_kept(response, path, {"reasons": reasons} if reasons.strip() else {})


@EXAMPLES
@given(subject=hostile_text, facts=hostile_text, name=hostile_text, kind=hostile_text)
def test_the_public_complaint_form(client, db, subject, facts, name, kind):
    path = reverse("public_revocation:complaint_create")
    data = {
        "complainant_kind": "person",
        "name": name,
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "subject": subject,
        "subject_kind": kind,
        "facts": facts,
        "submission_token": str(uuid.uuid4()),
    }
    response = post(client, path, data)
    typed = {k: v for k, v in (("subject", subject), ("facts", facts)) if v.strip()}
    assert_kept(response, path, typed)


@EXAMPLES
@given(username=hostile_text, password=hostile_text)
def test_the_login(client, db, username, password):
    path = reverse("award:login")
    response = post(client, path, {"username": username, "password": password})
    assert response.status_code in (200, 400, 403, 429), response.status_code
    if username.strip() and response.status_code in (200, 400):
        assert_kept(response, path, {"username": username})

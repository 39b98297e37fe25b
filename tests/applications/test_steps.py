"""The 申报表's steps, as `applications.steps.STEPS` declares them, drive the applicant's pages."""

import datetime

import pytest
from django.db.models import Model
from django.urls import reverse

from applications.enums import ApplicationState, DocumentKind
from applications.services import application_create
from applications.steps import STEPS
from award.enums import ApplicantKind
from tests.applications.factories import World, pdf_upload, png_upload

pytestmark = pytest.mark.django_db

# A profile is required before an application starts, so its step is done from the start.
DONE_FROM_THE_START = {"basic"}


def step_url(application, key):
    return reverse("applications:application_step", args=[application.pk, key])


def done_steps(response) -> set[str]:
    return {step.key for step in response.context["steps"] if step.complete}


def unchanged(form) -> dict:
    """The profile form posted back as it was shown."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            value = "on" if value else ""
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, Model):
            value = value.pk
        data[name] = "" if value is None else value
    return data


def figures(cycle) -> dict:
    return {
        f"{key}_{year}": value
        for year in range(cycle.year - 3, cycle.year)
        for key, value in (
            ("revenue", "52000.50"),
            ("profit", "-120"),
            ("tax", "1800"),
            ("rd_spend", "2100"),
            ("exports", "0"),
        )
    }


def filled(key, application, form) -> list[dict]:
    """What the applicant posts to fill step `key` in (one dict per submitted form)."""
    unit = application.kind == ApplicantKind.UNIT
    applicant = application.applicant
    if key == "basic":
        return [unchanged(form)]
    if key == "main":
        return [figures(application.cycle) if unit else {"achievements": "主持质量攻关十项。"}]
    if key == "honours":
        return [{"certifications": "ISO 9001", "honours": ""}] if unit else [{"honours": "标兵"}]
    if key == "documents":
        report = {"kind": DocumentKind.SELF_ASSESSMENT, "title": "", "file": pdf_upload()}
        photo = {"kind": DocumentKind.PHOTO, "title": "", "file": png_upload()}
        return [report] if unit else [report, photo]
    if key == "declarations":
        profile = applicant.unit_profile if unit else applicant.individual_profile
        return [{"signed_name": profile.legal_representative if unit else profile.name}]
    if key == "confirm":
        return [{}]
    raise AssertionError(f"no test data for the step {key!r}: add it here")


@pytest.mark.parametrize("kind", [ApplicantKind.UNIT, ApplicantKind.INDIVIDUAL])
def test_each_declared_step_renders_and_is_done_once_its_page_is_filled(client, kind):
    world = World(kind=kind)
    application = application_create(cycle=world.cycle, by=world.owner)
    client.force_login(world.owner)
    keys = [spec.key for spec in STEPS]

    for number, spec in enumerate(STEPS, start=1):
        page = client.get(step_url(application, spec.key))
        assert page.status_code == 200
        assert f"第{number}步：{spec.label(kind)}" in page.content.decode()
        before = set(keys[: number - 1]) | DONE_FROM_THE_START
        assert done_steps(page) == before
        # What still stops submission links to a step not yet done.
        problems = client.get(step_url(application, "confirm")).context["problems"]
        assert {row["step"] for row in problems} <= set(keys) - before

        *first, last = filled(spec.key, application, page.context["form"])
        for data in first:  # not done until the last of it is in
            assert client.post(step_url(application, spec.key), data).status_code == 302
            assert done_steps(client.get(step_url(application, spec.key))) == before
        response = client.post(step_url(application, spec.key), last)
        assert response.status_code == 302, response.context["form"].errors

        page = client.get(step_url(application, spec.key))
        assert done_steps(page) == set(keys[:number]) | DONE_FROM_THE_START

    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    for spec in STEPS:
        page = client.get(step_url(application, spec.key))
        assert page.status_code == 200
        assert "申报表和材料已冻结，只能查看" in page.content.decode()
        assert all(field.disabled for field in page.context["form"].fields.values())

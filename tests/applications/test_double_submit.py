"""开始申报, an upload and 确认提交 clicked twice at once: one application, one document, one
submission; every click lands on the first result's page and the second says 请勿重复提交."""

import pytest
from django.test import Client
from django.urls import reverse

from applications.enums import ApplicationState, DocumentKind
from applications.models import Application, ApplicationDocument, ApplicationSnapshot
from award.models import AuditEntry
from tests.applications.factories import World, complete_application, pdf_upload
from tests.concurrency import form_token, post_together

pytestmark = pytest.mark.django_db(transaction=True)

REPLAYED = "请勿重复提交：该表单已经提交过，以下是第一次提交的结果。"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def step_url(application, step):
    return reverse("applications:application_step", args=[application.pk, step])


def assert_one_answer(answers, location):
    assert [a.status for a in answers] == [302] * len(answers)
    assert {a.location for a in answers} == {location}
    assert sum(REPLAYED in a.messages for a in answers) == len(answers) - 1


def test_start_clicked_twice_makes_one_application():
    world = World()
    browser = signed_in(world.owner)
    token = form_token(browser.get(reverse("applications:application_list")).content.decode())

    answers = post_together(
        browser, reverse("applications:application_start"), lambda: {"submission_token": token}
    )

    application = Application.objects.get(applicant=world.owner)
    assert_one_answer(answers, step_url(application, "basic"))
    assert AuditEntry.objects.filter(action="application.create").count() == 1


def test_an_upload_clicked_twice_stores_one_document():
    world = World()
    application = complete_application(world.owner, world.cycle)
    browser = signed_in(world.owner)
    url = step_url(application, "documents")
    token = form_token(browser.get(url).content.decode())

    answers = post_together(
        browser,
        url,
        lambda: {
            "kind": DocumentKind.EVIDENCE,
            "title": "ISO 9001认证证书",
            "file": pdf_upload("证书.pdf"),
            "submission_token": token,
        },
        times=3,
    )

    assert ApplicationDocument.objects.filter(kind=DocumentKind.EVIDENCE).count() == 1
    assert_one_answer(answers, url)


def test_confirm_clicked_twice_submits_once():
    world = World()
    application = complete_application(world.owner, world.cycle)
    browser = signed_in(world.owner)
    token = form_token(browser.get(step_url(application, "confirm")).content.decode())

    answers = post_together(
        browser, step_url(application, "confirm"), lambda: {"submission_token": token}
    )

    assert_one_answer(answers, reverse("applications:application_detail", args=[application.pk]))
    application.refresh_from_db()
    assert (application.state, application.round) == (ApplicationState.SUBMITTED, 1)
    assert ApplicationSnapshot.objects.filter(application=application).count() == 1

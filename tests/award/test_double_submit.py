"""A create form posted twice at once (a double click) creates one thing, and both clicks are
answered with the first result's page; the second says 请勿重复提交."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from award.enums import NoticeKind, Role
from award.exceptions import SubmissionReplayed
from award.models import (
    Agency,
    County,
    Cycle,
    HolidaySchedule,
    Notice,
    NoticeAttachment,
    SubmissionToken,
)
from award.services.notices import notice_create
from award.services.office import holiday_schedule_create
from award.services.submissions import submission_claim
from tests.award.sample_files import minimal_pdf, upload
from tests.award.test_cycle_pages import form_data as cycle_form
from tests.concurrency import form_token, post_together
from tests.factories import make_user

REPLAYED = "请勿重复提交：该表单已经提交过，以下是第一次提交的结果。"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def token_on(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return form_token(response.content.decode())


def assert_one_answer(answers, location):
    """Every click lands on the first result's page, and exactly one is told 请勿重复提交."""
    assert [a.status for a in answers] == [302] * len(answers)
    assert {a.location for a in answers} == {location}
    assert sum(REPLAYED in a.messages for a in answers) == len(answers) - 1


# Through the pages, with real concurrent requests -------------------------------------------

concurrent = pytest.mark.django_db(transaction=True)


@concurrent
def test_a_notice_double_clicked_is_written_once():
    office = signed_in(make_user(Role.OFFICE))
    url = reverse("award:notice_create")
    token = token_on(office, url)
    form = {
        "kind": NoticeKind.GENERAL,
        "title": "培训会通知",
        "body": "正文",
        "submission_token": token,
    }

    answers = post_together(office, url, lambda: form, times=3)

    notice = Notice.objects.get()
    assert_one_answer(answers, reverse("award:notice_update", args=[notice.pk]))


@concurrent
def test_a_holiday_schedule_double_clicked_is_entered_once():
    office = signed_in(make_user(Role.OFFICE))
    url = reverse("award:holiday_schedule_create")
    token = token_on(office, url)
    form = {"year": "2031", "source": "国办发明电〔2030〕1号", "submission_token": token}

    answers = post_together(office, url, lambda: form)

    schedule = HolidaySchedule.objects.get()
    assert_one_answer(answers, reverse("award:holiday_schedule_detail", args=[schedule.pk]))


@concurrent
def test_a_county_and_an_agency_double_clicked_are_added_once():
    office = signed_in(make_user(Role.OFFICE))
    counties = County.objects.count()
    url = reverse("award:county_create")
    form = {"name": "蒙山旅游区", "code": "", "sort_order": "90", "is_active": "on"}
    form["submission_token"] = token_on(office, url)
    assert_one_answer(post_together(office, url, lambda: form), reverse("award:county_list"))
    assert County.objects.count() == counties + 1

    url = reverse("award:agency_create")
    form = {"name": "山东示范质量评价中心", "uscc": "", "contact_name": "", "contact_phone": ""}
    form["submission_token"] = token_on(office, url)
    assert_one_answer(post_together(office, url, lambda: form), reverse("award:agency_list"))
    assert Agency.objects.count() == 1


@concurrent
def test_a_notice_attachment_double_clicked_is_stored_once():
    user = make_user(Role.OFFICE)
    with transaction.atomic():
        notice = notice_create(by=user, kind=NoticeKind.GENERAL, title="通知", body="正文")
    office = signed_in(user)
    token = token_on(office, reverse("award:notice_attachment_add", args=[notice.pk]))
    url = reverse("award:notice_attachment_add", args=[notice.pk])

    answers = post_together(
        office,
        url,
        lambda: {
            "title": "日程",
            "file": upload("日程.pdf", minimal_pdf()),
            "submission_token": token,
        },
    )

    assert NoticeAttachment.objects.filter(notice=notice).count() == 1
    assert_one_answer(answers, reverse("award:notice_update", args=[notice.pk]))


# The claim itself ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_replay_after_the_first_click_answers_with_the_first_notice(office_user):
    token = uuid.uuid4()
    first = notice_create(
        by=office_user, kind=NoticeKind.GENERAL, title="通知", body="正文", submission_token=token
    )

    with pytest.raises(SubmissionReplayed) as replayed:
        notice_create(
            by=office_user,
            kind=NoticeKind.GENERAL,
            title="通知",
            body="正文",
            submission_token=token,
        )

    assert replayed.value.first == first
    assert replayed.value.messages == [REPLAYED]
    assert Notice.objects.count() == 1


@pytest.mark.django_db
def test_a_refused_first_click_leaves_the_token_free_for_the_corrected_form(office_user):
    token = uuid.uuid4()
    with pytest.raises(ValidationError):
        holiday_schedule_create(year=1999, source="", by=office_user, submission_token=token)
    assert not SubmissionToken.objects.exists()

    schedule = holiday_schedule_create(year=2031, source="", by=office_user, submission_token=token)

    assert SubmissionToken.objects.get().object_id == str(schedule.pk)


@pytest.mark.django_db
def test_tokens_are_per_user(office_user):
    token = uuid.uuid4()
    other = make_user(Role.OFFICE)
    for by in (office_user, other):
        notice_create(
            by=by, kind=NoticeKind.GENERAL, title="通知", body="正文", submission_token=token
        )
    assert Notice.objects.count() == 2


@concurrent
def test_the_claim_belongs_inside_the_create_transaction(office_user):
    with pytest.raises(RuntimeError):
        submission_claim(by=office_user, token=uuid.uuid4(), action="notice.create")


@pytest.mark.django_db
def test_each_showing_of_a_create_form_gets_a_new_token(office_client):
    url = reverse("award:notice_create")
    first = form_token(office_client.get(url).content.decode())
    second = form_token(office_client.get(url).content.decode())
    assert first != second


@pytest.mark.django_db
def test_a_refused_form_keeps_its_token(office_client):
    token = str(uuid.uuid4())
    response = office_client.post(
        reverse("award:notice_create"),
        {"kind": NoticeKind.GENERAL, "title": "", "body": "正文", "submission_token": token},
    )
    assert response.status_code == 200
    assert form_token(response.content.decode()) == token


@pytest.mark.django_db
def test_a_form_posted_again_later_lands_on_the_first_result_not_on_its_own_errors(office_client):
    # The second POST would fail the form's own check (the year is taken by the first).
    url = reverse("award:holiday_schedule_create")
    form = {"year": "2031", "source": "", "submission_token": token_on(office_client, url)}
    first = office_client.post(url, form)
    again = office_client.post(url, form, follow=True)

    schedule = HolidaySchedule.objects.get()
    assert first["Location"] == reverse("award:holiday_schedule_detail", args=[schedule.pk])
    assert again.redirect_chain == [(first["Location"], 302)]
    assert REPLAYED in again.content.decode()


@concurrent
def test_a_cycle_double_clicked_is_created_once():
    office = signed_in(make_user(Role.OFFICE))
    url = reverse("award:cycle_create")
    form = cycle_form(submission_token=token_on(office, url))

    answers = post_together(office, url, lambda: form)

    cycle = Cycle.objects.get()
    assert_one_answer(answers, reverse("award:cycle_detail", args=[cycle.pk]))

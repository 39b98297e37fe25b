"""The agency's create forms clicked twice at once: one expert, one group; both clicks land
on the first result's page and the second says 请勿重复提交."""

import pytest
from django.test import Client
from django.urls import reverse

from review.models import Expert, ReviewGroup
from tests.applications.factories import new_uscc
from tests.concurrency import form_token, post_together
from tests.review.factories import ReviewWorld, new_expert

pytestmark = pytest.mark.django_db(transaction=True)

REPLAYED = "请勿重复提交：该表单已经提交过，以下是第一次提交的结果。"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_one_answer(answers, location):
    assert [a.status for a in answers] == [302] * len(answers)
    assert {a.location for a in answers} == {location}
    assert sum(REPLAYED in a.messages for a in answers) == len(answers) - 1


def test_an_expert_double_clicked_joins_the_pool_once():
    world = ReviewWorld(experts=0)
    agency = signed_in(world.agency_user)
    url = reverse("review:expert_create")
    form = {
        "name": "王评审",
        "email": "wang.pingshen@example.cn",
        "username": "",
        "mobile": "13800001111",
        "employer": "临沂大学",
        "employer_uscc": new_uscc("371300"),
        "county": "",
        "contact_phone": "0539-8766666",
        "submission_token": form_token(agency.get(url).content.decode()),
    }

    answers = post_together(agency, url, lambda: form)

    assert Expert.objects.filter(name="王评审").count() == 1
    assert_one_answer(answers, reverse("review:expert_list"))


def test_a_group_double_clicked_is_formed_once():
    world = ReviewWorld(experts=0)
    experts = [new_expert(world.agency_user) for _ in range(3)]
    agency = signed_in(world.agency_user)
    url = reverse("review:group_create", args=[world.cycle.pk])
    form = {
        "name": "第二评审组",
        "leader": experts[0].pk,
        "members": [e.pk for e in experts],
        "submission_token": form_token(agency.get(url).content.decode()),
    }

    answers = post_together(agency, url, lambda: form)

    assert ReviewGroup.objects.filter(name="第二评审组").count() == 1
    assert_one_answer(answers, reverse("review:group_list", args=[world.cycle.pk]))

"""Rewards (第十五条, 第十七条): the unit cap, an individual's material reward in words, and
就高不重复 against the 山东省省长质量奖."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from award.enums import Role
from award.models import AuditEntry
from decisions.enums import VoteChoice
from decisions.models import Honour, Reward
from decisions.services.rewards import ARTICLE_17, payable_yuan, reward_record
from tests.decisions.honours_world import published_world
from tests.factories import make_user

pytestmark = pytest.mark.django_db

CAP_MESSAGE = "超过第十五条规定的单位奖励上限30万元"


@pytest.fixture
def world():
    return published_world(
        units=2, individuals=1, outcomes=[VoteChoice.AWARD, VoteChoice.NOMINATION, VoteChoice.AWARD]
    )


def honour_of(application):
    return Honour.objects.select_related("cycle__rulebook").get(application=application)


def test_article_17_is_quoted_word_for_word():
    assert ARTICLE_17 == (
        "第十七条 颁发给单位的市长质量奖奖金主要用于获评单位内部质量持续改进和与质量工作相关的"
        "社会公益活动,不得挪作他用。"
    )


def test_unit_reward_up_to_the_cap_is_recorded_and_audited(world):
    honour = honour_of(world.units[0])
    reward = reward_record(honour=honour, by=world.office, amount_yuan=300000)
    assert reward.payable_yuan == 300000
    entry = AuditEntry.objects.get(action="decisions.reward_record")
    assert entry.after["amount_yuan"] == 300000
    assert entry.article == "第十五条"


def test_unit_reward_above_the_cap_is_refused(world):
    honour = honour_of(world.units[0])
    with pytest.raises(ValidationError) as refused:
        reward_record(honour=honour, by=world.office, amount_yuan=300001)
    assert refused.value.message_dict["amount_yuan"] == [CAP_MESSAGE]
    assert not Reward.objects.exists()


@pytest.mark.parametrize(
    ("amount", "provincial", "payable"),
    [(300000, 200000, 100000), (300000, 300000, 0), (200000, 500000, 0), (300000, None, 300000)],
)
def test_payable_is_the_difference_above_the_provincial_award(amount, provincial, payable):
    assert payable_yuan(amount, provincial) == payable


def test_higher_not_twice_is_computed_and_shown_in_words_and_figures(world, client):
    honour = honour_of(world.units[0])
    reward = reward_record(
        honour=honour, by=world.office, amount_yuan=300000, provincial_amount_yuan=200000
    )
    assert reward.payable_yuan == 100000
    client.force_login(honour.application.applicant)
    page = client.get(reverse("decisions:honour_detail", args=[honour.pk])).content.decode()
    assert "已获山东省省长质量奖奖金200,000元" in page
    assert "就高不重复" in page
    assert "300,000 − 200,000 = 100,000元" in page
    assert ARTICLE_17 in page


def test_provincial_award_higher_than_the_city_award_pays_nothing(world):
    honour = honour_of(world.units[0])
    reward = reward_record(
        honour=honour, by=world.office, amount_yuan=100000, provincial_amount_yuan=300000
    )
    assert reward.payable_yuan == 0


def test_individual_reward_is_in_words_without_an_amount(world):
    honour = honour_of(world.individuals[0])
    with pytest.raises(ValidationError) as refused:
        reward_record(honour=honour, by=world.office, amount_yuan=10000)
    assert "第十五条" in refused.value.message_dict["amount_yuan"][0]
    reward = reward_record(honour=honour, by=world.office, material_description="质量专业图书一套")
    assert reward.amount_yuan is None and reward.payable_yuan is None


def test_nomination_gets_no_reward_under_article_15(world):
    honour = honour_of(world.units[1])
    with pytest.raises(ValidationError) as refused:
        reward_record(honour=honour, by=world.office, amount_yuan=1000)
    assert "第十五条" in refused.value.messages[0]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.OFFICE])
def test_only_the_office_records_rewards(world, role):
    honour = honour_of(world.units[0])
    with pytest.raises(PermissionDenied):
        reward_record(honour=honour, by=make_user(role), amount_yuan=1000)


def test_reward_page_refuses_above_the_cap_next_to_the_field_and_keeps_input(world, client):
    honour = honour_of(world.units[0])
    client.force_login(world.office)
    url = reverse("decisions:honour_reward", args=[honour.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"amount_yuan": "350000", "note": "用于质量改进"})
    assert response.status_code == 400
    page = response.content.decode()
    assert CAP_MESSAGE in page
    assert 'value="350000"' in page
    assert "用于质量改进" in page
    response = client.post(url, {"amount_yuan": "300000", "provincial_amount_yuan": "50000"})
    assert response.status_code == 302
    assert Reward.objects.get(honour=honour).payable_yuan == 250000


def test_reward_page_is_404_for_others(world, client):
    honour = honour_of(world.units[0])
    for role in (Role.AUDITOR, Role.APPLICANT, Role.COUNTY):
        client.force_login(make_user(role))
        url = reverse("decisions:honour_reward", args=[honour.pk])
        assert client.get(url).status_code == 404


def test_applicant_sees_own_honours_with_reward(world, client):
    honour = honour_of(world.units[0])
    reward_record(honour=honour, by=world.office, amount_yuan=300000)
    client.force_login(honour.application.applicant)
    page = client.get(reverse("decisions:honours_mine")).content.decode()
    assert honour.serial in page
    assert re.search(r"实际发放300,000元", page)

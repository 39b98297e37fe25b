"""Eligibility per article: 第十条（一）, 第十二条（二）, 第十三条, 第十四条（二）."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applications import hooks
from applications.eligibility import (
    check_eligibility,
    full_years_between,
    previous_attempts,
)
from applications.enums import ApplicationState as S
from applications.exceptions import ApplicationNotEligible
from applications.models import Application
from applications.services import (
    application_create,
    application_decline,
    application_delete_draft,
    application_submit,
    application_withdraw,
    profile_save_individual,
    profile_save_unit,
)
from award.enums import ApplicantKind, CyclePhase
from tests.applications.factories import (
    World,
    advance_cycle,
    announced_cycle,
    complete_application,
    let_deadline_pass,
    new_uscc,
    unit_applicant,
    years_ago,
)

pytestmark = pytest.mark.django_db


def codes(application):
    application.refresh_from_db()
    return [problem.code for problem in check_eligibility(application)]


def deadline_date(cycle):
    return timezone.localdate(cycle.application_deadline)


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (datetime.date(2021, 6, 1), datetime.date(2026, 6, 1), 5),
        (datetime.date(2021, 6, 2), datetime.date(2026, 6, 1), 4),
        (datetime.date(2020, 2, 29), datetime.date(2023, 2, 28), 2),
        (datetime.date(2020, 2, 29), datetime.date(2023, 3, 1), 3),
        (datetime.date(2026, 6, 2), datetime.date(2026, 6, 1), 0),
    ],
)
def test_full_years_between(start, end, years):
    assert full_years_between(start, end) == years


def test_complete_application_is_eligible():
    world = World()
    assert check_eligibility(complete_application(world.owner, world.cycle)) == []


@pytest.mark.parametrize(
    ("new_field", "years", "short_by_a_day", "message"),
    [
        (False, 5, False, None),
        (False, 5, True, "不符合第十条第（一）项：主体业务正常运行不足5年"),
        (True, 3, False, None),
        (True, 3, True, "不符合第十条第（一）项：“四新”领域单位正常运行不足3年"),
        (False, 4, False, "不符合第十条第（一）项：主体业务正常运行不足5年"),
    ],
)
def test_unit_years_of_operation(new_field, years, short_by_a_day, message):
    world = World()
    application = complete_application(world.owner, world.cycle)
    founded = years_ago(years, since=deadline_date(world.cycle))
    if short_by_a_day:
        founded += datetime.timedelta(days=1)
    profile_save_unit(by=world.owner, founded_on=founded, is_new_field=new_field)
    problems = check_eligibility(application)
    assert [p.message for p in problems] == ([message] if message else [])
    if message:
        assert problems[0].article == "第十条第（一）项"


@pytest.mark.parametrize(("short_by_a_day", "eligible"), [(False, True), (True, False)])
def test_individual_ten_years_of_quality_work(short_by_a_day, eligible):
    world = World(kind=ApplicantKind.INDIVIDUAL)
    application = complete_application(world.owner, world.cycle)
    since = years_ago(10, since=deadline_date(world.cycle))
    if short_by_a_day:
        since += datetime.timedelta(days=1)
    profile_save_individual(by=world.owner, quality_work_since=since)
    problems = check_eligibility(application)
    if eligible:
        assert problems == []
    else:
        assert [(p.message, p.article) for p in problems] == [
            ("不符合第十二条第（二）项：在本市从事质量相关工作不足10年", "第十二条第（二）项")
        ]
        with pytest.raises(ApplicationNotEligible) as error:
            application_submit(application=application, by=world.owner)
        assert error.value.messages == ["不符合第十二条第（二）项：在本市从事质量相关工作不足10年"]


def test_individual_needs_photo_and_achievements():
    world = World(kind=ApplicantKind.INDIVIDUAL)
    application = application_create(cycle=world.cycle, by=world.owner)
    problems = {p.code: p.message for p in check_eligibility(application)}
    assert problems["form_incomplete"] == "申报表尚未填写完整，请补充：主要质量工作业绩。"
    assert problems["self_assessment_missing"] == "尚未上传个人事迹材料（第十四条第（二）项）。"
    assert problems["photo_missing"] == "尚未上传个人照片。"
    assert problems["declarations_missing"] == "尚未签署承诺书（第十二条第（一）（六）（七）项）。"


def test_deadline_passed():
    world = World()
    application = complete_application(world.owner, world.cycle)
    let_deadline_pass(world.cycle)
    problems = check_eligibility(Application.objects.get(pk=application.pk))
    assert [p.code for p in problems] == ["cycle_closed"]
    assert problems[0].message.startswith("本届申报尚未开始或已经截止（截止时间：")


def test_cycle_not_announced_refuses_create():
    world = World()
    let_deadline_pass(world.cycle)
    with pytest.raises(ValidationError) as error:
        application_create(cycle=world.cycle, by=world.owner)
    assert error.value.messages == [
        "本届申报尚未开始或已经截止，不能创建申报（第十四条第（二）项）。"
    ]


def test_one_application_per_applicant_per_cycle():
    world = World()
    application_create(cycle=world.cycle, by=world.owner)
    with pytest.raises(ValidationError) as error:
        application_create(cycle=world.cycle, by=world.owner)
    assert error.value.messages == ["您在本届已有申报，请在原申报中继续填写。"]
    assert Application.objects.count() == 1


def test_same_unit_under_another_account_is_a_duplicate():
    world = World()
    first = application_submit(
        application=complete_application(world.owner, world.cycle), by=world.owner
    )
    uscc = first.identifier
    # The first account moves to another code; a second account registers the old one.
    profile_save_unit(by=world.owner, uscc=new_uscc())
    second_owner = unit_applicant(uscc=uscc)
    with pytest.raises(ApplicationNotEligible) as error:
        application_create(cycle=world.cycle, by=second_owner)
    assert error.value.messages == [
        "本届已有同一单位（统一社会信用代码相同）的申报，每个申报主体每届只能申报一次。"
    ]
    # Once the first is withdrawn the unit may apply under the other account.
    application_withdraw(application=first, by=world.owner, reason="改由新账号申报")
    assert application_create(cycle=world.cycle, by=second_owner).state == S.DRAFT


def test_past_winner_is_refused_through_the_hook():
    world = World()

    def decisions_floor(application):
        if application.identifier == world.owner.unit_profile.uscc:
            return ["第1届临沂市市长质量奖（2024年）"]
        return []

    hooks.register_past_winner_check(decisions_floor)
    try:
        with pytest.raises(ApplicationNotEligible) as error:
            application_create(cycle=world.cycle, by=world.owner)
        assert [(p.code, p.message, p.article) for p in error.value.problems] == [
            (
                "past_winner",
                "不符合第十三条：已获得“临沂市市长质量奖”（第1届临沂市市长质量奖（2024年）），"
                "不得重复申报",
                "第十三条",
            )
        ]
        other = unit_applicant()
        assert application_create(cycle=world.cycle, by=other).state == S.DRAFT
    finally:
        hooks.unregister_past_winner_check(decisions_floor)


def test_previous_unsuccessful_attempts_are_listed():
    world = World()
    declined = application_decline(
        application=application_submit(
            application=complete_application(world.owner, world.cycle), by=world.owner
        ),
        by=world.county_user,
        reason="条件不足",
    )
    advance_cycle(world.cycle, CyclePhase.PRELIMINARY, office=world.office)
    # In the next cycle a draft deleted before submission is no attempt.
    second = announced_cycle(office=world.office, number=world.cycle.number + 100)
    application_delete_draft(
        application=application_create(cycle=second, by=world.owner), by=world.owner
    )
    third = announced_cycle(office=world.office, number=world.cycle.number + 200)
    current = application_create(cycle=third, by=world.owner)
    assert list(previous_attempts(current)) == [declined]
    assert codes(current) == ["form_incomplete", "self_assessment_missing", "declarations_missing"]

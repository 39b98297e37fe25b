"""Cycle steps (第十四条): who may take each, and why a step is refused when it is."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from award import hooks
from award.enums import CyclePhase, Role
from award.models import AuditEntry, Cycle
from award.services.cycles import (
    CycleTransitionRefused,
    cycle_engage_agency,
    cycle_transition,
    cycle_transition_blockers,
)
from tests.award.cycle_helpers import (
    SOURCE,
    STEP_NAMES,
    TARGET,
    VIA,
    cycle_in,
    let_deadline_pass,
    record_approval,
    step_kwargs,
    take,
)
from tests.factories import AgencyFactory, CycleFactory, make_user

pytestmark = pytest.mark.django_db

OTHER_CYCLE_OPEN = "另一届评选正在接受申报，同一时间只能有一届开放申报（第十四条第（一）项）。"
DEADLINE_IN_PAST = "申报截止时间已过，不能再发布申报通知；请先修改申报截止时间。"
DEADLINE_NOT_PASSED = "申报截止时间尚未到，不能提前截止申报（第十四条第（二）项）。"
AGENCY_MISSING = "尚未选择承担技术评审的第三方机构（第七条第（二）项）。"
PUBLICITY_NOT_OVER = "公示期尚未结束，不能公布（第十四条第（六）（七）项）。"
VIA_NOTICE = "这一步由发布相应公告完成，请在“公告管理”中发布。"


@pytest.fixture
def office(db):
    return make_user(Role.OFFICE)


# State × role: every step, from its own source phase, for every role and for anonymous.


@pytest.mark.parametrize("name", STEP_NAMES)
@pytest.mark.parametrize("role", [*Role, None], ids=[*(r.value for r in Role), "anonymous"])
def test_only_the_office_may_take_each_step(name, role, office):
    cycle = cycle_in(SOURCE[name], office)
    if name == "close":
        let_deadline_pass(cycle)
    if name == "begin_expert_review":
        cycle_engage_agency(cycle=cycle, agency=AgencyFactory(), by=office)
    actor = AnonymousUser() if role is None else make_user(role)
    before = AuditEntry.objects.count()

    if role == Role.OFFICE:
        take(cycle, name, actor)
        cycle.refresh_from_db()
        assert cycle.phase == TARGET[name]
        entry = AuditEntry.objects.order_by("-pk").first()
        assert entry.action == f"cycle.{name}"
        assert entry.before == {"phase": SOURCE[name]}
        assert entry.after == {"phase": TARGET[name]}
        assert entry.actor_id == actor.pk
    else:
        with pytest.raises(PermissionDenied):
            take(cycle, name, actor)
        cycle.refresh_from_db()
        assert cycle.phase == SOURCE[name]
        assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("name", STEP_NAMES)
def test_a_step_from_the_wrong_phase_is_refused_with_the_phase_named_not_denied(name, office):
    wrong = CyclePhase.ARCHIVED if name != "archive" else CyclePhase.DRAFT
    cycle = cycle_in(wrong, office)
    with pytest.raises(CycleTransitionRefused) as caught:
        take(cycle, name, office)
    label = str(
        next(t for t in cycle.get_all_phase_transitions() if t.name == name).custom["label"]
    )
    assert caught.value.messages == [
        f"当前阶段为“{cycle.get_phase_display()}”，不能执行“{label}”。"
    ]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.OFFICE])
def test_other_roles_are_denied_before_they_learn_why_a_step_is_blocked(role, office):
    cycle = CycleFactory()  # announce would also be refused: it goes through a notice
    with pytest.raises(PermissionDenied):
        cycle_transition(cycle=cycle, name="announce", by=make_user(role))


# Steps taken by publishing a notice are refused from the cycle page.


@pytest.mark.parametrize("name", [n for n in STEP_NAMES if VIA[n]])
def test_a_notice_step_is_refused_without_its_notice(name, office):
    cycle = cycle_in(SOURCE[name], office)
    with pytest.raises(CycleTransitionRefused) as caught:
        cycle_transition(cycle=cycle, name=name, by=office, **step_kwargs(name))
    assert caught.value.messages == [VIA_NOTICE]
    cycle.refresh_from_db()
    assert cycle.phase == SOURCE[name]


@pytest.mark.parametrize("name", [n for n in STEP_NAMES if VIA[n]])
def test_a_notice_step_posted_from_the_cycle_page_is_refused_with_the_reason(name, office, client):
    cycle = cycle_in(SOURCE[name], office)
    if name == "publish":
        record_approval(cycle, office)  # 市政府's approval on record (第十四条第（七）项)
    client.force_login(office)
    url = reverse("award:cycle_transition", args=[cycle.pk, name])
    page = client.get(url)
    assert page.status_code == 200
    assert 'method="post"' not in page.content.decode().split('id="consequences"')[1]
    assert f"?kind={VIA[name]}&amp;cycle={cycle.pk}" in page.content.decode()

    response = client.post(url, {"reason": ""})
    assert response.status_code == 409
    assert VIA_NOTICE in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.phase == SOURCE[name]


def test_a_plain_step_cannot_be_taken_as_if_by_a_notice(office):
    cycle = cycle_in(CyclePhase.ANNOUNCED, office)
    let_deadline_pass(cycle)
    with pytest.raises(CycleTransitionRefused) as caught:
        cycle_transition(cycle=cycle, name="close", by=office, via_notice="call")
    assert caught.value.messages == ["这一步不能通过发布公告完成。"]


# Each condition explains itself when it blocks: in the service and on the pages.


def assert_blocked(client, office, cycle, name, message):
    assert message in cycle_transition_blockers(cycle, name)
    with pytest.raises(CycleTransitionRefused) as caught:
        take(cycle, name, office)
    assert message in caught.value.messages
    client.force_login(office)
    detail = client.get(reverse("award:cycle_detail", args=[cycle.pk])).content.decode()
    assert message in detail
    confirm = client.get(reverse("award:cycle_transition", args=[cycle.pk, name]))
    assert message in confirm.content.decode()
    cycle.refresh_from_db()
    return cycle


def test_another_open_cycle_blocks_announcing(client, office):
    cycle_in(CyclePhase.ANNOUNCED, office)
    draft = CycleFactory()
    cycle = assert_blocked(client, office, draft, "announce", OTHER_CYCLE_OPEN)
    assert cycle.phase == CyclePhase.DRAFT


def test_a_deadline_in_the_past_blocks_announcing(client, office):
    draft = CycleFactory(application_deadline=timezone.now() - datetime.timedelta(days=1))
    cycle = assert_blocked(client, office, draft, "announce", DEADLINE_IN_PAST)
    assert cycle.phase == CyclePhase.DRAFT


def test_closing_waits_for_the_deadline(client, office):
    cycle = cycle_in(CyclePhase.ANNOUNCED, office)
    cycle = assert_blocked(client, office, cycle, "close", DEADLINE_NOT_PASSED)
    assert cycle.phase == CyclePhase.ANNOUNCED
    response = client.post(reverse("award:cycle_transition", args=[cycle.pk, "close"]))
    assert response.status_code == 409
    assert DEADLINE_NOT_PASSED in response.content.decode()


def test_expert_review_needs_an_agency(client, office):
    cycle = cycle_in(CyclePhase.PRELIMINARY, office)
    take(cycle, "begin_recheck", office)
    cycle = assert_blocked(client, office, cycle, "begin_expert_review", AGENCY_MISSING)
    assert cycle.phase == CyclePhase.RECHECK


def test_publishing_waits_for_the_end_of_publicity(client, office):
    cycle = cycle_in(CyclePhase.DELIBERATION, office)
    take(cycle, "begin_publicity", office, **step_kwargs("begin_publicity", publicity_over=False))
    cycle.refresh_from_db()
    assert cycle.publicity_ends_on == timezone.localdate() + datetime.timedelta(days=7)
    cycle = assert_blocked(client, office, cycle, "publish", PUBLICITY_NOT_OVER)
    assert cycle.phase == CyclePhase.PUBLICITY


def test_a_guard_registered_by_a_higher_floor_blocks_with_its_own_words(client, office):
    cycle = cycle_in(CyclePhase.PRELIMINARY, office)

    @hooks.register_cycle_guard("begin_recheck")
    def counties_still_reviewing(guarded):
        return (
            ["兰山区仍有2件申报等待初审（第十四条第（三）项）。"] if guarded.pk == cycle.pk else []
        )

    try:
        cycle = assert_blocked(
            client,
            office,
            cycle,
            "begin_recheck",
            "兰山区仍有2件申报等待初审（第十四条第（三）项）。",
        )
        assert cycle.phase == CyclePhase.PRELIMINARY
    finally:
        hooks.unregister_cycle_guard("begin_recheck", counties_still_reviewing)
    take(cycle, "begin_recheck", office)
    cycle.refresh_from_db()
    assert cycle.phase == CyclePhase.RECHECK


def test_several_reasons_are_all_given(office):
    cycle_in(CyclePhase.ANNOUNCED, office)
    draft = CycleFactory(application_deadline=timezone.now() - datetime.timedelta(days=1))
    assert cycle_transition_blockers(draft, "announce") == [OTHER_CYCLE_OPEN, DEADLINE_IN_PAST]


def test_a_whole_cycle_runs_from_draft_to_archive(office):
    cycle = cycle_in(CyclePhase.ARCHIVED, office)
    actions = list(
        AuditEntry.objects.filter(object_id=str(cycle.pk), action__startswith="cycle.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "cycle.announce",
        "cycle.close",
        "cycle.begin_preliminary",
        "cycle.begin_recheck",
        "cycle.engage_agency",
        "cycle.begin_expert_review",
        "cycle.begin_deliberation",
        "cycle.begin_publicity",
        "cycle.publish",
        "cycle.archive",
    ]
    assert Cycle.objects.get(pk=cycle.pk).published_at is not None

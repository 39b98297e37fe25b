"""award.fsm: "never" versus "not now", every reason given, conditions asked once, and the
cycle-step listeners that let a higher floor react inside the step's transaction."""

import pytest
from django.core.exceptions import PermissionDenied

from award import fsm, hooks
from award.enums import CyclePhase, Role
from award.models import AuditEntry, Cycle
from award.services.cycles import CycleTransitionRefused, cycle_transition
from tests.award.cycle_helpers import cycle_in, let_deadline_pass
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db):
    return make_user(Role.OFFICE)


@pytest.fixture
def guard():
    """A cycle guard on 开始县区初审 that counts how often it is asked and may object."""

    class Guard:
        calls = 0
        reasons: list[str] = []

        def __call__(self, cycle):
            self.calls += 1
            return list(self.reasons)

    counting = Guard()
    hooks.register_cycle_guard("begin_preliminary")(counting)
    yield counting
    hooks.unregister_cycle_guard("begin_preliminary", counting)


def test_never_is_permission_denied_and_not_now_lists_every_reason(office, guard):
    cycle = cycle_in(CyclePhase.CLOSED, office)
    guard.reasons = ["甲县尚有申报未完成初审。", "乙县尚有申报未完成初审。"]
    with pytest.raises(PermissionDenied, match="只有质量强市办"):
        fsm.step_check(cycle, "begin_preliminary", make_user(Role.COUNTY))
    with pytest.raises(CycleTransitionRefused) as refused:
        fsm.step_check(cycle, "begin_preliminary", office, refused=CycleTransitionRefused)
    assert refused.value.messages == guard.reasons
    assert refused.value.error_list[0].code == "condition"
    assert fsm.why_not(cycle, "begin_preliminary", office) == guard.reasons
    assert fsm.why_not(cycle, "archive", office) == ["当前阶段为“申报截止”，不能执行“归档”。"]


def test_a_step_asks_each_condition_once(office, guard):
    cycle = cycle_in(CyclePhase.CLOSED, office)
    cycle_transition(cycle=cycle, name="begin_preliminary", by=office)
    assert guard.calls == 1
    assert Cycle.objects.get(pk=cycle.pk).phase == CyclePhase.PRELIMINARY


def test_listener_runs_after_the_audit_entry_inside_the_step(office):
    cycle = cycle_in(CyclePhase.ANNOUNCED, office)
    let_deadline_pass(cycle)
    seen = []

    def listener(locked, *, by):
        entry = AuditEntry.objects.order_by("-pk").first()
        seen.append((locked.phase, entry.action, by))

    hooks.register_cycle_listener("close")(listener)
    try:
        cycle_transition(cycle=cycle, name="close", by=office)
    finally:
        hooks.unregister_cycle_listener("close", listener)
    assert seen == [(CyclePhase.CLOSED, "cycle.close", office)]


def test_a_failing_listener_undoes_the_step(office):
    cycle = cycle_in(CyclePhase.ANNOUNCED, office)
    let_deadline_pass(cycle)
    entries = AuditEntry.objects.count()

    def listener(locked, *, by):
        raise RuntimeError("the higher floor could not follow")

    hooks.register_cycle_listener("close")(listener)
    try:
        with pytest.raises(RuntimeError):
            cycle_transition(cycle=cycle, name="close", by=office)
    finally:
        hooks.unregister_cycle_listener("close", listener)
    assert Cycle.objects.get(pk=cycle.pk).phase == CyclePhase.ANNOUNCED
    assert AuditEntry.objects.count() == entries


def test_step_labels_and_steps_from_here_read_the_graph(office):
    cycle = cycle_in(CyclePhase.DRAFT, office)
    assert fsm.step_label(cycle, "announce") == "发布申报通知"
    assert [t.name for t in fsm.steps_from_here(cycle)] == ["announce"]
    assert not fsm.is_step(cycle, "explode")

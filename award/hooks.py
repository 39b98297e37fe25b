"""Registries through which higher floors plug into the ground floor without upward imports."""

from collections import defaultdict
from collections.abc import Callable

_cycle_guards: dict[str, list[Callable]] = defaultdict(list)


def register_cycle_guard(transition_name: str):
    """Register `guard(cycle) -> list[str]`: reasons why the cycle may not take this step yet.

    Higher floors call this in AppConfig.ready(), e.g. applications forbids 开始复核 while
    a county still has applications waiting for 初审.
    """

    def decorate(guard):
        _cycle_guards[transition_name].append(guard)
        return guard

    return decorate


def unregister_cycle_guard(transition_name: str, guard) -> None:
    _cycle_guards[transition_name].remove(guard)


def cycle_guard_messages(cycle, transition_name: str) -> list[str]:
    messages = []
    for guard in _cycle_guards.get(transition_name, ()):
        messages.extend(guard(cycle))
    return messages


CycleListener = Callable[..., None]

_cycle_listeners: dict[str, list[CycleListener]] = defaultdict(list)


def register_cycle_listener(transition_name: str):
    """Register `listener(cycle, *, by)`: a higher floor's reaction to a cycle step.

    Called by `cycle_transition` after the step's audit entry, inside its transaction, so a
    listener that fails undoes the step: e.g. the decisions floor moves the proposed
    applications into 公示 when the 公示 notice is published (begin_publicity).
    """

    def decorate(listener: CycleListener) -> CycleListener:
        _cycle_listeners[transition_name].append(listener)
        return listener

    return decorate


def unregister_cycle_listener(transition_name: str, listener: CycleListener) -> None:
    _cycle_listeners[transition_name].remove(listener)


def cycle_step_taken(cycle, transition_name: str, *, by) -> None:
    for listener in list(_cycle_listeners.get(transition_name, ())):
        listener(cycle, by=by)


_demo_seeders: list[Callable] = []


def register_demo_seeder(seeder):
    """Register `seeder(*, cycle, office)`: a higher floor's share of the demo world.

    seed_demo walks each demo cycle through its phases and calls every seeder at each
    phase it reaches, in registration order (floor order, as INSTALLED_APPS lists them);
    a seeder does what that phase allows (cycle.phase) and is idempotent.
    """
    _demo_seeders.append(seeder)
    return seeder


def demo_seeders() -> list[Callable]:
    return list(_demo_seeders)

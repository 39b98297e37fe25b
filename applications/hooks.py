"""Registries the higher floors fill in so this floor can ask about things it cannot import.

The decisions floor knows who won; it registers a past-winner check here in its
AppConfig.ready(), and 第十三条 is then enforced without an upward import. Each floor also
says here how its own application states are shown (next step, who acts, badge).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

PastWinnerCheck = Callable[[object], Iterable[str]]

_past_winner_checks: list[PastWinnerCheck] = []


def register_past_winner_check(check: PastWinnerCheck) -> PastWinnerCheck:
    """Register `check(application) -> descriptions of honours already won`.

    The application may be unsaved (at create); its `applicant`, `kind`, `identifier`
    (统一社会信用代码 or 身份证号码) and `cycle` are set. Return e.g.
    ["第3届临沂市市长质量奖（2022年）"]; an empty result means no earlier award.
    """
    _past_winner_checks.append(check)
    return check


def unregister_past_winner_check(check: PastWinnerCheck) -> None:
    _past_winner_checks.remove(check)


def past_awards(application) -> list[str]:
    found = []
    for check in _past_winner_checks:
        found.extend(check(application))
    return found


TransitionGuard = Callable[[object], Iterable[str]]

_transition_guards: dict[str, list[TransitionGuard]] = {}


def register_transition_guard(transition_name: str):
    """Register `guard(application) -> reasons why the transition may not run now`.

    The review floor registers its conditions for start_review, fail_review and
    complete_review here (a group assigned with no conflicts, a failed check on record,
    every required stage signed); the model asks through `transition_guard_messages`.
    """

    def decorate(guard: TransitionGuard) -> TransitionGuard:
        _transition_guards.setdefault(transition_name, []).append(guard)
        return guard

    return decorate


def unregister_transition_guard(transition_name: str, guard: TransitionGuard) -> None:
    _transition_guards[transition_name].remove(guard)


def transition_guard_messages(application, transition_name: str) -> list[str]:
    messages = []
    for guard in _transition_guards.get(transition_name, ()):
        messages.extend(guard(application))
    return messages


WithdrawalListener = Callable[..., None]

_withdrawal_listeners: list[WithdrawalListener] = []


def register_withdrawal_listener(listener: WithdrawalListener) -> WithdrawalListener:
    """Register `listener(application, *, by, reason)`, run inside the withdrawal's transaction.

    The review floor ends an accepted application's group assignment here.
    """
    _withdrawal_listeners.append(listener)
    return listener


def application_withdrawn(application, *, by, reason: str) -> None:
    for listener in _withdrawal_listeners:
        listener(application, by=by, reason=reason)


@dataclass(frozen=True)
class StatePresentation:
    """How one application state is shown to the people following the application.

    `next_step` and `acting` may name the application's county as %(county)s.
    `badge` is the Bootstrap badge class of the state's label (e.g. "text-bg-success").
    """

    next_step: str
    acting: str
    badge: str


_state_presentations: dict[str, StatePresentation] = {}


def register_state_presentation(state: str, presentation: StatePresentation) -> None:
    """The floor that drives `state` registers how it is shown, in AppConfig.ready()."""
    if state in _state_presentations and _state_presentations[state] != presentation:
        raise ValueError(f"state {state!r} is already presented by another floor")
    _state_presentations[state] = presentation


def unregister_state_presentation(state: str) -> None:
    _state_presentations.pop(state, None)


def state_presentation(state: str) -> StatePresentation | None:
    return _state_presentations.get(state)


@dataclass(frozen=True)
class PreviousFeedback:
    """An earlier cycle's review feedback for the same applicant: a title, where to read it,
    and one line of summary (e.g. the final score)."""

    title: str
    url: str
    summary: str


PreviousFeedbackSource = Callable[[object], PreviousFeedback | None]

_previous_feedback_sources: list[PreviousFeedbackSource] = []


def register_previous_feedback(source: PreviousFeedbackSource) -> PreviousFeedbackSource:
    """Register `source(application) -> PreviousFeedback | None`.

    The decisions floor keeps the feedback reports (反馈报告) frozen at 公布; the applicant's
    自我评价报告 step shows the one of its earlier attempt (第十三条) beside the new report.
    """
    _previous_feedback_sources.append(source)
    return source


def unregister_previous_feedback(source: PreviousFeedbackSource) -> None:
    _previous_feedback_sources.remove(source)


def previous_feedback(application) -> list[PreviousFeedback]:
    found = []
    for source in _previous_feedback_sources:
        feedback = source(application)
        if feedback is not None:
            found.append(feedback)
    return found


@dataclass(frozen=True)
class ApplicationLink:
    """A page of a later floor about one application, shown on its applicant's page under
    「下一步」 (e.g. the certificate and the feedback report after 公布)."""

    title: str
    url: str


ApplicationLinkSource = Callable[[object, object], list[ApplicationLink]]

_application_link_sources: list[ApplicationLinkSource] = []


def register_application_links(source: ApplicationLinkSource) -> ApplicationLinkSource:
    """Register `source(application, user) -> [ApplicationLink]`: pages `user` may open."""
    _application_link_sources.append(source)
    return source


def unregister_application_links(source: ApplicationLinkSource) -> None:
    _application_link_sources.remove(source)


def application_links(application, user) -> list[ApplicationLink]:
    found = []
    for source in _application_link_sources:
        found.extend(source(application, user))
    return found


HistoryNoteSource = Callable[[object], list[str]]

_history_note_sources: list[HistoryNoteSource] = []


def register_history_notes(source: HistoryNoteSource) -> HistoryNoteSource:
    """Register `source(application) -> [note]`: facts about the same holder's past the county
    and the office weigh (第十三条, e.g. a title revoked earlier); the portal refuses nothing."""
    _history_note_sources.append(source)
    return source


def unregister_history_notes(source: HistoryNoteSource) -> None:
    _history_note_sources.remove(source)


def history_notes(application) -> list[str]:
    found = []
    for source in _history_note_sources:
        found.extend(source(application))
    return found

"""Reading cycles (届): who sees which, the current one, and the steps open from a phase."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from award import fsm
from award.enums import CyclePhase, NoticeKind
from award.models import Cycle
from award.permissions import STAFF_READERS
from award.services.cycles import cycle_transition_blockers


def cycles_for(user) -> QuerySet[Cycle]:
    """Office and auditor read every cycle; nobody else reads them here."""
    queryset = Cycle.objects.select_related("rulebook", "agency")
    if user is None or not user.is_authenticated or not user.has_role(*STAFF_READERS):
        return queryset.none()
    return queryset


def current_cycle() -> Cycle | None:
    """The newest cycle that has left 筹备 (draft); None when there is none yet."""
    return (
        Cycle.objects.select_related("rulebook", "agency")
        .exclude(phase=CyclePhase.DRAFT)
        .order_by("-number")
        .first()
    )


@dataclass(frozen=True)
class CycleStep:
    name: str
    label: str
    target: CyclePhase
    via_notice: str | None
    url: str
    blockers: list[str] = field(default_factory=list)
    may_act: bool = False

    @property
    def notice_kind_label(self) -> str:
        return str(NoticeKind(self.via_notice).label) if self.via_notice else ""

    @property
    def ready(self) -> bool:
        return self.may_act and not self.blockers


def cycle_steps(cycle: Cycle, user) -> list[CycleStep]:
    """The steps leading out of the cycle's current phase, with what blocks each.

    A step taken by publishing a notice (`via_notice`) links to writing that notice;
    the others link to the step's confirmation page. `may_act` is False for readers.
    """
    steps = []
    for transition in fsm.steps_from_here(cycle):
        via_notice = transition.custom.get("via_notice")
        if via_notice:
            query = urlencode({"kind": via_notice, "cycle": cycle.pk})
            url = f"{reverse('award:notice_create')}?{query}"
        else:
            url = reverse("award:cycle_transition", args=[cycle.pk, transition.name])
        steps.append(
            CycleStep(
                name=transition.name,
                label=str(transition.custom.get("label", transition.name)),
                target=CyclePhase(transition.target),
                via_notice=via_notice,
                url=url,
                blockers=[
                    str(reason) for reason in cycle_transition_blockers(cycle, transition.name)
                ],
                may_act=fsm.may_ever(cycle, transition.name, user),
            )
        )
    return steps

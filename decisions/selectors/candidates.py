"""Reads of the candidate list: the reviewed applications ranked by final score, the minimum
scores, the nominated candidates with their frozen scores. A fixed number of queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q

from applications.enums import ApplicationState
from applications.models import Application
from award.enums import ApplicantKind, CyclePhase
from award.models import Cycle
from decisions.models import Candidate, CandidateList
from review.enums import SCORED_STAGES, Stage
from review.selectors.ranking import ranked_scores

TWO_PLACES = Decimal("0.01")


def _two(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(TWO_PLACES))


def score_row(application) -> tuple[Decimal | None, dict]:
    """The application's final score and {stage: "points"} from the ranking (two decimals)."""
    rows = ranked_scores(application.cycle, pk=application.pk)
    row = rows[0] if rows else None
    if row is None:
        return None, {}
    stages = {}
    for stage in SCORED_STAGES:
        value = getattr(row, f"score_{stage}", None)
        if value is not None:
            stages[str(stage)] = _two(value)
    final = row.final_score
    return (None if final is None else Decimal(final).quantize(TWO_PLACES)), stages


def candidate_list_of(cycle) -> CandidateList | None:
    return CandidateList.objects.filter(cycle_id=cycle.pk).select_related("sent_by").first()


def minimum_for(candidate_list: CandidateList | None, kind: str) -> Decimal | None:
    if candidate_list is None:
        return None
    if kind == ApplicantKind.UNIT:
        return candidate_list.min_score_unit
    return candidate_list.min_score_individual


def stage_labels() -> list[tuple[str, str]]:
    return [(str(stage), str(Stage(stage).label)) for stage in SCORED_STAGES]


@dataclass
class KindSection:
    kind: str
    label: str
    minimum: Decimal | None
    waiting: list = field(default_factory=list)
    candidates: list = field(default_factory=list)


def _stage_values(scores: dict) -> list:
    return [scores.get(stage) for stage, _label in stage_labels()]


def candidate_page(cycle) -> dict:
    """Per applicant kind: reviewed applications waiting (ranked; `below_minimum` marked;
    those without a final score last) and the candidates with their frozen scores."""
    candidate_list = candidate_list_of(cycle)
    sections = {
        kind: KindSection(kind, label, minimum_for(candidate_list, kind))
        for kind, label in ApplicantKind.choices
    }
    for row in ranked_scores(cycle, state=ApplicationState.REVIEWED):
        section = sections[row.kind]
        minimum = section.minimum
        row.below_minimum = minimum is not None and (
            row.final_score is None or row.final_score < minimum
        )
        row.stage_values = [getattr(row, f"score_{stage}", None) for stage in SCORED_STAGES]
        section.waiting.append(row)
    for candidate in candidates_of(cycle):
        candidate.stage_values = _stage_values(candidate.stage_scores)
        sections[candidate.application.kind].candidates.append(candidate)
    return {
        "candidate_list": candidate_list,
        "sections": list(sections.values()),
        "stages": [label for _stage, label in stage_labels()],
        "waiting_count": sum(len(s.waiting) for s in sections.values()),
        "candidate_count": sum(len(s.candidates) for s in sections.values()),
    }


def candidates_of(cycle):
    """The cycle's candidates, by kind and final score (none last), with the application."""
    return (
        Candidate.objects.filter(candidate_list__cycle_id=cycle.pk)
        .select_related("application__county", "application__resolution")
        .order_by("application__kind", F("final_score").desc(nulls_last=True), "pk")
    )


def deliberation_cycles():
    """Cycles from 拟获评 on, newest first (the candidate list pages exist for these)."""
    return Cycle.objects.filter(
        phase__in=(
            CyclePhase.DELIBERATION,
            CyclePhase.PUBLICITY,
            CyclePhase.PUBLISHED,
            CyclePhase.ARCHIVED,
        )
    ).order_by("-number")


def waiting_nomination_by_cycle() -> list[tuple[Cycle, int]]:
    """(cycle in 拟获评 whose list was not sent yet, reviewed applications not yet
    nominated) where some wait."""
    cycles = Cycle.objects.filter(
        phase=CyclePhase.DELIBERATION, candidate_list__sent_at__isnull=True
    ).annotate(
        waiting=Count("applications", filter=Q(applications__state=ApplicationState.REVIEWED))
    )
    return [(cycle, cycle.waiting) for cycle in cycles if cycle.waiting]


def reviewed_waiting(cycle):
    return Application.objects.filter(cycle_id=cycle.pk, state=ApplicationState.REVIEWED)

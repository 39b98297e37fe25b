"""Read queries for the applicant, county and office pages, each scoped to its audience."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from applications.declarations import ARTICLE as DECLARATION_ARTICLE
from applications.eligibility import (
    Problem,
    check_eligibility,
    duplicate_problems,
    past_winner_problems,
)
from applications.models import (
    Application,
    ApplicationDocument,
    ApplicationSnapshot,
)
from applications.permissions import can_view
from applications.selectors import applicant_profile, applications_for
from award.enums import CyclePhase, Role
from award.models import County, Cycle


def own_applications(user) -> QuerySet[Application]:
    """The applicant's own applications (drafts included), newest cycle first."""
    return applications_for(user, audience=(Role.APPLICANT,)).order_by("-cycle__number", "-pk")


def county_applications(user, *, state: str = "", kind: str = "") -> QuerySet[Application]:
    """Applications submitted (at least once) to the coordinator's own county."""
    return applications_for(user, audience=(Role.COUNTY,), state=state, kind=kind)


def office_applications(
    user, *, cycle=None, county=None, state: str = "", kind: str = ""
) -> QuerySet[Application]:
    """Every county's applications once submitted, for the office and the auditor."""
    return applications_for(
        user,
        audience=(Role.OFFICE, Role.AUDITOR),
        cycle=cycle,
        county=county,
        state=state,
        kind=kind,
    )


# What the county's and the office's queues show of a row (and what loading a row needs:
# the FSM fields, which ConcurrentTransitionMixin reads as it builds the instance).
QUEUE_COLUMNS = (
    "name",
    "kind",
    "state",
    "submitted_at",
    "cycle__number",
    "cycle__phase",
    "county__name",
)


def queue_rows(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """`queryset` narrowed to the queue pages' columns: a page of 100 rows builds its
    applications, cycles and counties from a few columns each, not their every field."""
    return queryset.select_related(None).select_related("cycle", "county").only(*QUEUE_COLUMNS)


def open_cycle() -> Cycle | None:
    """The cycle whose call for applications is out (at most one, 第十四条第（一）项)."""
    return (
        Cycle.objects.select_related("rulebook")
        .filter(phase=CyclePhase.ANNOUNCED)
        .order_by("-number")
        .first()
    )


def cycles_with_applications() -> QuerySet[Cycle]:
    return Cycle.objects.exclude(phase=CyclePhase.DRAFT).order_by("-number")


def active_counties() -> QuerySet[County]:
    return County.objects.filter(is_active=True).order_by("sort_order", "code", "name")


@dataclass
class StartCheck:
    """Whether the applicant may start an application in `cycle` now, and why not."""

    cycle: Cycle | None
    existing: Application | None = None
    profile_missing: bool = False
    blockers: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def may_start(self) -> bool:
        return (
            self.cycle is not None
            and self.cycle.accepts_applications
            and self.existing is None
            and not self.profile_missing
            and not self.blockers
        )


# Problems the applicant can already foresee before starting; they block only submission.
FORESEEABLE = frozenset({"unit_years", "individual_years"})


def start_check(user) -> StartCheck:
    """What stands between the applicant and a new application in the open cycle."""
    cycle = open_cycle()
    check = StartCheck(cycle=cycle)
    if cycle is None:
        return check
    check.existing = Application.objects.filter(cycle=cycle, applicant_id=user.pk).first()
    profile = applicant_profile(user)
    if profile is None:
        check.profile_missing = True
        return check
    if check.existing is not None:
        return check
    probe = Application(
        cycle=cycle,
        applicant=user,
        kind=user.applicant_kind,
        name=profile.name,
        identifier=profile.identifier,
        county=profile.county,
    )
    check.blockers = past_winner_problems(probe) + duplicate_problems(probe)
    check.warnings = [p for p in check_eligibility(probe) if p.code in FORESEEABLE]
    return check


def declaration_article(kind: str) -> str:
    return DECLARATION_ARTICLE[kind]


def latest_snapshot(application) -> ApplicationSnapshot | None:
    return ApplicationSnapshot.objects.filter(application=application).order_by("-round").first()


def document_for(user, pk) -> ApplicationDocument:
    """A document `user` may download; DoesNotExist (→ 404) for anyone else.

    The owner, the county coordinator of the application's county and the office and
    auditor (once submitted), and holders of the view permission (DESIGN.md §5).
    """
    document = ApplicationDocument.objects.select_related("application__cycle").get(pk=pk)
    if not can_view(document.application, user):
        raise ApplicationDocument.DoesNotExist
    return document


def snapshot_for(user, application_pk, round_number) -> ApplicationSnapshot:
    snapshot = ApplicationSnapshot.objects.select_related("application__cycle").get(
        application_id=application_pk, round=round_number
    )
    if not can_view(snapshot.application, user):
        raise ApplicationSnapshot.DoesNotExist
    return snapshot

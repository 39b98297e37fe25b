"""Read queries the pages share, each scoped to what the user may see (DESIGN.md §5)."""

from django.db.models import Count, QuerySet

from applications.enums import ApplicationState
from applications.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationSnapshot,
    IndividualProfile,
    UnitProfile,
)
from award.enums import ApplicantKind, Role


def applicant_profile(user, kind: str | None = None) -> UnitProfile | IndividualProfile | None:
    """The user's profile of `kind` (or of the kind the account was registered as)."""
    kind = kind or user.applicant_kind
    model = {ApplicantKind.UNIT: UnitProfile, ApplicantKind.INDIVIDUAL: IndividualProfile}.get(kind)
    if model is None:
        return None
    return model.objects.filter(user_id=user.pk).select_related("county").first()


# Whose share of the applications a user reads, strongest role first.
AUDIENCES = (Role.OFFICE, Role.AUDITOR, Role.COUNTY, Role.APPLICANT)


def applications_for(
    user,
    *,
    audience: tuple[str, ...] = AUDIENCES,
    cycle=None,
    county=None,
    kind: str | None = None,
    state: str | None = None,
) -> QuerySet[Application]:
    """Applications `user` may see, newest first, ready for a constant-query list page: the
    one rule of who sees which application on the applications floor (DESIGN.md §5).

    applicant: their own (drafts included); county: their county's, once submitted;
    office and auditor: all, once submitted; any other role: none here (the review floor
    has its own selectors). "Once submitted" means round ≥ 1, so an application withdrawn
    while still a draft stays private to its applicant. `audience` limits which of the
    user's roles count (a page for one role); filters narrow by cycle, county (a County or
    its id), kind and state.
    """
    queryset = Application.objects.select_related("cycle", "county", "applicant")
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    role = next((role for role in AUDIENCES if role in audience and user.has_role(role)), None)
    if role in (Role.OFFICE, Role.AUDITOR):
        queryset = queryset.filter(round__gte=1)
    elif role == Role.COUNTY and user.county_id is not None:
        queryset = queryset.filter(round__gte=1, county_id=user.county_id)
    elif role == Role.APPLICANT:
        queryset = queryset.filter(applicant_id=user.pk)
    else:
        return queryset.none()
    if cycle is not None:
        queryset = queryset.filter(cycle=cycle)
    if county is not None:
        queryset = queryset.filter(county=county)
    if kind:
        queryset = queryset.filter(kind=kind)
    if state:
        queryset = queryset.filter(state=state)
    return queryset.order_by("-submitted_at", "-pk")


def application_for(user, pk) -> Application:
    """One application `user` may see; raises Application.DoesNotExist otherwise (→ 404)."""
    return applications_for(user).get(pk=pk)


def application_documents(application, *, include_removed: bool = False):
    documents = ApplicationDocument.objects.filter(application=application)
    return documents if include_removed else documents.current()


def application_timeline(application) -> QuerySet[ApplicationEvent]:
    """Every step, oldest first, with the actor; group by `round` to read each round."""
    return ApplicationEvent.objects.filter(application=application).select_related("actor")


def application_snapshots(application) -> QuerySet[ApplicationSnapshot]:
    return ApplicationSnapshot.objects.filter(application=application).order_by("round")


def county_backlog(cycle, state: str) -> list[tuple[str, int]]:
    """(county name, count) of the cycle's applications in `state`, in county order."""
    rows = (
        Application.objects.filter(cycle=cycle, state=state)
        .values("county__name", "county__sort_order")
        .annotate(count=Count("pk"))
        .order_by("county__sort_order", "county__name")
    )
    return [(row["county__name"], row["count"]) for row in rows]


def state_counts(queryset) -> dict[str, int]:
    """How many of `queryset` are in each state, for list-page filters."""
    counts = dict.fromkeys(ApplicationState.values, 0)
    for row in queryset.order_by().values("state").annotate(count=Count("pk")):
        counts[row["state"]] = row["count"]
    return counts

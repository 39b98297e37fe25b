"""Reads of the 公示 part: the public list, the office's objections, the receipt lookup."""

from django.db.models import Count, FilteredRelation, Q
from django.http import Http404

from applications.enums import ApplicationState
from applications.models import Application
from award.enums import CyclePhase
from award.models import Cycle
from decisions.enums import ObjectionState
from decisions.models import Objection, ObjectionFile, Publicity

# After the 公示, the names that went through it without an upheld objection stay listed.
PUBLIC_STATES = (
    ApplicationState.IN_PUBLICITY,
    ApplicationState.AWARDED,
    ApplicationState.REVOKED,
)


def current_publicity_cycle() -> Cycle | None:
    """The cycle whose 公示 is running now, if any."""
    return (
        Cycle.objects.select_related("rulebook")
        .filter(phase=CyclePhase.PUBLICITY)
        .order_by("-number")
        .first()
    )


def publicity_cycles():
    """Every cycle that has published its 公示公告, newest first."""
    return Cycle.objects.filter(publicity_starts_on__isnull=False).order_by("-number")


def publicity_cycle_for_public(number: int) -> Cycle:
    """The cycle of that number if its 公示 has been published; otherwise 404."""
    cycle = (
        Cycle.objects.select_related("rulebook")
        .filter(number=number, publicity_starts_on__isnull=False)
        .first()
    )
    if cycle is None:
        raise Http404
    return cycle


def publicity_settings(cycle: Cycle) -> Publicity:
    """The cycle's settings, unsaved defaults when the office has not set them yet."""
    return Publicity.objects.filter(cycle=cycle).first() or Publicity(cycle=cycle)


def publicity_entries(cycle: Cycle) -> list[Application]:
    """The names in the cycle's 公示, with the category (the resolution's outcome) and county.

    Only what the public may read is selected: no 身份证号码, 统一社会信用代码 or phone.
    """
    states = (
        (ApplicationState.IN_PUBLICITY,) if cycle.phase == CyclePhase.PUBLICITY else PUBLIC_STATES
    )
    return list(
        Application.objects.filter(cycle=cycle, state__in=states)
        .select_related("county", "resolution__seat")
        .only(
            "pk",
            "name",
            "kind",
            "state",
            "cycle_id",
            "county__name",
            "resolution__outcome",
            "resolution__seat__category",
        )
        .order_by("resolution__outcome", "kind", "pk")
    )


def objections_for_office(cycle: Cycle, state: str = ""):
    """The cycle's objections for the office's list, newest first, with their target."""
    objections = (
        Objection.objects.filter(cycle=cycle)
        .select_related("application__county")
        .annotate(file_count=Count("files"))
        .order_by("-submitted_at", "-pk")
    )
    if state in ObjectionState.values:
        objections = objections.filter(state=state)
    return objections


def objection_counts(cycle: Cycle) -> dict:
    return Objection.objects.filter(cycle=cycle).aggregate(
        all=Count("pk"),
        open=Count("pk", filter=Q(state=ObjectionState.OPEN)),
        upheld=Count("pk", filter=Q(state=ObjectionState.UPHELD)),
        dismissed=Count("pk", filter=Q(state=ObjectionState.DISMISSED)),
    )


def open_objection_count(cycle: Cycle) -> int:
    return Objection.objects.filter(cycle=cycle, state=ObjectionState.OPEN).count()


def open_objections_by_cycle():
    """(cycle, count) for each cycle in 公示 with objections still open."""
    return list(
        Cycle.objects.filter(phase=CyclePhase.PUBLICITY)
        .annotate(open_count=Count("objections", filter=Q(objections__state=ObjectionState.OPEN)))
        .filter(open_count__gt=0)
        .order_by("-number")
    )


def objection_for_office(pk: int) -> Objection:
    objection = (
        Objection.objects.select_related("cycle", "application__county", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if objection is None:
        raise Http404
    return objection


def objection_file_for_office(pk: int, file_pk: int) -> ObjectionFile:
    found = ObjectionFile.objects.select_related("objection").filter(pk=file_pk, objection_id=pk)
    file = found.first()
    if file is None:
        raise Http404
    return file


def objection_by_receipt(code: str) -> Objection | None:
    """The objection a receipt code names (case and spaces ignored), or None."""
    code = "".join(str(code or "").split()).upper()
    if not code:
        return None
    return (
        Objection.objects.select_related("application", "cycle")
        .only(
            "receipt_code",
            "state",
            "decision_reason",
            "decided_at",
            "submitted_at",
            "application__name",
            "cycle__number",
            "cycle__year",
        )
        .filter(receipt_code=code)
        .first()
    )


def upheld_objection_exists(application) -> bool:
    return Objection.objects.filter(
        application_id=application.pk, state=ObjectionState.UPHELD
    ).exists()


def publicity_page_fingerprint(number: int) -> tuple | None:
    """Every value the public 公示 page of cycle `number` shows, in one query (values only):
    the cycle and its 公示期, the settings, and each public entry with its category and
    county. None when that 公示 has not been published (the page is a 404)."""
    rows = list(
        Cycle.objects.filter(number=number, publicity_starts_on__isnull=False)
        .annotate(
            entry=FilteredRelation(
                "applications", condition=Q(applications__state__in=PUBLIC_STATES)
            )
        )
        .values_list(
            "pk",
            "year",
            "phase",
            "publicity_starts_on",
            "publicity_ends_on",
            "rulebook__publicity_working_days",
            "publicity__allows_anonymous_objections",
            "publicity__contact",
            "entry__pk",
            "entry__state",
            "entry__name",
            "entry__kind",
            "entry__county__name",
            "entry__resolution__outcome",
            "entry__resolution__seat__category",
        )
        .order_by("entry__pk")
    )
    return tuple(rows) or None

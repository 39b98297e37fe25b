"""Reads of the honours part: winners per cycle, a serial's honour, what waits for whom."""

from django.db.models import Case, Exists, FilteredRelation, OuterRef, Q, Subquery, When
from django.db.models.fields.json import JSONField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from award.enums import ApplicantKind, AwardCategory, CyclePhase
from award.models import Cycle
from decisions.enums import HonourStatus
from decisions.models import Approval, Honour, Reward
from decisions.selectors.charts import received_annotation

PUBLISHED_PHASES = (CyclePhase.PUBLISHED, CyclePhase.ARCHIVED)
KIND_SHORT = {ApplicantKind.UNIT: _("单位"), ApplicantKind.INDIVIDUAL: _("个人")}


def published_cycles():
    return Cycle.objects.filter(phase__in=PUBLISHED_PHASES).order_by("-number")


def latest_published_cycle() -> Cycle | None:
    return published_cycles().first()


def published_cycle(number: int) -> Cycle | None:
    return published_cycles().filter(number=number).first()


def winners_by_category(cycle: Cycle) -> list[tuple[str, list[Honour]]]:
    """[(category label, honours)] in category order (市长质量奖 first), units first; one query."""
    honours = list(
        Honour.objects.filter(cycle=cycle)
        .select_related("county")
        .order_by("category", "-kind", "serial")
    )
    return [
        (label, [h for h in honours if h.category == value])
        for value, label in AwardCategory.choices
    ]


def announcement_groups(cycle: Cycle) -> list[tuple[str, list[dict]]]:
    """The 公布公告's list: per category, each winner's name, kind and county."""
    return [
        (
            label,
            [
                {"name": h.holder_name, "kind": KIND_SHORT[h.kind], "county": h.county.name}
                for h in honours
            ],
        )
        for label, honours in winners_by_category(cycle)
    ]


def honour_by_serial(serial: str) -> Honour | None:
    return Honour.objects.select_related("cycle", "county").filter(serial=serial).first()


def cycle_honours(cycle: Cycle):
    """The cycle's honours for the office's page, with reward, holder and the cycle (whose
    phase says whether a reward may be recorded), in one query."""
    return (
        Honour.objects.filter(cycle=cycle)
        .select_related("cycle", "county", "reward", "application")
        .order_by("category", "-kind", "serial")
    )


def approval_of(cycle: Cycle) -> Approval | None:
    return Approval.objects.filter(cycle=cycle).select_related("recorded_by").first()


def cycles_awaiting_approval():
    """Cycles in 公示 whose window is over and whose approval is not on record."""
    return Cycle.objects.filter(
        phase=CyclePhase.PUBLICITY, publicity_ends_on__lt=timezone.localdate()
    ).exclude(Exists(Approval.objects.filter(cycle=OuterRef("pk"))))


def honours_awaiting_reward():
    """Active 市长质量奖 honours of published cycles with no reward recorded (第十五条)."""
    return Honour.objects.filter(
        cycle__phase__in=PUBLISHED_PHASES,
        category=AwardCategory.AWARD,
        status=HonourStatus.ACTIVE,
    ).exclude(Exists(Reward.objects.filter(honour=OuterRef("pk"))))


def honours_of_holder(user):
    return (
        Honour.objects.filter(application__applicant=user)
        .select_related("cycle", "county", "reward")
        .order_by("-cycle__number")
    )


def staff_cycles():
    """Cycles the honours pages concern: from 公示 on."""
    return Cycle.objects.filter(
        Q(phase=CyclePhase.PUBLICITY) | Q(phase__in=PUBLISHED_PHASES)
    ).order_by("-number")


def winners_page_fingerprint(number: int | None) -> tuple | None:
    """Every value the 获评名单 page shows, in one query (values only): the published cycles
    (the page links them all) and each honour of the cycle shown (cycle `number`, or the
    latest), its name, kind, county, category and status with the revocation date, and the
    cycle's applications received per county and kind (the page's results in numbers,
    decisions.selectors.charts.RECEIVED_SQL). None when cycle `number` is not published (the
    page is a 404)."""
    cycles = published_cycles()
    cycle_id = f'"{Cycle._meta.db_table}"."id"'
    wanted = cycles if number is None else cycles.filter(number=number)
    shown = FilteredRelation(
        "honours", condition=Q(honours__cycle_id=Subquery(wanted.values("pk")[:1]))
    )
    rows = tuple(
        cycles.annotate(
            shown=shown,
            received=Case(
                When(pk=Subquery(wanted.values("pk")[:1]), then=received_annotation(cycle_id)),
                default=None,
                output_field=JSONField(),
            ),
        )
        .order_by("-number", "shown__pk")
        .values_list(
            "pk",
            "number",
            "year",
            "phase",
            "shown__pk",
            "shown__serial",
            "shown__holder_name",
            "shown__kind",
            "shown__category",
            "shown__county__name",
            "shown__status",
            "shown__revoked_on",
            "received",
        )
    )
    if number is not None and not any(row[1] == number for row in rows):
        return None
    return rows

"""Read queries for the applicant, county and office pages, each scoped to its audience."""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.declarations import ARTICLE as DECLARATION_ARTICLE
from applications.eligibility import (
    Problem,
    check_eligibility,
    duplicate_problems,
    past_winner_problems,
)
from applications.enums import DocumentKind
from applications.form_data import FIGURES, KEY_FIGURES, TEXT_SECTIONS
from applications.models import (
    Application,
    ApplicationDocument,
    ApplicationSnapshot,
    IndividualProfile,
    UnitProfile,
)
from applications.permissions import can_view
from applications.selectors import applicant_profile
from applications.services.submission import PROFILE_FIELDS
from applications.validators import mask_id_number
from award.enums import ApplicantKind, CyclePhase, Role
from award.models import County, Cycle

LIST_RELATED = ("cycle", "county", "applicant")


def own_applications(user) -> QuerySet[Application]:
    """The applicant's own applications (drafts included), newest cycle first."""
    if not (user.is_authenticated and user.is_active and user.has_role(Role.APPLICANT)):
        return Application.objects.none()
    return (
        Application.objects.filter(applicant_id=user.pk)
        .select_related(*LIST_RELATED)
        .order_by("-cycle__number", "-pk")
    )


def county_applications(user, *, state: str = "", kind: str = "") -> QuerySet[Application]:
    """Applications submitted (at least once) to the coordinator's own county."""
    if not (user.is_authenticated and user.is_active and user.has_role(Role.COUNTY)):
        return Application.objects.none()
    if user.county_id is None:
        return Application.objects.none()
    queryset = Application.objects.filter(county_id=user.county_id, round__gte=1)
    return _filtered(queryset, state=state, kind=kind)


def office_applications(
    user, *, cycle=None, county=None, state: str = "", kind: str = ""
) -> QuerySet[Application]:
    """Every county's applications once submitted, for the office and the auditor."""
    if not (user.is_authenticated and user.is_active and user.has_role(Role.OFFICE, Role.AUDITOR)):
        return Application.objects.none()
    queryset = Application.objects.filter(round__gte=1)
    if cycle is not None:
        queryset = queryset.filter(cycle=cycle)
    if county is not None:
        queryset = queryset.filter(county=county)
    return _filtered(queryset, state=state, kind=kind)


def _filtered(queryset, *, state, kind):
    if state:
        queryset = queryset.filter(state=state)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.select_related(*LIST_RELATED).order_by("-submitted_at", "-pk")


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


def sees_full_identity(application, user) -> bool:
    """The applicant and the office see an ID number whole; everyone else masked."""
    return application.applicant_id == user.pk or user.has_role(Role.OFFICE)


def figure_table(form_data) -> tuple[list[str], list[tuple[str, list[str]]]]:
    figures = (form_data or {}).get(KEY_FIGURES) or {}
    years = sorted(figures)
    rows = [(label, [figures[y].get(key, "") for y in years]) for key, label in FIGURES]
    return years, rows


def text_sections(kind, form_data) -> list[tuple[str, str]]:
    data = form_data or {}
    return [(label, data.get(key, "")) for key, label, _required in TEXT_SECTIONS[kind]]


def submission_context(application, user) -> dict:
    """The frozen submission the reviewers decide on: the latest round's snapshot."""
    snapshot = latest_snapshot(application)
    if snapshot is None:
        return {"snapshot": None}
    profile = dict(snapshot.profile_data)
    if profile.get("id_number") and not sees_full_identity(application, user):
        profile["id_number"] = mask_id_number(profile["id_number"])
    years, rows = figure_table(snapshot.form_data)
    kind_labels = dict(DocumentKind.choices)
    documents = [
        {
            **document,
            "kind_label": kind_labels.get(document["kind"], document["kind"]),
            "url": reverse("applications:document_download", args=[document["id"]]),
        }
        for document in snapshot.documents
    ]
    return {
        "snapshot": snapshot,
        "profile_rows": profile_rows(application.kind, profile),
        "is_unit": application.kind == ApplicantKind.UNIT,
        "figure_years": years,
        "figure_rows": rows,
        "texts": text_sections(application.kind, snapshot.form_data),
        "snapshot_documents": documents,
    }


# Labels already resolved by the snapshot, used instead of the raw choice values.
RESOLVED = {"size": "size_label", "gender": "gender_label", "education": "education_label"}


def profile_rows(kind, profile: dict) -> list[tuple[str, str]]:
    """(label, value) of a frozen profile, in the order of the form."""
    model = UnitProfile if kind == ApplicantKind.UNIT else IndividualProfile
    rows = []
    for name in PROFILE_FIELDS[kind]:
        value = profile.get(RESOLVED.get(name, name), profile.get(name, ""))
        if isinstance(value, bool):
            value = _("是") if value else _("否")
        rows.append((str(model._meta.get_field(name).verbose_name), value))
        if name == "name":
            rows.append((_("所属县区"), profile.get("county", "")))
    return rows

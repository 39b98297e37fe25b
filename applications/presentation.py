"""How an application is shown to the people following it, on every floor's pages: the frozen
submission, the timeline, what happens next and who acts. Read-only; no view imports needed."""

from django.urls import reverse
from django.utils.translation import gettext as _

from applications.enums import ApplicationState, DocumentKind, EventAction
from applications.form_data import FIGURES, KEY_FIGURES, TEXT_SECTIONS
from applications.hooks import state_presentation
from applications.models import IndividualProfile, UnitProfile
from applications.permissions import sees_full_id_number
from applications.selectors import application_timeline
from applications.selectors_pages import latest_snapshot
from applications.services.submission import PROFILE_FIELDS
from applications.validators import mask_id_number
from award.enums import ApplicantKind, Role


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
    if profile.get("id_number") and not sees_full_id_number(application.applicant_id, user):
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


def acting_body(event, application) -> str:
    """Who took a step, as the applicant should read it: the body, not the clerk."""
    action = event.action
    county = application.county.name
    if action in (EventAction.CREATE, EventAction.SUBMIT, EventAction.WITHDRAW):
        return _("申报人")
    if action in (EventAction.RECOMMEND, EventAction.DECLINE) or (
        action == EventAction.RETURN and event.from_state == ApplicationState.SUBMITTED
    ):
        return _("%(county)s质量议事协调机构") % {"county": county}
    if action in (EventAction.START_REVIEW, EventAction.FAIL_REVIEW, EventAction.COMPLETE_REVIEW):
        return _("第三方评审机构")
    return _("质量强市办")


def timeline(application, user) -> list[dict]:
    """Each past step with date, who and the opinion; staff also see the clerk's name."""
    staff = user.has_role(Role.COUNTY, Role.OFFICE, Role.AUDITOR)
    rows = []
    for event in application_timeline(application):
        body = acting_body(event, application)
        rows.append(
            {
                "event": event,
                "label": event.get_action_display(),
                "who": f"{body}（{event.actor}）" if staff and body != _("申报人") else body,
                "opinion": event.opinion,
                "round": event.round,
                "to_state": event.get_to_state_display(),
            }
        )
    return rows


def _draft_left_behind(application) -> bool:
    """A draft the call closed on: it can no longer be submitted."""
    return (
        application.state == ApplicationState.DRAFT and not application.cycle.accepts_applications
    )


def next_step_text(application) -> str:
    """What happens next, in the words of the floor that drives the state (applications.hooks)."""
    if _draft_left_behind(application):
        return _("本届申报已截止，草稿不能再提交（第十四条第（二）项）；可在下一届申报时重新申报。")
    shown = state_presentation(application.state)
    return str(shown.next_step) % {"county": application.county.name} if shown else ""


def acting_now(application) -> str:
    """Who acts next on the application (the body, not the clerk); "" once it has ended."""
    if _draft_left_behind(application):
        return ""
    shown = state_presentation(application.state)
    return str(shown.acting) % {"county": application.county.name} if shown else ""


def state_badge_class(state: str) -> str:
    shown = state_presentation(state)
    return shown.badge if shown else "text-bg-secondary"

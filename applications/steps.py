"""The steps of the 申报表, declared once: what each asks, saves and shows, and when it is done.

`STEPS` is read in order by the applicant's step page and progress indicator; a new step is one
`FormStep` here and its template, `applications/partials/step_<key>.html`.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.declarations import declaration_items, expected_signer_label
from applications.eligibility import check_eligibility, previous_attempts
from applications.enums import DocumentKind
from applications.form_data import FIGURES, KEY_FIGURES, missing_fields
from applications.forms import (
    PROFILE_FORMS,
    DeclarationsForm,
    DocumentForm,
    KeyFiguresForm,
    SubmitForm,
    TextSectionsForm,
    figure_field_name,
)
from applications.hooks import previous_feedback
from applications.models import Application, IndividualProfile, UnitProfile
from applications.models.application import EDITABLE_STATES
from applications.presentation import figure_table, submission_context, text_sections
from applications.selectors import applicant_profile, application_documents
from applications.selectors_pages import declaration_article
from applications.services import (
    application_save_draft,
    application_submit,
    declarations_accept,
    document_add,
    profile_save_individual,
    profile_save_unit,
)
from award.enums import ApplicantKind
from award.models import User

UNIT, INDIVIDUAL = ApplicantKind.UNIT, ApplicantKind.INDIVIDUAL

PROFILE_MODELS = {UNIT: UnitProfile, INDIVIDUAL: IndividualProfile}
PROFILE_SERVICES = {UNIT: profile_save_unit, INDIVIDUAL: profile_save_individual}


@dataclass(frozen=True)
class Facts:
    """What the done-predicates read, fetched once per page."""

    application: Application
    profile: UnitProfile | IndividualProfile | None
    document_kinds: frozenset[str]

    @property
    def data(self) -> dict:
        return self.application.form_data or {}

    @property
    def is_unit(self) -> bool:
        return self.application.kind == UNIT


def no_context(application, user) -> dict:
    return {}


def no_field_map(form) -> dict[str, str]:
    return {}


@dataclass(frozen=True)
class FormStep:
    """One step of the 申报表: its form, the one service a POST calls, and when it is done.

    `form(application, user, data, files)` builds the form; `save(application, by, form)`
    calls the service with the cleaned form; `context(application, user)` adds what the
    step's template shows besides the form; `field_map(form)` places a service's error keys
    on the form's fields. `saved` is the success message (`%(county)s` is the application's
    county). `fixes` names the eligibility problems (`Problem.code`) fixed on this step.
    A step that `submits` sends the applicant to the application page afterwards.
    """

    key: str
    labels: Mapping[str, str]  # per ApplicantKind
    form: Callable[[Application, User, Any, Any], forms.Form]
    save: Callable[[Application, User, forms.Form], object]
    done: Callable[[Facts], bool]
    saved: str
    context: Callable[[Application, User], dict] = no_context
    field_map: Callable[[forms.Form], dict[str, str]] = no_field_map
    fixes: frozenset[str] = frozenset()
    submits: bool = False

    def label(self, kind: str) -> str:
        return str(self.labels[kind])


def both(label) -> dict[str, str]:
    return {UNIT: label, INDIVIDUAL: label}


# 基本信息: the account's profile, shared by its applications until submitted.


def profile_form(user, kind, data=None):
    """The profile form; a first one starts with the name typed at registration."""
    instance = applicant_profile(user, kind) or PROFILE_MODELS[kind](
        user=user, name=user.display_name
    )
    return PROFILE_FORMS[kind](data, instance=instance)


def save_profile(form, user, kind):
    fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
    return PROFILE_SERVICES[kind](by=user, **fields)


def frozen_submission(application, user) -> dict:
    """Once submitted, the first step shows what was sent instead of the form."""
    if application.is_editable:
        return {}
    return submission_context(application, user)


BASIC = FormStep(
    key="basic",
    labels=both(_("基本信息")),
    form=lambda application, user, data, files: profile_form(user, application.kind, data),
    save=lambda application, by, form: save_profile(form, by, application.kind),
    done=lambda facts: facts.profile is not None,
    saved=_("申报主体信息已保存。"),
    context=frozen_submission,
    fixes=frozenset({"profile_missing", "unit_years", "individual_years"}),
)


# 主要指标 / 主要事迹, 认证与荣誉 / 荣誉与竞赛: sections of `Application.form_data`.


def text_form(sections: Mapping[str, tuple[str, ...]]):
    """A factory for the form holding this step's free-text `sections` (per kind)."""

    def build(application, user, data, files):
        return TextSectionsForm(
            data,
            kind=application.kind,
            keys=sections[application.kind],
            form_data=application.form_data,
        )

    return build


def main_form(application, user, data, files):
    if application.kind == UNIT:
        return KeyFiguresForm(data, cycle=application.cycle, form_data=application.form_data)
    return text_form({INDIVIDUAL: ("achievements",)})(application, user, data, files)


def save_draft(application, by, form):
    return application_save_draft(application=application, by=by, form_data=form.to_form_data())


def figure_fields(form) -> dict[str, str]:
    """Service error keys ("key_figures.2024.revenue") → the figures form's field names."""
    if not isinstance(form, KeyFiguresForm):
        return {}
    return {
        f"{KEY_FIGURES}.{year}.{key}": figure_field_name(key, year)
        for key, _label in FIGURES
        for year in form.years
    }


def main_done(facts: Facts) -> bool:
    application = facts.application
    if facts.is_unit:
        # A unit's only required section is the key figures.
        return bool(facts.data.get(KEY_FIGURES)) and not missing_fields(
            application.kind, facts.data, cycle=application.cycle
        )
    return bool(str(facts.data.get("achievements") or "").strip())


MAIN = FormStep(
    key="main",
    labels={UNIT: _("近三年主要指标"), INDIVIDUAL: _("主要事迹")},
    form=main_form,
    save=save_draft,
    done=main_done,
    saved=_("已保存草稿。"),
    field_map=figure_fields,
    fixes=frozenset({"form_incomplete"}),
)

HONOUR_SECTIONS = {UNIT: ("certifications", "honours"), INDIVIDUAL: ("honours", "contest_results")}

HONOURS = FormStep(
    key="honours",
    labels={UNIT: _("认证与荣誉"), INDIVIDUAL: _("荣誉与竞赛")},
    form=text_form(HONOUR_SECTIONS),
    save=save_draft,
    done=lambda facts: any(key in facts.data for key in HONOUR_SECTIONS[facts.application.kind]),
    saved=_("已保存草稿。"),
)


# 自我评价报告 / 个人事迹材料 and evidence.


def documents_done(facts: Facts) -> bool:
    kinds = facts.document_kinds
    return DocumentKind.SELF_ASSESSMENT in kinds and (facts.is_unit or DocumentKind.PHOTO in kinds)


def add_document(application, by, form):
    data = form.cleaned_data
    return document_add(
        application=application,
        by=by,
        kind=data["kind"],
        file=data["file"],
        title=data["title"],
        submission_token=form.once_token,
    )


DOCUMENTS = FormStep(
    key="documents",
    labels={UNIT: _("自我评价报告与证实材料"), INDIVIDUAL: _("个人事迹材料与证实材料")},
    form=lambda application, user, data, files: DocumentForm(data, files, application=application),
    save=add_document,
    done=documents_done,
    saved=_("材料已上传。"),
    context=lambda application, user: {
        "documents": application_documents(application),
        # 第十三条: the feedback of an earlier attempt, beside the new self-assessment.
        "previous_feedback": previous_feedback(application),
    },
    fixes=frozenset({"self_assessment_missing", "photo_missing"}),
)


# 承诺书, signed by typing the name.


def declarations_form(application, user, data, files):
    return DeclarationsForm(
        data,
        signer_label=expected_signer_label(application.kind),
        initial={"signed_name": application.declarations_accepted_by},
    )


def declarations_context(application, user) -> dict:
    return {
        "declaration_items": declaration_items(application.kind),
        "declaration_article": declaration_article(application.kind),
        "signer_label": expected_signer_label(application.kind),
    }


DECLARATIONS = FormStep(
    key="declarations",
    labels=both(_("承诺书")),
    form=declarations_form,
    save=lambda application, by, form: declarations_accept(
        application=application, by=by, signed_name=form.cleaned_data["signed_name"]
    ),
    done=lambda facts: facts.application.declarations_accepted_at is not None,
    saved=_("承诺书已签署。"),
    context=declarations_context,
    fixes=frozenset({"declarations_missing"}),
)


# 确认提交: what still stands in the way, earlier attempts (第十三条), and submitting.


def confirm_context(application, user) -> dict:
    problems = check_eligibility(application) if application.is_editable else []
    earlier = []
    for attempt in previous_attempts(application):
        years, rows = figure_table(attempt.form_data)
        earlier.append({"application": attempt, "figure_years": years, "figure_rows": rows})
    years, rows = figure_table(application.form_data)
    return {
        "problems": [{"problem": p, "step": problem_step(p.code)} for p in problems],
        "earlier": earlier,
        "figure_years": years,
        "figure_rows": rows,
        # What submitting freezes, shown before the applicant confirms.
        "frozen_texts": [
            (label, text) for label, text in text_sections(application.kind, application.form_data)
        ],
        "frozen_documents": list(application_documents(application)),
        "profile": applicant_profile(user, application.kind),
    }


CONFIRM = FormStep(
    key="confirm",
    labels=both(_("确认提交")),
    form=lambda application, user, data, files: SubmitForm(data),
    save=lambda application, by, form: application_submit(
        application=application, by=by, submission_token=form.once_token
    ),
    done=lambda facts: (
        facts.application.round >= 1 and facts.application.state not in EDITABLE_STATES
    ),
    saved=_("申报已提交，等待%(county)s质量议事协调机构初审。"),
    context=confirm_context,
    submits=True,
)


STEPS: tuple[FormStep, ...] = (BASIC, MAIN, HONOURS, DOCUMENTS, DECLARATIONS, CONFIRM)


def form_step(key: str) -> FormStep | None:
    return next((step for step in STEPS if step.key == key), None)


def problem_step(code: str) -> str:
    """The key of the step that fixes eligibility problem `code`, or ""."""
    return next((step.key for step in STEPS if code in step.fixes), "")


@dataclass(frozen=True)
class Step:
    """One step as one application stands: numbered from 1, labelled for its kind."""

    key: str
    label: str
    complete: bool
    number: int


def application_steps(application: Application, user: User) -> list[Step]:
    """Each step of the 申报表 with whether what it asks for is there."""
    kinds = application_documents(application).values_list("kind", flat=True)
    facts = Facts(
        application=application,
        profile=applicant_profile(user, application.kind),
        document_kinds=frozenset(kinds),
    )
    return [
        Step(spec.key, spec.label(application.kind), spec.done(facts), number)
        for number, spec in enumerate(STEPS, start=1)
    ]

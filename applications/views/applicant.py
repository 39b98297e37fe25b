"""Applicant pages: 申报主体信息, 我的申报, the 申报表 in steps, submission, timeline, 撤回."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from applications.declarations import declaration_items, expected_signer_label
from applications.eligibility import check_eligibility, previous_attempts
from applications.enums import ApplicationState
from applications.exceptions import ApplicationNotEligible
from applications.form_data import FIGURES, KEY_FIGURES
from applications.forms import (
    PROFILE_FORMS,
    DeclarationsForm,
    DocumentForm,
    KeyFiguresForm,
    SubmitForm,
    TextSectionsForm,
    WithdrawForm,
    figure_field_name,
)
from applications.models import IndividualProfile, UnitProfile
from applications.selectors import applicant_profile, application_documents, application_snapshots
from applications.selectors_pages import (
    PROBLEM_STEP,
    STEP_KEYS,
    application_steps,
    declaration_article,
    own_applications,
    start_check,
)
from applications.services import (
    application_create,
    application_save_draft,
    application_submit,
    application_withdraw,
    declarations_accept,
    document_add,
    document_remove,
    profile_save_individual,
    profile_save_unit,
)
from applications.views.common import (
    REFUSALS,
    add_refusal,
    apply_errors,
    available_actions,
    figure_table,
    next_step_text,
    refusal_messages,
    submission_context,
    timeline,
)
from award.enums import ApplicantKind, Role
from award.exceptions import SubmissionReplayed
from award.forms.once import OnceForm
from award.permissions import RoleRequiredMixin

PROFILE_MODELS = {ApplicantKind.UNIT: UnitProfile, ApplicantKind.INDIVIDUAL: IndividualProfile}
PROFILE_SERVICES = {
    ApplicantKind.UNIT: profile_save_unit,
    ApplicantKind.INDIVIDUAL: profile_save_individual,
}
# The free-text sections each text step holds, per kind.
TEXT_STEP_KEYS = {
    ("main", ApplicantKind.INDIVIDUAL): ("achievements",),
    ("honours", ApplicantKind.UNIT): ("certifications", "honours"),
    ("honours", ApplicantKind.INDIVIDUAL): ("honours", "contest_results"),
}
SAVED = {
    "basic": gettext_lazy("申报主体信息已保存。"),
    "main": gettext_lazy("已保存草稿。"),
    "honours": gettext_lazy("已保存草稿。"),
    "documents": gettext_lazy("材料已上传。"),
    "declarations": gettext_lazy("承诺书已签署。"),
}


class ApplicantMixin(RoleRequiredMixin):
    roles = (Role.APPLICANT,)


class OwnApplicationMixin:
    """The applicant's own application in the URL; anyone else's answers 404."""

    def dispatch(self, request, *args, **kwargs):
        self.application = get_object_or_404(own_applications(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


def profile_form(user, kind, data=None):
    instance = applicant_profile(user, kind) or PROFILE_MODELS[kind](user=user)
    return PROFILE_FORMS[kind](data, instance=instance)


def save_profile(form, user, kind):
    fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
    return PROFILE_SERVICES[kind](by=user, **fields)


class ProfileView(ApplicantMixin, TemplateView):
    """申报主体信息: the unit's or the person's standing data, per the account's kind."""

    template_name = "applications/profile_form.html"

    def kind(self):
        kind = self.request.user.applicant_kind
        if not kind:
            kind = self.request.POST.get("kind") or self.request.GET.get("kind")
        return kind if kind in ApplicantKind.values else None

    def get_context_data(self, **kwargs):
        kind = self.kind()
        if kind and "form" not in kwargs:
            kwargs["form"] = profile_form(self.request.user, kind)
        return super().get_context_data(
            kind=kind,
            kind_label=ApplicantKind(kind).label if kind else "",
            kinds=ApplicantKind.choices,
            has_profile=bool(kind and applicant_profile(self.request.user, kind)),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        kind = self.kind()
        if kind is None:
            raise Http404
        form = profile_form(request.user, kind, request.POST)
        if form.is_valid():
            try:
                save_profile(form, request.user, kind)
            except REFUSALS as error:
                add_refusal(form, error)
            else:
                messages.success(request, _("申报主体信息已保存。"))
                return redirect("applications:profile")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ApplicationListView(ApplicantMixin, TemplateView):
    """我的申报, and 开始申报 for the cycle that is taking applications."""

    template_name = "applications/application_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            applications=list(own_applications(user)),
            check=start_check(user),
            start_form=OnceForm(),
            now=timezone.now(),
            **kwargs,
        )


class ApplicationStartView(ApplicantMixin, View):
    """开始申报. The service decides, so that a double click is answered as one."""

    http_method_names = ["post"]

    def post(self, request):
        check = start_check(request.user)
        if check.cycle is None:
            messages.error(request, _("目前没有正在接受申报的评选届次，请关注通知公告。"))
            return redirect("applications:application_list")
        form = OnceForm(request.POST)
        form.is_valid()  # only the token, which may be absent
        try:
            application = application_create(
                cycle=check.cycle, by=request.user, submission_token=form.once_token
            )
        except SubmissionReplayed as replayed:
            messages.warning(request, str(replayed.message))
            if replayed.first is None:
                return redirect("applications:application_list")
            return redirect("applications:application_step", pk=replayed.first.pk, step="basic")
        except ApplicationNotEligible as refused:
            for problem in refused.problems:
                messages.error(request, problem.message)
            return redirect("applications:application_list")
        except REFUSALS as refused:
            existing = start_check(request.user).existing
            if getattr(refused, "code", None) == "already_applied" and existing is not None:
                messages.info(request, _("您在本届已有申报，请在原申报中继续填写。"))
                return redirect("applications:application_detail", pk=existing.pk)
            for text in refusal_messages(refused):
                messages.error(request, text)
            return redirect("applications:application_list")
        messages.success(request, _("已创建%(cycle)s的申报，请逐步填写。") % {"cycle": check.cycle})
        return redirect("applications:application_step", pk=application.pk, step="basic")


def steps_for(application, user):
    kinds = set(application_documents(application).values_list("kind", flat=True))
    return application_steps(
        application, profile=applicant_profile(user, application.kind), document_kinds=kinds
    )


class ApplicationDetailView(ApplicantMixin, OwnApplicationMixin, TemplateView):
    """Where the application stands, each past step with its opinion, and what comes next."""

    template_name = "applications/application_detail.html"

    def get_context_data(self, **kwargs):
        application = self.application
        user = self.request.user
        events = timeline(application, user)
        returned = next(
            (row for row in reversed(events) if row["event"].to_state == ApplicationState.RETURNED),
            None,
        )
        steps = steps_for(application, user)
        return super().get_context_data(
            application=application,
            steps=steps,
            resume_step=next((s.key for s in steps if not s.complete), "confirm"),
            events=events,
            last_return=returned if application.state == ApplicationState.RETURNED else None,
            next_step=next_step_text(application),
            may_withdraw="withdraw" in available_actions(application, user),
            snapshots=application_snapshots(application),
            **kwargs,
        )


class ApplicationStepView(ApplicantMixin, OwnApplicationMixin, TemplateView):
    """One step of the 申报表. Each POST calls the one service the step needs."""

    template_name = "applications/application_step.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in STEP_KEYS:
            raise Http404
        self.step = kwargs["step"]
        return super().dispatch(request, *args, **kwargs)

    @property
    def kind(self):
        return self.application.kind

    def build_form(self, data=None, files=None):
        application, user = self.application, self.request.user
        step = self.step
        if step == "basic":
            return profile_form(user, self.kind, data)
        if step == "main" and self.kind == ApplicantKind.UNIT:
            return KeyFiguresForm(data, cycle=application.cycle, form_data=application.form_data)
        if step in ("main", "honours"):
            return TextSectionsForm(
                data,
                kind=self.kind,
                keys=TEXT_STEP_KEYS[(step, self.kind)],
                form_data=application.form_data,
            )
        if step == "documents":
            return DocumentForm(data, files, application=application)
        if step == "declarations":
            return DeclarationsForm(
                data,
                signer_label=expected_signer_label(self.kind),
                initial={"signed_name": application.declarations_accepted_by},
            )
        return SubmitForm(data)

    def call_service(self, form):
        application, user = self.application, self.request.user
        data = form.cleaned_data
        if self.step == "basic":
            return save_profile(form, user, self.kind)
        if self.step in ("main", "honours"):
            return application_save_draft(
                application=application, by=user, form_data=form.to_form_data()
            )
        if self.step == "documents":
            return document_add(
                application=application,
                by=user,
                kind=data["kind"],
                file=data["file"],
                title=data["title"],
                submission_token=form.once_token,
            )
        if self.step == "declarations":
            return declarations_accept(
                application=application, by=user, signed_name=data["signed_name"]
            )
        return application_submit(
            application=application, by=user, submission_token=form.once_token
        )

    def field_map(self, form):
        """Service error keys ("key_figures.2024.revenue") → this form's field names."""
        if isinstance(form, KeyFiguresForm):
            return {
                f"{KEY_FIGURES}.{year}.{key}": figure_field_name(key, year)
                for key, _label in FIGURES
                for year in form.years
            }
        return {}

    def get_context_data(self, **kwargs):
        application = self.application
        user = self.request.user
        editable = application.is_editable
        steps = steps_for(application, user)
        index = STEP_KEYS.index(self.step)
        kwargs.pop("step", None)  # the URL's; the context gets the Step
        form = kwargs.pop("form", None)
        if form is None:
            form = self.build_form()
        if not editable and not form.is_bound:
            # Read-only view; a refused POST keeps showing what was typed.
            for field in form.fields.values():
                field.disabled = True
        context = {
            "application": application,
            "step": steps[index],
            "steps": steps,
            "previous_step": steps[index - 1] if index else None,
            "next_step": steps[index + 1] if index + 1 < len(steps) else None,
            "editable": editable,
            "form": form,
            "is_unit": self.kind == ApplicantKind.UNIT,
        }
        context.update(getattr(self, f"context_{self.step}")())
        return super().get_context_data(**context, **kwargs)

    def context_basic(self):
        if self.application.is_editable:
            return {}
        return submission_context(self.application, self.request.user)

    def context_main(self):
        return {}

    def context_honours(self):
        return {}

    def context_documents(self):
        return {"documents": application_documents(self.application)}

    def context_declarations(self):
        return {
            "declaration_items": declaration_items(self.kind),
            "declaration_article": declaration_article(self.kind),
            "signer_label": expected_signer_label(self.kind),
        }

    def context_confirm(self):
        application = self.application
        problems = check_eligibility(application) if application.is_editable else []
        earlier = []
        for attempt in previous_attempts(application):
            years, rows = figure_table(attempt.form_data)
            earlier.append({"application": attempt, "figure_years": years, "figure_rows": rows})
        years, rows = figure_table(application.form_data)
        return {
            "problems": [{"problem": p, "step": PROBLEM_STEP.get(p.code, "")} for p in problems],
            "earlier": earlier,
            "figure_years": years,
            "figure_rows": rows,
        }

    def post(self, request, *args, **kwargs):
        form = self.build_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            self.call_service(form)
        except SubmissionReplayed as replayed:
            messages.warning(request, str(replayed.message))
            return self.redirect_after()
        except ApplicationNotEligible as refused:
            form.add_error(None, _("申报尚不符合提交条件，请按下列提示处理后再提交。"))
            return self.render_to_response(
                self.get_context_data(form=form, refused_problems=refused.problems), status=409
            )
        except REFUSALS as refused:
            if self.step == "confirm" and self.already_submitted():
                return redirect("applications:application_detail", pk=self.application.pk)
            if hasattr(refused, "error_dict"):
                apply_errors(form, refused, self.field_map(form))
                status = 400
            else:
                add_refusal(form, refused)
                status = 409
            return self.render_to_response(self.get_context_data(form=form), status=status)
        if self.step == "confirm":
            messages.success(
                request,
                _("申报已提交，等待%(county)s质量议事协调机构初审。")
                % {"county": self.application.county.name},
            )
        else:
            messages.success(request, SAVED[self.step])
        return self.redirect_after()

    def redirect_after(self):
        """The page a successful POST of this step leads to (a replay gets the same one)."""
        if self.step == "confirm":
            return redirect("applications:application_detail", pk=self.application.pk)
        target = self.step
        if "next" in self.request.POST:
            target = STEP_KEYS[STEP_KEYS.index(self.step) + 1]
        return redirect("applications:application_step", pk=self.application.pk, step=target)

    def already_submitted(self) -> bool:
        """A second click on 提交: the first one went through, so say so plainly."""
        self.application.refresh_from_db()
        if self.application.state != ApplicationState.SUBMITTED:
            return False
        messages.info(
            self.request,
            _("该申报已于%(when)s提交，无需重复提交。")
            % {
                "when": timezone.localtime(self.application.submitted_at).strftime("%Y-%m-%d %H:%M")
            },
        )
        return True


class DocumentRemoveView(ApplicantMixin, OwnApplicationMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, document_pk):
        document = get_object_or_404(application_documents(self.application), pk=document_pk)
        try:
            document_remove(application=self.application, by=request.user, document=document)
        except REFUSALS as refused:
            for text in refusal_messages(refused):
                messages.error(request, text)
        else:
            messages.success(request, _("已删除“%(title)s”。") % {"title": document.title})
        return redirect("applications:application_step", pk=pk, step="documents")


class ApplicationWithdrawView(ApplicantMixin, OwnApplicationMixin, TemplateView):
    """撤回: a confirmation page with the reason; final for this cycle."""

    template_name = "applications/application_withdraw.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", WithdrawForm())
        return super().get_context_data(
            application=self.application,
            may_withdraw="withdraw" in available_actions(self.application, self.request.user),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                application_withdraw(
                    application=self.application,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except REFUSALS as refused:
                add_refusal(form, refused)
                self.application.refresh_from_db()
                return self.render_to_response(self.get_context_data(form=form), status=409)
            messages.success(request, _("申报已撤回。"))
            return redirect("applications:application_detail", pk=self.application.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


urlpatterns = [
    path("", ApplicationListView.as_view(), name="application_list"),
    path("profile/", ProfileView.as_view(), name="profile"),
    path("start/", ApplicationStartView.as_view(), name="application_start"),
    path("<int:pk>/", ApplicationDetailView.as_view(), name="application_detail"),
    path("<int:pk>/steps/<slug:step>/", ApplicationStepView.as_view(), name="application_step"),
    path(
        "<int:pk>/documents/<int:document_pk>/remove/",
        DocumentRemoveView.as_view(),
        name="document_remove",
    ),
    path("<int:pk>/withdraw/", ApplicationWithdrawView.as_view(), name="application_withdraw"),
]

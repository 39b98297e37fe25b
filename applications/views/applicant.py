"""Applicant pages: 申报主体信息, 我的申报, the 申报表 in steps, submission, timeline, 撤回."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from applications.enums import ApplicationState
from applications.exceptions import ApplicationNotEligible
from applications.forms import WithdrawForm
from applications.hooks import application_links
from applications.presentation import acting_now, next_step_text, timeline
from applications.selectors import applicant_profile, application_documents, application_snapshots
from applications.selectors_pages import own_applications, start_check
from applications.services import (
    application_create,
    application_delete_draft,
    application_withdraw,
    document_remove,
)
from applications.steps import STEPS, application_steps, form_step, profile_form, save_profile
from applications.views.common import available_actions
from award.enums import ApplicantKind, Role
from award.exceptions import SubmissionReplayed
from award.forms.once import OnceForm
from award.permissions import RoleRequiredMixin
from award.views.refusals import REFUSALS, apply_errors, refusal_messages, show_refusal


class ApplicantMixin(RoleRequiredMixin):
    roles = (Role.APPLICANT,)


class OwnApplicationMixin:
    """The applicant's own application in the URL; anyone else's answers 404."""

    def dispatch(self, request, *args, **kwargs):
        self.application = get_object_or_404(own_applications(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


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
                show_refusal(form, error)
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

    def get(self, request):
        # A bookmarked or typed address: the list has the button that starts one.
        return redirect("applications:application_list")

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
        return redirect("applications:application_step", pk=application.pk, step=STEPS[0].key)


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
        steps = application_steps(application, user)
        return super().get_context_data(
            application=application,
            steps=steps,
            resume_step=next((s.key for s in steps if not s.complete), STEPS[-1].key),
            events=events,
            last_return=returned if application.state == ApplicationState.RETURNED else None,
            next_step=next_step_text(application),
            next_links=application_links(application, user),
            acting_now=acting_now(application),
            may_withdraw="withdraw" in available_actions(application, user),
            may_delete=application.state == ApplicationState.DRAFT,
            snapshots=application_snapshots(application),
            **kwargs,
        )


class ApplicationStepView(ApplicantMixin, OwnApplicationMixin, TemplateView):
    """One step of the 申报表, as `applications.steps.STEPS` declares it: its form, its one
    service, what its template shows besides the form."""

    template_name = "applications/application_step.html"

    def dispatch(self, request, *args, **kwargs):
        self.spec = form_step(kwargs["step"])
        if self.spec is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def build_form(self, data=None, files=None):
        return self.spec.form(self.application, self.request.user, data, files)

    def get_context_data(self, **kwargs):
        application = self.application
        user = self.request.user
        editable = application.is_editable
        steps = application_steps(application, user)
        index = STEPS.index(self.spec)
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
            "is_unit": application.kind == ApplicantKind.UNIT,
            **self.spec.context(application, user),
        }
        return super().get_context_data(**context, **kwargs)

    def post(self, request, *args, **kwargs):
        spec, application = self.spec, self.application
        form = self.build_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            spec.save(application, request.user, form)
        except SubmissionReplayed as replayed:
            messages.warning(request, str(replayed.message))
            return self.redirect_after()
        except ApplicationNotEligible as refused:
            form.add_error(None, _("申报尚不符合提交条件，请按下列提示处理后再提交。"))
            return self.render_to_response(
                self.get_context_data(form=form, refused_problems=refused.problems), status=409
            )
        except REFUSALS as refused:
            if spec.submits and self.already_submitted():
                return redirect("applications:application_detail", pk=application.pk)
            if hasattr(refused, "error_dict"):
                apply_errors(form, refused, spec.field_map(form))
                status = 400
            else:
                show_refusal(form, refused)
                status = 409
            return self.render_to_response(self.get_context_data(form=form), status=status)
        messages.success(request, str(spec.saved) % {"county": application.county.name})
        return self.redirect_after()

    def redirect_after(self):
        """The page a successful POST of this step leads to (a replay gets the same one)."""
        spec, application = self.spec, self.application
        if spec.submits:
            return redirect("applications:application_detail", pk=application.pk)
        target = spec
        if "next" in self.request.POST:
            target = STEPS[STEPS.index(spec) + 1]
        return redirect("applications:application_step", pk=application.pk, step=target.key)

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

    def get(self, request, *args, **kwargs):
        if self.application.state == ApplicationState.DRAFT:  # never submitted: deleted instead
            return redirect("applications:application_delete", pk=self.application.pk)
        return super().get(request, *args, **kwargs)

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
                show_refusal(form, refused)
                self.application.refresh_from_db()
                return self.render_to_response(self.get_context_data(form=form), status=409)
            messages.success(request, _("申报已撤回。"))
            return redirect("applications:application_detail", pk=self.application.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ApplicationDeleteView(ApplicantMixin, TemplateView):
    """删除草稿: a confirmation page, then the draft and its uploads are gone (第十四条第（二）项:
    nothing was submitted, so the applicant may start again in this cycle)."""

    template_name = "applications/application_delete.html"

    def dispatch(self, request, *args, **kwargs):
        self.application = own_applications(request.user).filter(pk=kwargs["pk"]).first()
        if self.application is None and request.method == "POST":
            # A second click after the first deleted it: say where things stand.
            messages.info(request, _("该申报草稿已删除。"))
            return redirect("applications:application_list")
        if self.application is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            application=self.application,
            documents=application_documents(self.application),
            may_delete=self.application.state == ApplicationState.DRAFT,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            application_delete_draft(application=self.application, by=request.user)
        except REFUSALS as refused:
            for text in refusal_messages(refused):
                messages.error(request, text)
            return redirect("applications:application_detail", pk=self.application.pk)
        messages.success(
            request,
            _("申报草稿已删除；如需参加%(cycle)s，可以重新开始申报。")
            % {"cycle": self.application.cycle},
        )
        return redirect("applications:application_list")


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
    path("<int:pk>/delete/", ApplicationDeleteView.as_view(), name="application_delete"),
]

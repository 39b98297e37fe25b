"""One application under review, for the agency (and read by the office and the auditor):
its review page, checks with their evidence, and confirming 开始评审 or 完成评审."""

import mimetypes

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from applications.enums import ApplicationState
from award import fsm
from award.permissions import RoleRequiredMixin, is_agency_of
from award.services.audit import download_record
from award.uploads import stored_file_response
from award.views.refusals import REFUSALS, refusal_messages
from review.enums import CHECK_STAGES, Stage
from review.forms.agency import CheckFailForm, CheckForm
from review.selectors.board import agency_application, checks_of
from review.selectors.pool import active_assignment, live_experts
from review.services import review_complete, review_start, stage_check_record
from review.views.common import REVIEW_READERS, ServiceFormView


class ApplicationMixin(RoleRequiredMixin):
    """One application of a cycle the user reads the review of; others 404."""

    roles = REVIEW_READERS

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = agency_application(request.user, kwargs["pk"])
        if self.application is None:
            raise Http404
        self.cycle = self.application.cycle
        return super().dispatch(request, *args, **kwargs)

    @property
    def may_write(self) -> bool:
        return is_agency_of(self.cycle, self.request.user)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("application", self.application)
        kwargs["cycle"] = self.cycle
        kwargs.setdefault("may_write", self.may_write)
        return super().get_context_data(**kwargs)


class ApplicationReviewView(ApplicationMixin, TemplateView):
    template_name = "review/agency_application.html"

    def get_context_data(self, **kwargs):
        application = self.application
        assignment = active_assignment(application)
        checks = checks_of(application)
        return super().get_context_data(
            assignment=assignment,
            experts=live_experts(assignment) if assignment else [],
            checks=[
                {"stage": stage, "label": Stage(stage).label, "record": checks.get(stage)}
                for stage in CHECK_STAGES
            ],
            in_review=application.state == ApplicationState.IN_REVIEW,
            can_start=self.may_write and application.state == ApplicationState.ACCEPTED,
            can_complete=self.may_write and application.state == ApplicationState.IN_REVIEW,
            **kwargs,
        )


class CheckRecordView(ApplicationMixin, ServiceFormView):
    """舆情调查/资格审查: 通过 with the evidence, or 不通过 on a page that says it ends the
    review (一票否决)."""

    template_name = "review/agency_check_form.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["stage"] not in CHECK_STAGES or kwargs["outcome"] not in ("pass", "fail"):
            raise Http404
        self.stage = Stage(kwargs["stage"])
        self.passed = kwargs["outcome"] == "pass"
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not self.may_write:
            raise Http404
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.may_write:
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_form_class(self):
        return CheckForm if self.passed else CheckFailForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            stage=self.stage,
            passed=self.passed,
            record=checks_of(self.application).get(self.stage),
            **kwargs,
        )

    def call_service(self, form):
        data = form.cleaned_data
        return stage_check_record(
            application=self.application,
            stage=self.stage,
            passed=self.passed,
            by=self.request.user,
            evidence=data["evidence"],
            reason=data.get("reason", ""),
            evidence_file=data["evidence_file"] or None,
        )

    def success_text(self, saved):
        if self.passed:
            return _("已记录“%(name)s”%(stage)s通过。") % {
                "name": self.application.name,
                "stage": self.stage.label,
            }
        return _("已记录“%(name)s”%(stage)s不通过，该申报评审终止（评审淘汰）。") % {
            "name": self.application.name,
            "stage": self.stage.label,
        }

    def success_url_for(self, saved):
        return reverse("review:application", args=[self.application.pk])


class CheckEvidenceView(ApplicationMixin, View):
    """The evidence file of a check; read by whoever reads the review. Audited."""

    def get(self, request, *args, **kwargs):
        check = checks_of(self.application).get(kwargs["stage"])
        if check is None or not check.evidence_file:
            raise Http404
        content_type = mimetypes.guess_type(check.evidence_name)[0] or "application/octet-stream"
        response = stored_file_response(
            check.evidence_file, filename=check.evidence_name, content_type=content_type
        )
        download_record(
            by=request.user,
            obj=self.application,
            action="review.evidence_download",
            what={"stage": check.stage, "sha256": check.evidence_sha256},
        )
        return response


class TransitionConfirmView(ApplicationMixin, TemplateView):
    """A confirmation page for 开始评审 or 完成评审, listing what stands in the way."""

    template_name = "review/agency_transition_confirm.html"
    transition = ""
    service = None
    title = ""
    effects: tuple = ()
    done_message = ""

    def get(self, request, *args, **kwargs):
        if not self.may_write:
            raise Http404
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "blockers", fsm.why_not(self.application, self.transition, self.request.user)
        )
        return super().get_context_data(title=self.title, effects=self.effects, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.may_write:
            raise Http404
        try:
            self.service(application=self.application, by=request.user)
        except REFUSALS as refused:
            self.application = agency_application(request.user, self.application.pk)
            context = self.get_context_data(errors=refusal_messages(refused))
            return self.render_to_response(context, status=409)
        messages.success(request, str(self.done_message) % {"name": self.application.name})
        return redirect("review:application", pk=self.application.pk)


class ReviewStartView(TransitionConfirmView):
    transition = "start_review"
    service = staticmethod(review_start)
    title = gettext_lazy("开始专家评审")
    effects = (
        gettext_lazy("申报进入“专家评审”状态，评审组专家开始独立评分（第十四条第（四）项）。"),
        gettext_lazy("本届评审工作计划随第一件申报开始评审而冻结，不能再修改。"),
        gettext_lazy("申报主体和评审组专家将收到站内信通知。"),
    )
    done_message = gettext_lazy("“%(name)s”已进入专家评审。")


class ReviewCompleteView(TransitionConfirmView):
    transition = "complete_review"
    service = staticmethod(review_complete)
    title = gettext_lazy("完成专家评审")
    effects = (
        gettext_lazy("申报进入“评审完成”状态，评审结果列入情况报告（第八条第（三）项）。"),
        gettext_lazy("各环节评分已由组长签字锁定，此后的修改只能由组长以评分更正的方式进行。"),
        gettext_lazy("申报主体和质量强市办将收到站内信通知。"),
    )
    done_message = gettext_lazy("“%(name)s”的专家评审已完成。")

"""The expert's pages: 我的评审任务, 回避声明, the application, and each stage's score sheet."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from applications.presentation import submission_context
from award.enums import Role
from award.permissions import RoleRequiredMixin
from award.views.refusals import REFUSALS, refusal_messages, refusal_status, show_refusal
from review.enums import Stage
from review.forms.scoring import ConflictForm, ScoreForm
from review.selectors.scoring import (
    assigned_application,
    expert_tasks,
    group_scores,
    is_submitted,
    own_declaration,
    own_scores,
    progress_of,
    sheet,
    sign_off,
    site_visit,
    stage_corrections,
    stage_criteria,
    stage_label,
    stage_status,
    stage_submissions,
)
from review.services import conflict_declare, score_save, stage_submit


def saved_text(row) -> str:
    return _("已保存 %(time)s") % {"time": timezone.localtime(row.updated_at).strftime("%H:%M")}


def item_response(view, criterion, form, row, status, *, rows, kind, sheet_url):
    """After saving one item (an expert's score or the consensus): for htmx the item's
    status with the running total out of band; else back to the item (POST-redirect-GET),
    or the whole sheet with the error next to the item and what was typed kept."""
    request = view.request
    if request.htmx:
        return view.response_class(
            request=request,
            template="review/partials/score_status.html",
            context={
                "criterion": criterion,
                "form": None if row else form,
                "row": row,
                "progress": progress_of(view.criteria, rows),
                "progress_kind": kind,
                "oob": True,
            },
            status=status,
            using=view.template_engine,
        )
    label = {"code": criterion.code, "name": criterion.name}
    if row is not None:
        messages.success(
            request, _("%(code)s %(name)s：%(saved)s") % {**label, "saved": saved_text(row)}
        )
        return redirect(f"{sheet_url}#item-{criterion.pk}")
    for text in form.non_field_errors():  # e.g. signed meanwhile: the sheet is read-only now
        messages.error(request, _("%(code)s %(name)s：%(message)s") % {**label, "message": text})
    context = view.get_context_data(bound={criterion.pk: form})
    return view.render_to_response(context, status=status)


class ExpertMixin(RoleRequiredMixin):
    roles = (Role.EXPERT,)


class AssignedMixin:
    """The application in the URL, if the user reviews it now; 404 otherwise (not assigned,
    excluded after a conflict, disqualified; not the group's leader on a leader's page).
    Content pages first ask for the 回避声明."""

    needs_declaration = True
    group_leader_only = False

    def dispatch(self, request, *args, **kwargs):
        self.assigned = assigned_application(request.user, kwargs["pk"])
        if self.group_leader_only and not self.assigned.is_leader:
            raise Http404
        self.application = self.assigned.application
        # A POST goes on to its service, which refuses it with the same request.
        if self.needs_declaration and not self.assigned.declared and request.method == "GET":
            messages.info(request, _("查看申报材料和评分前，请先声明有无利害关系（第二十条）。"))
            return redirect("review:expert_declare", pk=self.application.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            application=self.application, assigned=self.assigned, **kwargs
        )


class StageMixin:
    """A scored stage of the cycle's plan in the URL; any other stage answers 404."""

    def dispatch(self, request, *args, **kwargs):
        self.stage = kwargs["stage"]
        if self.stage not in self.assigned.stages:
            raise Http404
        self.criteria = stage_criteria(self.application, self.assigned.plan)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())


# 我的评审任务 ----------------------------------------------------------------------------------


class ExpertTaskListView(ExpertMixin, TemplateView):
    template_name = "review/expert_tasks.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(tasks=expert_tasks(self.request.user), **kwargs)


# 回避声明 -------------------------------------------------------------------------------------


class ConflictDeclareView(ExpertMixin, AssignedMixin, TemplateView):
    """Before any content: no relationship, or the relationship (then a confirmation)."""

    template_name = "review/expert_declare.html"
    needs_declaration = False

    def form(self, data=None):
        return ConflictForm(data, conflict_only=self.assigned.declared)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.form())
        return super().get_context_data(declaration=own_declaration(self.assigned), **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        conflict = form.declares_conflict
        relationship = form.cleaned_data["relationship"]
        if conflict and not relationship:
            form.add_error(
                "relationship", _("请说明与申报主体的利益关系（如任职、亲属、业务往来等）。")
            )
            return self.render_to_response(self.get_context_data(form=form), status=400)
        if conflict and request.POST.get("confirmed") != "1":
            return self.response_class(
                request=request,
                template="review/expert_declare_confirm.html",
                context=self.get_context_data(form=form, relationship=relationship),
                using=self.template_engine,
            )
        try:
            conflict_declare(
                application=self.application,
                by=request.user,
                has_conflict=conflict,
                relationship=relationship,
            )
        except REFUSALS as refused:
            show_refusal(form, refused)
            status = refusal_status(refused)
            return self.render_to_response(self.get_context_data(form=form), status=status)
        if conflict:
            messages.success(
                request,
                _("已声明回避“%(name)s”，该申报已从您的评审任务中移除（第二十条）。")
                % {"name": self.application.name},
            )
            return redirect("review:expert_tasks")
        messages.success(request, _("已声明无利害关系，现在可以查看申报材料并评分。"))
        return redirect("review:expert_application", pk=self.application.pk)


# The application ----------------------------------------------------------------------------


class ExpertApplicationView(ExpertMixin, AssignedMixin, TemplateView):
    """The frozen submission the expert scores, and the scored stages with their progress."""

    template_name = "review/expert_application.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            stages=list(stage_status(self.assigned).values()),
            visit=site_visit(self.application),
            **submission_context(self.application, self.request.user),
            **kwargs,
        )


# The score sheet --------------------------------------------------------------------------


class ScoreSheetView(ExpertMixin, AssignedMixin, StageMixin, TemplateView):
    """One scored stage: every item with its band control, saved item by item (htmx, or a
    normal POST without JavaScript); 提交本阶段评分 when all are scored; then the group's."""

    template_name = "review/expert_scoring.html"

    def state(self):
        application, stage, expert = self.application, self.stage, self.assigned.expert
        signed = sign_off(application, stage)
        submitted = is_submitted(application, stage, expert)
        return {
            "signed": signed,
            "submitted": submitted,
            "editable": self.assigned.in_review and not submitted and signed is None,
        }

    def get_context_data(self, bound=None, submit_errors=None, **kwargs):
        application, stage = self.application, self.stage
        rows = own_scores(application, stage, self.assigned.expert)
        state = self.state()
        group, group_rows = None, []
        if state["submitted"]:  # the others' scores, never before one's own are handed in
            group = group_scores(self.assigned.assignment, stage, self.criteria)
            group_rows = [{"criterion": c, "spread": group.by_item[c.pk]} for c in self.criteria]
        return super().get_context_data(
            stage=stage,
            stage_label=stage_label(stage),
            autosave_prefix=f"scoring:{application.pk}:{stage}:",
            items=sheet(self.criteria, rows, bound),
            group_rows=group_rows,
            progress=progress_of(self.criteria, rows),
            group=group,
            visit=site_visit(application) if stage == Stage.SITE_VISIT else None,
            submissions=stage_submissions(application, stage),
            corrections=stage_corrections(application, stage) if state["signed"] else [],
            submit_errors=submit_errors or [],
            stage_links=list(stage_status(self.assigned).values()),
            **state,
            **kwargs,
        )


class ItemSaveMixin:
    """Save one item of a score sheet: htmx gets the item's status and the running total
    out of band; a plain POST goes back to the item, or the whole sheet shows the error next
    to it (item_response). Subclasses define `save_item(criterion, data)`, which calls the
    sheet's one service, and `item_rows()`, the sheet's saved rows by criterion."""

    http_method_names = ["post"]
    progress_kind = ""
    sheet_url_name = ""

    def post(self, request, *args, **kwargs):
        criterion = next((c for c in self.criteria if c.pk == kwargs["criterion"]), None)
        if criterion is None:
            raise Http404
        form = ScoreForm(request.POST)
        row, status = None, 200
        if form.is_valid():
            try:
                row = self.save_item(criterion, form.cleaned_data)
            except REFUSALS as refused:
                show_refusal(form, refused)
                status = refusal_status(refused)
        else:
            status = 400
        sheet_url = reverse(self.sheet_url_name, args=[self.application.pk, self.stage])
        return item_response(
            self,
            criterion,
            form,
            row,
            status,
            rows=self.item_rows(),
            kind=self.progress_kind,
            sheet_url=sheet_url,
        )


class ScoreSaveView(ItemSaveMixin, ScoreSheetView):
    """An expert's own score of one item, through score_save."""

    progress_kind = "expert"
    sheet_url_name = "review:expert_scoring"

    def save_item(self, criterion, data):
        return score_save(
            application=self.application,
            stage=self.stage,
            by=self.request.user,
            criterion=criterion,
            percentage=data["percentage"],
            strengths=data["strengths"],
            opportunities=data["opportunities"],
        )

    def item_rows(self):
        return own_scores(self.application, self.stage, self.assigned.expert)


class StageSubmitView(ScoreSheetView):
    """提交本阶段评分 through stage_submit; refused with the list of items still unscored."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            stage_submit(application=self.application, stage=self.stage, by=request.user)
        except REFUSALS as refused:
            missing = []
            if getattr(refused, "code", None) == "incomplete":
                rows = own_scores(self.application, self.stage, self.assigned.expert)
                missing = [c for c in self.criteria if c.pk not in rows]
            errors = refusal_messages(refused)
            if missing:  # name each item, not only its code
                errors = [
                    _("尚有%(count)s个评分项未评分，请评分后再提交：") % {"count": len(missing)}
                ]
            context = self.get_context_data(submit_errors=errors, missing=missing)
            return self.render_to_response(context, status=refusal_status(refused))
        messages.success(
            request,
            _("已提交%(stage)s评分，不能再修改；现在可以查看本组其他专家已提交的评分。")
            % {"stage": stage_label(self.stage)},
        )
        return redirect("review:expert_scoring", pk=self.application.pk, stage=self.stage)

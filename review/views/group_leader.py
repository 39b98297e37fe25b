"""The group leader's pages (组长负责制): consensus per item, the site visit record, signing
a stage, and audited corrections after sign-off."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from applications.enums import ApplicationState
from award.enums import CyclePhase
from award.views.refusals import REFUSALS, refusal_messages, refusal_status, show_refusal
from review.enums import Stage
from review.forms.scoring import CorrectionForm, SiteVisitForm
from review.models import Criterion
from review.selectors.scoring import (
    consensus_rows,
    consensus_total,
    corrected_total,
    group_scores,
    progress_of,
    sheet,
    sign_off,
    site_visit,
    stage_corrections,
    stage_label,
    stage_status,
    stage_submissions,
)
from review.services import consensus_save, score_correct, site_visit_record, stage_sign
from review.views.expert import AssignedMixin, ExpertMixin, ItemSaveMixin, StageMixin

CORRECTABLE_STATES = (ApplicationState.IN_REVIEW, ApplicationState.REVIEWED)


class ConsensusView(ExpertMixin, AssignedMixin, StageMixin, TemplateView):
    """合议: each item's spread across the experts beside the consensus control, once every
    expert submitted; the site visit record for 现场评审; the stage's history."""

    template_name = "review/group_leader_consensus.html"
    group_leader_only = True

    def readiness(self):
        """What stands between the stage and its signature, as sentences (may be empty)."""
        application, stage, plan = self.application, self.stage, self.assigned.plan
        group = group_scores(self.assigned.assignment, stage, self.criteria)
        rows = consensus_rows(application, stage)
        problems = []
        if group.pending:
            problems.append(
                _("尚有专家未提交独立评分：%(names)s。")
                % {"names": "、".join(e.name for e in group.pending)}
            )
        live = len(group.experts) + len(group.pending)
        if plan is not None and live < plan.min_group_size:
            problems.append(
                _("参加评审的专家仅%(count)s人，少于评审工作计划要求的%(min)s人。")
                % {"count": live, "min": plan.min_group_size}
            )
        missing = [c for c in self.criteria if c.pk not in rows]
        if missing:
            problems.append(
                _("尚有%(count)s个评分项未形成合议分：%(items)s。")
                % {
                    "count": len(missing),
                    "items": "、".join(f"{c.code} {c.name}" for c in missing),
                }
            )
        if stage == Stage.SITE_VISIT and site_visit(application) is None:
            problems.append(_("尚未记录现场评审的日期和发现的问题。"))
        return group, rows, problems

    def may_correct(self, signed) -> bool:
        application = self.application
        return (
            signed is not None
            and application.state in CORRECTABLE_STATES
            and application.cycle.phase == CyclePhase.EXPERT_REVIEW
        )

    def get_context_data(self, bound=None, visit_form=None, **kwargs):
        application, stage = self.application, self.stage
        group, rows, problems = self.readiness()
        signed = sign_off(application, stage)
        items = sheet(self.criteria, rows, bound)
        for item in items:
            item.spread = group.by_item[item.criterion.pk]
        visit = site_visit(application) if stage == Stage.SITE_VISIT else None
        if stage == Stage.SITE_VISIT and visit_form is None:
            initial = (
                {"visited_on": visit.visited_on, "issues_found": visit.issues_found}
                if visit
                else None
            )
            visit_form = SiteVisitForm(initial=initial)
        corrections = stage_corrections(application, stage)
        total = consensus_total(application, stage)
        return super().get_context_data(
            stage=stage,
            stage_label=stage_label(stage),
            stage_links=list(stage_status(self.assigned).values()),
            autosave_prefix=f"consensus:{application.pk}:{stage}:",
            group=group,
            items=items,
            progress=progress_of(self.criteria, rows),
            all_submitted=not group.pending,
            signed=signed,
            editable=self.assigned.in_review and not group.pending and signed is None,
            visit=visit,
            visit_form=visit_form,
            visit_editable=self.assigned.in_review and signed is None,
            problems=problems,
            submissions=stage_submissions(application, stage),
            corrections=corrections,
            total=total,
            corrected=corrected_total(total, corrections),
            may_correct=self.may_correct(signed),
            **kwargs,
        )


class ConsensusSaveView(ItemSaveMixin, ConsensusView):
    """The group's consensus on one item, through consensus_save (htmx, or a plain POST)."""

    progress_kind = "consensus"
    sheet_url_name = "review:group_leader_consensus"

    def save_item(self, criterion, data):
        return consensus_save(
            application=self.application,
            stage=self.stage,
            criterion=criterion,
            percentage=data["percentage"],
            strengths=data["strengths"],
            opportunities=data["opportunities"],
            by=self.request.user,
        )

    def item_rows(self):
        return consensus_rows(self.application, self.stage)


class SiteVisitView(ConsensusView):
    """Record the site visit's date and findings through site_visit_record."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if self.stage != Stage.SITE_VISIT:
            raise Http404
        form = SiteVisitForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                site_visit_record(
                    application=self.application,
                    visited_on=form.cleaned_data["visited_on"],
                    issues_found=form.cleaned_data["issues_found"],
                    by=request.user,
                )
            except REFUSALS as refused:
                show_refusal(form, refused)
                status = refusal_status(refused)
            else:
                messages.success(request, _("已记录现场评审情况。"))
                return redirect(
                    "review:group_leader_consensus", pk=self.application.pk, stage=Stage.SITE_VISIT
                )
        return self.render_to_response(self.get_context_data(visit_form=form), status=status)


class StageSignView(ConsensusView):
    """签署本阶段: a confirmation page listing what is still missing; stage_sign on POST."""

    template_name = "review/group_leader_sign.html"

    def post(self, request, *args, **kwargs):
        try:
            stage_sign(application=self.application, stage=self.stage, by=request.user)
        except REFUSALS as refused:
            context = self.get_context_data(refusal=refusal_messages(refused))
            return self.render_to_response(context, status=refusal_status(refused))
        messages.success(
            request,
            _("已签署%(stage)s，本阶段评分已锁定；如需更正，须说明原因并留痕。")
            % {"stage": stage_label(self.stage)},
        )
        return redirect("review:group_leader_consensus", pk=self.application.pk, stage=self.stage)


class ScoreCorrectView(ConsensusView):
    """更正: after sign-off, a new audited row with its reason, never an overwrite."""

    template_name = "review/group_leader_correct.html"

    def form(self, group, data=None):
        criteria = Criterion.objects.filter(pk__in=[c.pk for c in self.criteria]).order_by(
            "order", "pk"
        )
        return CorrectionForm(data, criteria=criteria, experts=group.experts)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or self.form(context["group"])
        return context

    def post(self, request, *args, **kwargs):
        group = group_scores(self.assigned.assignment, self.stage, self.criteria)
        form = self.form(group, request.POST)
        status = 400
        if form.is_valid():
            try:
                score_correct(
                    application=self.application,
                    stage=self.stage,
                    criterion=form.cleaned_data["criterion"],
                    percentage=form.cleaned_data["percentage"],
                    reason=form.cleaned_data["reason"],
                    expert=form.expert,
                    by=request.user,
                )
            except REFUSALS as refused:
                show_refusal(form, refused)
                status = refusal_status(refused)
            else:
                messages.success(request, _("已记录更正，原评分保留，更正记录见本阶段历史。"))
                url = reverse(
                    "review:group_leader_consensus", args=[self.application.pk, self.stage]
                )
                return redirect(f"{url}#history")
        return self.render_to_response(self.get_context_data(form=form), status=status)

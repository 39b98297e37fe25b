"""Pages of the decisions floor: the leading group's deliberation (第十四条第（五）项).

The office opens and closes meetings and records resolutions; the auditor reads; a member of
the leading group recorded present votes on the vote page. Counts are shown to the office and
the auditor only: an applicant, or anyone without one of these roles, gets 404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from applications.models import Application
from award.enums import Role
from award.pdf import pdf_download, render_pdf
from award.permissions import STAFF_READERS, RoleRequiredMixin
from award.services.audit import download_record
from award.views.refusals import REFUSALS, refusal_messages, refusal_status, show_refusal
from decisions.enums import MeetingState
from decisions.forms.meetings import BallotForm, MeetingOpenForm, ResolutionForm
from decisions.models import BallotChoice, Meeting
from decisions.selectors.candidates import candidate_list_of, stage_labels
from decisions.selectors.charts import ballot_charts
from decisions.selectors.meetings import (
    active_leaders,
    has_voted,
    leader_may_vote,
    leader_meetings,
    meeting_board,
    meeting_candidates,
    meetings_of,
    open_meeting,
    proposed_list,
    quorum_for,
    seats_taken,
    unresolved_candidates,
)
from decisions.services.meetings import (
    ballot_cast,
    meeting_close,
    meeting_open,
    resolution_record,
)
from decisions.views.candidates import CycleMixin, pdf_filename


class MeetingCycleView(CycleMixin, TemplateView):
    """The cycle's meetings, candidates still without a resolution, seats taken."""

    template_name = "decisions/meetings/cycle.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meetings=list(meetings_of(self.cycle)),
            open_meeting=open_meeting(self.cycle),
            candidate_list=candidate_list_of(self.cycle),
            unresolved=unresolved_candidates(self.cycle).count(),
            seats=seats_taken(self.cycle),
            limit=self.cycle.rulebook.max_winners_per_category,
            **kwargs,
        )


class MeetingOpenView(CycleMixin, TemplateView):
    office_only = True
    template_name = "decisions/meetings/open.html"

    def form(self, data=None):
        return MeetingOpenForm(
            data,
            leaders=active_leaders().order_by("pk"),
            initial={"held_on": timezone.localdate()},
        )

    def get_context_data(self, **kwargs):
        member_count = active_leaders().count()
        kwargs.setdefault("form", self.form())
        return super().get_context_data(
            member_count=member_count,
            quorum=quorum_for(member_count, self.cycle.rulebook.meeting_quorum_percent),
            percent=self.cycle.rulebook.meeting_quorum_percent,
            candidate_list=candidate_list_of(self.cycle),
            **kwargs,
        )

    def handle_post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        status = 400
        if form.is_valid():
            try:
                meeting = meeting_open(cycle=self.cycle, by=request.user, **form.cleaned_data)
            except REFUSALS as refused:
                show_refusal(form, refused)
                status = refusal_status(refused)
            else:
                messages.success(request, _("审议会议已开始，已通知出席成员投票。"))
                return redirect("decisions:meetings_detail", meeting.pk)
        return self.render_to_response(self.get_context_data(form=form), status=status)


class MeetingMixin(RoleRequiredMixin):
    """A page about one meeting (404 for an unknown id)."""

    roles = STAFF_READERS
    office_only = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_role(*self.roles):
            raise Http404
        if self.office_only and not request.user.has_role(Role.OFFICE):
            raise Http404
        self.meeting = get_object_or_404(
            Meeting.objects.select_related("cycle__rulebook", "opened_by"), pk=kwargs["meeting"]
        )
        self.cycle = self.meeting.cycle
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs["meeting"] = self.meeting
        kwargs["cycle"] = self.cycle
        kwargs.setdefault("is_office", self.request.user.has_role(Role.OFFICE))
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        if not request.user.has_role(Role.OFFICE):
            raise Http404
        return self.handle_post(request, *args, **kwargs)


class MeetingDetailView(MeetingMixin, TemplateView):
    """Ballots cast of members present, counts per candidate, the outcome they support and
    the resolutions; the office closes the meeting and records resolutions here."""

    template_name = "decisions/meetings/detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(board=meeting_board(self.meeting), **kwargs)


class MeetingCloseView(MeetingMixin, TemplateView):
    office_only = True
    template_name = "decisions/meetings/close.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(board=meeting_board(self.meeting), **kwargs)

    def handle_post(self, request, *args, **kwargs):
        try:
            meeting_close(meeting=self.meeting, by=request.user)
        except REFUSALS as refused:
            return self.render_to_response(
                self.get_context_data(errors=refusal_messages(refused)),
                status=refusal_status(refused),
            )
        messages.success(request, _("本次会议表决已结束，请根据票数记录审议决议。"))
        return redirect("decisions:meetings_detail", self.meeting.pk)


class ResolutionView(MeetingMixin, TemplateView):
    """POST only: the outcome for one candidate; a refusal comes back on the meeting page,
    next to that candidate's choice, with the choice kept."""

    template_name = "decisions/meetings/detail.html"
    http_method_names = ["post"]

    def handle_post(self, request, *args, **kwargs):
        application = get_object_or_404(
            Application.objects.filter(cycle_id=self.cycle.pk), pk=kwargs["application"]
        )
        form = ResolutionForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                resolution = resolution_record(
                    meeting=self.meeting,
                    application=application,
                    outcome=form.cleaned_data["outcome"],
                    by=request.user,
                )
            except REFUSALS as refused:
                show_refusal(form, refused)
                status = refusal_status(refused)
            else:
                messages.success(
                    request,
                    _("已记录“%(name)s”的审议决议：%(outcome)s。")
                    % {"name": application.name, "outcome": resolution.get_outcome_display()},
                )
                return redirect("decisions:meetings_detail", self.meeting.pk)
        errors = [str(e) for errors in form.errors.values() for e in errors]
        return self.render_to_response(
            self.get_context_data(
                board=meeting_board(self.meeting),
                failed={
                    "application": application.pk,
                    "errors": errors,
                    "outcome": form.data.get("outcome", ""),
                },
            ),
            status=status,
        )


class VoteView(MeetingMixin, TemplateView):
    """A member's ballot: the candidates with their stage scores, one choice each, confirmed
    before casting (投票后不能修改). A member not recorded present gets 403 with the reason."""

    roles = (Role.LEADER,)
    template_name = "decisions/meetings/vote.html"

    def get(self, request, *args, **kwargs):
        if not leader_may_vote(self.meeting, request.user):
            return self.not_present()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not leader_may_vote(self.meeting, request.user):
            return self.not_present()
        candidates = list(meeting_candidates(self.meeting))
        form = BallotForm(request.POST, candidates=candidates)
        status = 400
        if form.is_valid():
            try:
                ballot_cast(meeting=self.meeting, by=request.user, choices=form.choices())
            except REFUSALS as refused:
                show_refusal(form, refused)
                status = refusal_status(refused)
            else:
                messages.success(request, _("您的投票已提交。"))
                return redirect("decisions:meetings_vote", self.meeting.pk)
        return self.render_to_response(self.get_context_data(form=form), status=status)

    def not_present(self):
        return self.render_to_response(
            self.get_context_data(
                refused=_(
                    "您不是本次审议会议记录的出席成员，不能查看候选对象材料或投票。"
                    "如有疑问，请联系质量强市办。"
                )
            ),
            status=403,
        )

    def get_context_data(self, **kwargs):
        if "refused" not in kwargs:
            voted = has_voted(self.meeting, self.request.user)
            candidates = list(meeting_candidates(self.meeting))
            for candidate in candidates:
                candidate.stage_values = [
                    candidate.stage_scores.get(stage) for stage, _label in stage_labels()
                ]
            kwargs.setdefault("form", BallotForm(candidates=candidates))
            kwargs["voted"] = voted
            kwargs["stages"] = [label for _stage, label in stage_labels()]
            kwargs["charts"] = ballot_charts(candidates, kwargs["stages"])
            kwargs["my_choices"] = (
                list(
                    BallotChoice.objects.filter(
                        ballot__meeting=self.meeting, ballot__member=self.request.user
                    ).select_related("application")
                )
                if voted and not self.meeting.secret_ballot
                else []
            )
            kwargs["is_open"] = self.meeting.state == MeetingState.OPEN
        return super().get_context_data(**kwargs)


class LeaderMeetingsView(RoleRequiredMixin, TemplateView):
    """The member's meetings: where they were recorded present, and whether they voted."""

    roles = (Role.LEADER,)
    template_name = "decisions/meetings/mine.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(meetings=list(leader_meetings(self.request.user)), **kwargs)


class ProposedListView(CycleMixin, TemplateView):
    """拟获评名单 per category and applicant kind."""

    template_name = "decisions/meetings/proposed.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            proposed=proposed_list(self.cycle), stages=stage_labels(), **kwargs
        )


class ProposedListPdfView(CycleMixin, View):
    def get(self, request, *args, **kwargs):
        download_record(
            by=request.user,
            obj=self.cycle,
            action="decisions.proposed_list_export",
            what={"format": "pdf"},
        )
        body = render_pdf(
            "pdf/decisions/proposed_list.html",
            {
                "cycle": self.cycle,
                "generated_at": timezone.localtime(),
                "proposed": proposed_list(self.cycle),
                "stages": stage_labels(),
            },
        )
        return pdf_download(body, pdf_filename(self.cycle, _("市长质量奖拟获评名单")))


urlpatterns = [
    path("meetings/mine/", LeaderMeetingsView.as_view(), name="meetings_mine"),
    path("meetings/<int:cycle>/", MeetingCycleView.as_view(), name="meetings_cycle"),
    path("meetings/<int:cycle>/open/", MeetingOpenView.as_view(), name="meetings_open"),
    path("meetings/<int:cycle>/proposed/", ProposedListView.as_view(), name="meetings_proposed"),
    path(
        "meetings/<int:cycle>/proposed.pdf",
        ProposedListPdfView.as_view(),
        name="meetings_proposed_pdf",
    ),
    path("meetings/meeting/<int:meeting>/", MeetingDetailView.as_view(), name="meetings_detail"),
    path(
        "meetings/meeting/<int:meeting>/close/", MeetingCloseView.as_view(), name="meetings_close"
    ),
    path(
        "meetings/meeting/<int:meeting>/resolve/<int:application>/",
        ResolutionView.as_view(),
        name="meetings_resolve",
    ),
    path("meetings/meeting/<int:meeting>/vote/", VoteView.as_view(), name="meetings_vote"),
]
public_urlpatterns = []

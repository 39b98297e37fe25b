"""Pages of the revocation cases (第二十三条、第二十四条、第十九条).

The office acts; the auditor reads every case page (no forms); a leader recorded present
votes; the holder sees their own case once 查证属实 is put to them and states their case.
Anyone else: 404. Public: the 撤销公告 list, detail and PDF.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from award.enums import Role
from award.exceptions import SubmissionReplayed
from award.fsm import why_not
from award.pdf import pdf_download, render_pdf
from award.permissions import STAFF_READERS, RoleRequiredMixin, is_office
from award.uploads import clean_filename, stored_file_response
from award.views.refusals import REFUSALS, show_refusal
from decisions.models import Honour
from decisions.selectors.meetings import active_leaders
from revocation.enums import CaseFilePurpose, CaseState
from revocation.forms.cases import (
    BallotForm,
    CaseOpenForm,
    ConfirmForm,
    FindTrueForm,
    ReasonForm,
    ReplyForm,
    RevokeForm,
    VoteOpenForm,
)
from revocation.models import CaseFile, RevocationAnnouncement
from revocation.models.cases import case_holder
from revocation.selectors.cases import (
    announcements,
    case_files,
    case_for_staff,
    holder_cases,
    leader_cases,
    staff_cases,
)
from revocation.services import cases as services
from revocation.services.cases import (
    article_for_kind,
    case_open_blockers,
    citations,
    earliest_answer_due,
    grounds_for,
)


def _refused(form, error):
    show_refusal(form, error)


# Office and auditor -----------------------------------------------------------------------


class CaseListView(RoleRequiredMixin, TemplateView):
    roles = STAFF_READERS
    template_name = "revocation/cases/list.html"

    def get_context_data(self, **kwargs):
        state = self.request.GET.get("state", "")
        if state not in ("", "open", *CaseState.values):
            state = ""
        return super().get_context_data(
            cases=list(staff_cases(state=state)),
            state=state,
            states=CaseState.choices,
            is_office=is_office(self.request.user),
            serial=self.request.GET.get("serial", "").strip(),
            **kwargs,
        )


class CaseFindHonourView(RoleRequiredMixin, View):
    """The office types a certificate serial to open a case against that honour."""

    roles = (Role.OFFICE,)

    def get(self, request, *args, **kwargs):
        serial = request.GET.get("serial", "").strip().upper()
        # NUL or control characters match no serial (and PostgreSQL refuses NUL).
        honour = Honour.objects.filter(serial=serial).first() if serial.isprintable() else None
        if honour is None:
            messages.error(request, _("未找到证书编号为“%(serial)s”的荣誉。") % {"serial": serial})
            return redirect("revocation:case_list")
        return redirect("revocation:case_open", honour_pk=honour.pk)


class CaseOpenView(RoleRequiredMixin, TemplateView):
    roles = (Role.OFFICE,)
    template_name = "revocation/cases/open.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and is_office(request.user):
            self.honour = get_object_or_404(
                Honour.objects.select_related("cycle", "application"), pk=kwargs["honour_pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, data=None):
        return CaseOpenForm(
            data,
            grounds=grounds_for(self.honour),
            article=article_for_kind(self.honour.kind),
            kind_label=self.honour.get_kind_display(),
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.make_form())
        return super().get_context_data(
            honour=self.honour, blockers=case_open_blockers(self.honour), **kwargs
        )

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                case = services.case_open(
                    honour=self.honour,
                    grounds=form.cleaned_data["grounds"],
                    summary=form.cleaned_data["summary"],
                    by=request.user,
                    submission_token=form.once_token,
                )
            except SubmissionReplayed as replayed:
                messages.warning(request, str(replayed.message))
                if replayed.first is not None:
                    return redirect("revocation:case_detail", pk=replayed.first.pk)
                return redirect("revocation:case_list")
            except REFUSALS as error:
                _refused(form, error)
            else:
                messages.success(request, _("已立案：%(number)s。") % {"number": case.number})
                return redirect("revocation:case_detail", pk=case.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class StaffCaseMixin(RoleRequiredMixin):
    roles = STAFF_READERS

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_role(*self.roles):
            self.case = case_for_staff(kwargs["pk"])
            if self.case is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)


def office_actions(case, user) -> list[dict]:
    """The office's next steps on the case with why each cannot run now."""
    vote = case.current_vote()
    names = {
        CaseState.INVESTIGATING: ["find_true", "find_false", "close"],
        CaseState.AWAITING_ANSWER: ["send", "close"],
        CaseState.DELIBERATION: (
            ["vote_open", "close"]
            if vote is None
            else (["vote_close"] if vote.is_open else ["submit", "reject", "close"])
        ),
        CaseState.SUBMITTED: ["revoke"],
    }.get(case.state, [])
    actions = []
    for name in names:
        spec = ACTIONS[name]
        step = spec.get("step")
        blockers = why_not(case, step, user) if step and name != "revoke" else []
        actions.append(
            {
                "name": name,
                "label": spec["label"],
                "url": reverse("revocation:case_act", kwargs={"pk": case.pk, "action": name}),
                "blockers": blockers,
                "danger": spec.get("danger", False),
            }
        )
    return actions


class CaseDetailView(StaffCaseMixin, TemplateView):
    template_name = "revocation/cases/detail.html"

    def get_context_data(self, **kwargs):
        case = self.case
        office = is_office(self.request.user)
        return super().get_context_data(
            case=case,
            honour=case.honour,
            citations=citations(case),
            files=case_files(case),
            vote=case.current_vote(),
            decision=getattr(case, "decision", None) if case.state == CaseState.REVOKED else None,
            announcement=RevocationAnnouncement.objects.filter(case=case).first(),
            actions=office_actions(case, self.request.user) if office else [],
            is_office=office,
            **kwargs,
        )


def _find_true(view, form):
    return services.case_find_true(
        case=view.case,
        by=view.request.user,
        findings=form.cleaned_data["findings"],
        answer_due_on=form.cleaned_data["answer_due_on"],
        files=form.cleaned_data["files"],
        submission_token=form.once_token,
    )


def _revoke(view, form):
    return services.case_revoke(
        case=view.case,
        by=view.request.user,
        document_number=form.cleaned_data["document_number"],
        decided_on=form.cleaned_data["decided_on"],
        file=form.cleaned_data["file"],
        submission_token=form.once_token,
    )


def _vote_open(view, form):
    return services.case_vote_open(
        case=view.case,
        by=view.request.user,
        held_on=form.cleaned_data["held_on"],
        members_present=form.cleaned_data["members_present"],
    )


ACTIONS = {
    "find_true": {
        "label": gettext_lazy("查证属实，告知获评者陈述申辩"),
        "step": "find_true",
        "form": lambda view, data, files: FindTrueForm(
            data, files, initial={"answer_due_on": earliest_answer_due()}
        ),
        "call": _find_true,
        "done": gettext_lazy("已记录查证情况，并告知获评者陈述申辩。"),
    },
    "find_false": {
        "label": gettext_lazy("查证不属实，结案"),
        "step": "find_false",
        "form": lambda view, data, files: ReasonForm(data),
        "call": lambda view, form: services.case_find_false(
            case=view.case, by=view.request.user, reason=form.cleaned_data["reason"]
        ),
        "done": gettext_lazy("已结案（查证不属实）。"),
    },
    "close": {
        "label": gettext_lazy("不予撤销，结案"),
        "step": "close",
        "danger": True,
        "form": lambda view, data, files: ReasonForm(data),
        "call": lambda view, form: services.case_close(
            case=view.case, by=view.request.user, reason=form.cleaned_data["reason"]
        ),
        "done": gettext_lazy("已结案（不予撤销）。"),
    },
    "send": {
        "label": gettext_lazy("提交领导小组审议"),
        "step": "send_to_group",
        "form": lambda view, data, files: ConfirmForm(data),
        "call": lambda view, form: services.case_send(case=view.case, by=view.request.user),
        "done": gettext_lazy("已提交领导小组审议。"),
    },
    "vote_open": {
        "label": gettext_lazy("组织领导小组表决"),
        "form": lambda view, data, files: VoteOpenForm(data, leaders=active_leaders()),
        "call": _vote_open,
        "done": gettext_lazy("表决已开始，已通知出席成员投票。"),
    },
    "vote_close": {
        "label": gettext_lazy("结束表决"),
        "form": lambda view, data, files: ConfirmForm(data),
        "call": lambda view, form: services.case_vote_close(case=view.case, by=view.request.user),
        "done": gettext_lazy("表决已结束。"),
    },
    "submit": {
        "label": gettext_lazy("提请市政府撤销"),
        "step": "submit",
        "form": lambda view, data, files: ConfirmForm(data),
        "call": lambda view, form: services.case_submit(case=view.case, by=view.request.user),
        "done": gettext_lazy("已提请市政府撤销。"),
    },
    "reject": {
        "label": gettext_lazy("领导小组未同意，结案"),
        "step": "reject",
        "form": lambda view, data, files: ConfirmForm(data),
        "call": lambda view, form: services.case_reject(case=view.case, by=view.request.user),
        "done": gettext_lazy("已结案（领导小组未同意）。"),
    },
    "revoke": {
        "label": gettext_lazy("记录市政府撤销决定"),
        "step": "revoke",
        "danger": True,
        "form": lambda view, data, files: RevokeForm(data, files),
        "call": _revoke,
        "done": gettext_lazy("已撤销称号并发布撤销公告。"),
    },
}


class CaseActView(StaffCaseMixin, TemplateView):
    """One office step on the case: a confirmation page with its form."""

    roles = (Role.OFFICE,)
    template_name = "revocation/cases/act.html"

    def dispatch(self, request, *args, **kwargs):
        self.spec = ACTIONS.get(kwargs["action"])
        if self.spec is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.spec["form"](self, None, None))
        return super().get_context_data(
            case=self.case,
            honour=self.case.honour,
            citations=citations(self.case),
            label=self.spec["label"],
            danger=self.spec.get("danger", False),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = self.spec["form"](self, request.POST, request.FILES)
        if form.is_valid():
            try:
                self.spec["call"](self, form)
            except SubmissionReplayed as replayed:
                messages.warning(request, str(replayed.message))
                return redirect("revocation:case_detail", pk=self.case.pk)
            except REFUSALS as error:
                _refused(form, error)
            else:
                messages.success(request, str(self.spec["done"]))
                return redirect("revocation:case_detail", pk=self.case.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CaseFileView(View):
    """A case file: the office and the auditor (every file), the holder (their answer files)."""

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        record = get_object_or_404(
            CaseFile.objects.select_related("case__honour__application"), pk=kwargs["file_pk"]
        )
        try:
            services.case_file_open(record=record, by=request.user)
        except PermissionDenied:
            raise Http404 from None
        return stored_file_response(
            record.file, filename=record.original_name, content_type=record.content_type
        )


class DecisionFileView(StaffCaseMixin, View):
    def get(self, request, *args, **kwargs):
        decision = getattr(self.case, "decision", None)
        if decision is None:
            raise Http404
        services.case_decision_open(decision=decision, by=request.user)
        return stored_file_response(
            decision.file, filename=decision.original_name, content_type=decision.content_type
        )


# Leaders ------------------------------------------------------------------------------------


class LeaderCasesView(RoleRequiredMixin, TemplateView):
    roles = (Role.LEADER,)
    template_name = "revocation/cases/leader_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(cases=list(leader_cases(self.request.user)), **kwargs)


class BallotView(RoleRequiredMixin, TemplateView):
    roles = (Role.LEADER,)
    template_name = "revocation/cases/ballot.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_role(Role.LEADER):
            self.case = leader_cases(request.user).filter(pk=kwargs["pk"]).first()
            if self.case is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        case = self.case
        kwargs.setdefault("form", BallotForm())
        return super().get_context_data(
            case=case,
            honour=case.honour,
            citations=citations(case),
            vote=case.vote,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = BallotForm(request.POST)
        if form.is_valid():
            try:
                services.case_ballot_cast(
                    case=self.case, by=request.user, choice=form.cleaned_data["choice"]
                )
            except REFUSALS as error:
                _refused(form, error)
            else:
                messages.success(request, _("已投票。"))
                return redirect("revocation:case_votes")
        return self.render_to_response(self.get_context_data(form=form), status=400)


# The holder ---------------------------------------------------------------------------------


class HolderCasesView(RoleRequiredMixin, TemplateView):
    roles = (Role.APPLICANT,)
    template_name = "revocation/cases/mine_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(cases=list(holder_cases(self.request.user)), **kwargs)


class HolderCaseView(RoleRequiredMixin, TemplateView):
    roles = (Role.APPLICANT,)
    template_name = "revocation/cases/mine.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_role(Role.APPLICANT):
            self.case = holder_cases(request.user).filter(pk=kwargs["pk"]).first()
            if self.case is None or not case_holder(self.case, request.user):
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        case = self.case
        may_reply = not why_not(case, "reply", self.request.user)
        if may_reply:
            kwargs.setdefault("form", ReplyForm())
        return super().get_context_data(
            case=case,
            honour=case.honour,
            citations=citations(case),
            grounds=sorted(case.grounds.all(), key=lambda g: g.item),
            answer_files=case_files(case, purposes=[CaseFilePurpose.ANSWER]),
            may_reply=may_reply,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = ReplyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.case_reply(
                    case=self.case,
                    by=request.user,
                    answer=form.cleaned_data["answer"],
                    files=form.cleaned_data["files"],
                    submission_token=form.once_token,
                )
            except SubmissionReplayed as replayed:
                messages.warning(request, str(replayed.message))
                return redirect("revocation:case_mine", pk=self.case.pk)
            except (ValidationError, PermissionDenied) as error:
                _refused(form, error)
            else:
                messages.success(request, _("已提交陈述申辩意见。"))
                return redirect("revocation:case_mine", pk=self.case.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


# Public -------------------------------------------------------------------------------------


class AnnouncementListView(TemplateView):
    template_name = "revocation/cases/public_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(announcements=list(announcements()), **kwargs)


class AnnouncementDetailView(TemplateView):
    template_name = "revocation/cases/public_detail.html"

    def get_context_data(self, **kwargs):
        announcement = get_object_or_404(RevocationAnnouncement, pk=self.kwargs["pk"])
        return super().get_context_data(announcement=announcement, **kwargs)


class AnnouncementPdfView(View):
    def get(self, request, *args, **kwargs):
        announcement = get_object_or_404(RevocationAnnouncement, pk=kwargs["pk"])
        data = render_pdf("pdf/revocation/announcement.html", {"announcement": announcement})
        return pdf_download(data, clean_filename(f"{announcement.title}.pdf"))


urlpatterns = [
    path("cases/", CaseListView.as_view(), name="case_list"),
    path("cases/find/", CaseFindHonourView.as_view(), name="case_find_honour"),
    path("cases/open/<int:honour_pk>/", CaseOpenView.as_view(), name="case_open"),
    path("cases/<int:pk>/", CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/act/<slug:action>/", CaseActView.as_view(), name="case_act"),
    path("cases/<int:pk>/decision-file/", DecisionFileView.as_view(), name="case_decision_file"),
    path("cases/files/<int:file_pk>/", CaseFileView.as_view(), name="case_file"),
    path("cases/votes/", LeaderCasesView.as_view(), name="case_votes"),
    path("cases/<int:pk>/ballot/", BallotView.as_view(), name="case_ballot"),
    path("cases/mine/", HolderCasesView.as_view(), name="case_mine_list"),
    path("cases/mine/<int:pk>/", HolderCaseView.as_view(), name="case_mine"),
]

public_urlpatterns = [
    path("revocations/", AnnouncementListView.as_view(), name="announcements"),
    path("revocations/<int:pk>/", AnnouncementDetailView.as_view(), name="announcement"),
    path("revocations/<int:pk>/pdf/", AnnouncementPdfView.as_view(), name="announcement_pdf"),
]

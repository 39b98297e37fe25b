"""Pages of the complaints part (第二十一条).

Staff (under /revocation/complaints/): the office handles, the auditor reads; the
complainant's identity is shown on these pages only. Public (under /complaints/): the form,
the receipt and the receipt lookup, none of which shows an identity.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from award.client_ip import client_ip
from award.exceptions import SubmissionReplayed
from award.permissions import OfficeMixin, StaffReaderMixin, is_auditor_only, is_office
from award.uploads import stored_file_response
from award.views.refusals import REFUSALS, refusal_status, show_refusal
from decisions.services.objections import objection_limit_text
from revocation.enums import ComplaintState
from revocation.forms.complaints import (
    CloseForm,
    ComplaintForm,
    ComplaintSettingsForm,
    DisqualifyForm,
    LinkForm,
    NoteForm,
    OpenCaseForm,
    ReceiptLookupForm,
    RejectForm,
)
from revocation.selectors.complaints import (
    complaint_by_receipt,
    complaint_counts,
    complaint_file_for_staff,
    complaint_for_staff,
    complaints_for_staff,
    link_choices,
)
from revocation.services.cases import case_open_blockers, grounds_for
from revocation.services.complaints import (
    ANONYMOUS_RULE,
    RATE_LIMITS,
    complaint_accept,
    complaint_close,
    complaint_disqualify_expert,
    complaint_file,
    complaint_file_open,
    complaint_link,
    complaint_note_add,
    complaint_open_case,
    complaint_rate_count,
    complaint_rate_retry_at,
    complaint_reject,
    complaint_settings,
    complaint_settings_update,
)

FILED_SESSION_KEY = "revocation_complaint_filed"

# The office's pages -----------------------------------------------------------------------


class ComplaintListView(StaffReaderMixin, ListView):
    template_name = "revocation/complaints/office_list.html"
    context_object_name = "complaints"
    paginate_by = 50

    def get_queryset(self):
        self.handling = self.request.GET.get("state", "")
        return complaints_for_staff(self.handling)

    def get_context_data(self, **kwargs):
        counts = complaint_counts()
        return super().get_context_data(
            handling=self.handling if self.handling in ComplaintState.values else "",
            tabs=[(value, label, counts[value]) for value, label in ComplaintState.choices],
            count_all=counts["all"],
            settings=complaint_settings(),
            may_act=is_office(self.request.user),
            **kwargs,
        )


class ComplaintSettingsView(OfficeMixin, TemplateView):
    template_name = "revocation/complaints/office_settings.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ComplaintSettingsForm(instance=complaint_settings()))
        return super().get_context_data(anonymous_rule=ANONYMOUS_RULE, **kwargs)

    def post(self, request, *args, **kwargs):
        form = ComplaintSettingsForm(request.POST, instance=complaint_settings())
        if form.is_valid():
            try:
                complaint_settings_update(
                    by=request.user,
                    allows_anonymous=form.cleaned_data["allows_anonymous"],
                    contact=form.cleaned_data["contact"],
                )
            except REFUSALS as refused:
                show_refusal(form, refused)
                return self.render_to_response(
                    self.get_context_data(form=form), status=refusal_status(refused)
                )
            messages.success(request, _("举报投诉受理设置已保存。"))
            return redirect("revocation:complaint_list")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ComplaintDetailView(StaffReaderMixin, TemplateView):
    """The complaint with the complainant's identity and files, and the office's forms."""

    template_name = "revocation/complaints/office_detail.html"

    @cached_property
    def complaint(self):
        return complaint_for_staff(self.kwargs["pk"])

    def forms(self):
        complaint = self.complaint
        return {
            "reject_form": RejectForm(),
            "close_form": CloseForm(),
            "note_form": NoteForm(),
            "link_form": LinkForm(
                choices=link_choices(),
                initial={
                    "application": complaint.application_id,
                    "expert": complaint.expert_id,
                    "honour": complaint.honour_id,
                },
            ),
        }

    def get_context_data(self, **kwargs):
        complaint = self.complaint
        may_act = is_office(self.request.user)
        if may_act:
            kwargs = {**self.forms(), **kwargs}
        is_open = complaint.handling in (ComplaintState.RECEIVED, ComplaintState.INVESTIGATING)
        investigating = complaint.handling == ComplaintState.INVESTIGATING
        return super().get_context_data(
            complaint=complaint,
            files=complaint.files.all(),
            notes=complaint.notes.select_related("written_by"),
            may_act=may_act,
            may_triage=may_act and complaint.handling == ComplaintState.RECEIVED,
            may_link=may_act and is_open,
            may_investigate=may_act and investigating,
            may_open_case=may_act
            and investigating
            and complaint.honour_id is not None
            and complaint.case_id is None,
            may_disqualify=may_act
            and investigating
            and complaint.expert_id is not None
            and not complaint.expert.is_disqualified,
            **kwargs,
        )


class ComplaintActionView(OfficeMixin, ComplaintDetailView):
    """One of the office's steps posted from the complaint's page."""

    http_method_names = ["post"]
    ACTIONS = {
        "accept": (None, lambda c, by, data: complaint_accept(complaint=c, by=by)),
        "reject": (
            RejectForm,
            lambda c, by, data: complaint_reject(complaint=c, by=by, reason=data["reason"]),
        ),
        "close": (
            CloseForm,
            lambda c, by, data: complaint_close(complaint=c, by=by, result=data["result"]),
        ),
        "note": (
            NoteForm,
            lambda c, by, data: complaint_note_add(complaint=c, by=by, text=data["text"]),
        ),
        "link": (
            LinkForm,
            lambda c, by, data: complaint_link(
                complaint=c,
                by=by,
                application=data["application"],
                expert=data["expert"],
                honour=data["honour"],
            ),
        ),
    }
    DONE = {
        "accept": gettext_lazy("已受理，进入调查核实。"),
        "reject": gettext_lazy("已决定不予受理。"),
        "close": gettext_lazy("举报投诉已办结。"),
        "note": gettext_lazy("调查记录已保存。"),
        "link": gettext_lazy("关联对象已保存。"),
    }

    def post(self, request, *args, **kwargs):
        action = kwargs["action"]
        form_class, run = self.ACTIONS[action]
        complaint = self.complaint
        form = None
        if form_class is LinkForm:
            form = LinkForm(request.POST, choices=link_choices())
        elif form_class is not None:
            form = form_class(request.POST)
        if form is not None and not form.is_valid():
            return self.render_to_response(
                self.get_context_data(**{f"{action}_form": form}), status=400
            )
        try:
            run(complaint, request.user, form.cleaned_data if form else {})
        except REFUSALS as refused:
            if form is None:
                messages.error(request, " ".join(getattr(refused, "messages", [str(refused)])))
                return redirect("revocation:complaint_detail", complaint.pk)
            show_refusal(form, refused)
            return self.render_to_response(
                self.get_context_data(**{f"{action}_form": form}), status=refusal_status(refused)
            )
        messages.success(request, str(self.DONE[action]))
        return redirect("revocation:complaint_detail", complaint.pk)


class ComplaintConfirmView(OfficeMixin, TemplateView):
    """A confirm page for an irreversible step taken from the complaint."""

    @cached_property
    def complaint(self):
        return complaint_for_staff(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.make_form())
        return super().get_context_data(complaint=self.complaint, **kwargs)

    def refused(self, form, refused):
        show_refusal(form, refused)
        return self.render_to_response(
            self.get_context_data(form=form), status=refusal_status(refused)
        )


class ComplaintCaseView(ComplaintConfirmView):
    """立案调查撤销事项 from a complaint linked to an honour (第二十三条、第二十四条)."""

    template_name = "revocation/complaints/office_case.html"

    def dispatch(self, request, *args, **kwargs):
        office = request.user.is_authenticated and is_office(request.user)
        if office and self.complaint.honour_id is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, data=None):
        return OpenCaseForm(
            data,
            grounds=grounds_for(self.complaint.honour),
            initial={"summary": self.complaint.facts},
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            honour=self.complaint.honour,
            blockers=case_open_blockers(self.complaint.honour),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            case = complaint_open_case(
                complaint=self.complaint,
                by=request.user,
                grounds=form.cleaned_data["grounds"],
                summary=form.cleaned_data["summary"],
                submission_token=form.once_token,
            )
        except SubmissionReplayed:
            return redirect("revocation:complaint_detail", self.complaint.pk)
        except REFUSALS as refused:
            return self.refused(form, refused)
        messages.success(request, _("已立案调查撤销事项（%(number)s）。") % {"number": case.number})
        return redirect("revocation:complaint_detail", self.complaint.pk)


class ComplaintDisqualifyView(ComplaintConfirmView):
    """取消评审资格 (第二十二条) of the expert a complaint is linked to."""

    template_name = "revocation/complaints/office_disqualify.html"

    def dispatch(self, request, *args, **kwargs):
        office = request.user.is_authenticated and is_office(request.user)
        if office and self.complaint.expert_id is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, data=None):
        return DisqualifyForm(data)

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            complaint_disqualify_expert(
                complaint=self.complaint, by=request.user, reason=form.cleaned_data["reason"]
            )
        except REFUSALS as refused:
            return self.refused(form, refused)
        messages.success(
            request,
            _("已取消%(name)s的评审资格（第二十二条）。") % {"name": self.complaint.expert.name},
        )
        return redirect("revocation:complaint_detail", self.complaint.pk)


class ComplaintFileView(StaffReaderMixin, View):
    """A complaint's file, to the office and auditor only; each download is audited."""

    def get(self, request, pk, file_pk):
        file = complaint_file_for_staff(pk, file_pk)
        try:
            complaint_file_open(file=file, by=request.user)
        except PermissionDenied:
            raise Http404 from None
        return stored_file_response(
            file.file, filename=file.original_name, content_type=file.content_type
        )


# The public's pages ------------------------------------------------------------------------


def _rate_limited(request, retry_at, *, lookup=False):
    return render(
        request,
        "revocation/complaints/public_rate_limited.html",
        {
            "retry_at": timezone.localtime(retry_at),
            "lookup": lookup,
            "limit": RATE_LIMITS["file"],
            "settings": complaint_settings(),
        },
        status=429,
    )


class ComplaintCreateView(TemplateView):
    """The public's complaint form, open at any time: real-name by default, rate-limited per
    client address."""

    template_name = "revocation/complaints/public_new.html"

    @cached_property
    def settings(self):
        return complaint_settings()

    def make_form(self, data=None, files=None):
        return ComplaintForm(data, files, allows_anonymous=self.settings.allows_anonymous)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.make_form())
        return super().get_context_data(
            settings=self.settings,
            read_only=is_auditor_only(self.request.user),
            anonymous_rule=ANONYMOUS_RULE,
            limit_text=objection_limit_text(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        address = client_ip(request)
        retry_at = complaint_rate_retry_at(address)
        if retry_at is not None:
            return _rate_limited(request, retry_at)
        form = self.make_form(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint = complaint_file(
                    complainant_kind=data["complainant_kind"],
                    name=data["name"],
                    id_number=data["id_number"],
                    phone=data["phone"],
                    contact_person=data["contact_person"],
                    subject=data["subject"],
                    subject_kind=data["subject_kind"],
                    facts=data["facts"],
                    evidence=data["evidence"],
                    seal_letter=data["seal_letter"],
                    submission_token=form.once_token,
                )
            except SubmissionReplayed as replayed:
                if replayed.first is not None:
                    request.session[FILED_SESSION_KEY] = replayed.first.receipt_code
                    return redirect("public_revocation:complaint_filed")
                form.add_error(None, replayed)
            except REFUSALS as refused:
                show_refusal(form, refused)
                status = refusal_status(refused)
            else:
                complaint_rate_count(address)
                request.session[FILED_SESSION_KEY] = complaint.receipt_code
                return redirect("public_revocation:complaint_filed")
        return self.render_to_response(
            self.get_context_data(form=form, files_dropped=bool(request.FILES)), status=status
        )


class ComplaintFiledView(TemplateView):
    """The receipt right after filing: the code to keep (kept in this browser's session)."""

    template_name = "revocation/complaints/public_filed.html"

    def get(self, request, *args, **kwargs):
        code = request.session.get(FILED_SESSION_KEY)
        complaint = complaint_by_receipt(code) if code else None
        if complaint is None:
            return redirect("public_revocation:complaint_receipt")
        return self.render_to_response(self.get_context_data(complaint=complaint))


class ComplaintReceiptView(TemplateView):
    """Type the receipt code: the complaint's state and, once decided, the reason or result.
    Any unknown code gets the same answer, so nothing can be learnt about others."""

    template_name = "revocation/complaints/public_receipt.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ReceiptLookupForm())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        address = client_ip(request)
        retry_at = complaint_rate_retry_at(address, "lookup")
        if retry_at is not None:
            return _rate_limited(request, retry_at, lookup=True)
        form = ReceiptLookupForm(request.POST)
        complaint = None
        if form.is_valid():
            complaint = complaint_by_receipt(form.cleaned_data["code"])
            if complaint is None:
                complaint_rate_count(address, "lookup")
                form.add_error("code", _("未找到该回执号对应的举报投诉，请核对后重新输入。"))
        status = 200 if complaint is not None else 404 if form.is_bound and form.errors else 400
        return self.render_to_response(
            self.get_context_data(form=form, complaint=complaint, looked_up=True), status=status
        )


urlpatterns = [
    path("complaints/", ComplaintListView.as_view(), name="complaint_list"),
    path("complaints/settings/", ComplaintSettingsView.as_view(), name="complaint_settings"),
    path("complaints/<int:pk>/", ComplaintDetailView.as_view(), name="complaint_detail"),
    *(
        path(
            f"complaints/<int:pk>/{action}/",
            ComplaintActionView.as_view(),
            {"action": action},
            name=f"complaint_{action}",
        )
        for action in ComplaintActionView.ACTIONS
    ),
    path("complaints/<int:pk>/case/new/", ComplaintCaseView.as_view(), name="complaint_case"),
    path(
        "complaints/<int:pk>/expert/disqualify/",
        ComplaintDisqualifyView.as_view(),
        name="complaint_disqualify",
    ),
    path(
        "complaints/<int:pk>/files/<int:file_pk>/",
        ComplaintFileView.as_view(),
        name="complaint_file",
    ),
]
public_urlpatterns = [
    path("complaints/new/", ComplaintCreateView.as_view(), name="complaint_create"),
    path("complaints/filed/", ComplaintFiledView.as_view(), name="complaint_filed"),
    path("complaints/receipt/", ComplaintReceiptView.as_view(), name="complaint_receipt"),
]

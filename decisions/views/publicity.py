"""Pages of the decisions floor: 公示 and objections (第十四条第（六）项).

Staff (under /decisions/publicity/): the office's settings, objections and their files; the
objector's identity is shown on these pages only. Public (under /publicity/): the 公示 list,
the objection form, the receipt and the receipt lookup, none of which shows an identity.
"""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from award.client_ip import client_ip
from award.enums import CyclePhase
from award.exceptions import SubmissionReplayed
from award.models import Cycle
from award.permissions import OfficeMixin, is_auditor_only
from award.public_cache import AnonymousPageCacheMixin
from award.uploads import stored_file_response
from award.views.refusals import REFUSALS, refusal_status, show_refusal
from decisions.enums import ObjectionState, ObjectorKind
from decisions.forms.publicity import (
    DecideForm,
    ObjectionForm,
    PublicitySettingsForm,
    ReceiptLookupForm,
)
from decisions.selectors.publicity import (
    current_publicity_cycle,
    objection_by_receipt,
    objection_counts,
    objection_file_for_office,
    objection_for_office,
    objections_for_office,
    publicity_cycle_for_public,
    publicity_cycles,
    publicity_entries,
    publicity_page_fingerprint,
    publicity_settings,
)
from decisions.services.objections import (
    RATE_LIMIT,
    objection_dismiss,
    objection_file,
    objection_file_open,
    objection_limit_text,
    objection_rate_count,
    objection_rate_retry_at,
    objection_uphold,
    objection_window_refusal,
)
from decisions.services.publicity import SETTINGS_PHASES, publicity_settings_update

FILED_SESSION_KEY = "decisions_objection_filed"

# The office's pages -----------------------------------------------------------------------


class OfficeCycleMixin(OfficeMixin):
    """A page about one cycle's 公示: the office only (the identities are on it); 404 else."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cycle = (
                Cycle.objects.select_related("rulebook").filter(pk=kwargs["cycle_pk"]).first()
            )
            if self.cycle is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)


class PublicityIndexView(OfficeMixin, ListView):
    template_name = "decisions/publicity/office_index.html"
    context_object_name = "cycles"

    def get_queryset(self):
        return Cycle.objects.filter(
            Q(phase__in=[CyclePhase.DELIBERATION, CyclePhase.PUBLICITY])
            | Q(publicity_starts_on__isnull=False)
        ).order_by("-number")


class ObjectionListView(OfficeCycleMixin, ListView):
    template_name = "decisions/publicity/office_objections.html"
    context_object_name = "objections"
    paginate_by = 50

    def get_queryset(self):
        self.state = self.request.GET.get("state", "")
        return objections_for_office(self.cycle, self.state)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cycle=self.cycle,
            state=self.state if self.state in ObjectionState.values else "",
            states=ObjectionState.choices,
            counts=objection_counts(self.cycle),
            settings=publicity_settings(self.cycle),
            **kwargs,
        )


class PublicitySettingsView(OfficeCycleMixin, TemplateView):
    template_name = "decisions/publicity/office_settings.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PublicitySettingsForm(instance=publicity_settings(self.cycle)))
        return super().get_context_data(
            cycle=self.cycle, may_change=self.cycle.phase in SETTINGS_PHASES, **kwargs
        )

    def post(self, request, *args, **kwargs):
        form = PublicitySettingsForm(request.POST, instance=publicity_settings(self.cycle))
        if form.is_valid():
            try:
                publicity_settings_update(
                    cycle=self.cycle,
                    by=request.user,
                    allows_anonymous_objections=form.cleaned_data["allows_anonymous_objections"],
                    contact=form.cleaned_data["contact"],
                    confirm_anonymous=form.cleaned_data["confirm_anonymous"],
                )
            except REFUSALS as refused:
                show_refusal(form, refused)
                return self.render_to_response(
                    self.get_context_data(form=form), status=refusal_status(refused)
                )
            messages.success(request, _("公示设置已保存。"))
            return redirect("decisions:publicity_objections", self.cycle.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ObjectionDetailView(OfficeMixin, TemplateView):
    """The objection with the objector's identity and files, and the decision form."""

    template_name = "decisions/publicity/office_objection.html"

    @cached_property
    def objection(self):
        return objection_for_office(self.kwargs["pk"])

    def get_objection(self):
        return self.objection

    def get_context_data(self, **kwargs):
        objection = self.get_objection()
        kwargs.setdefault("form", DecideForm())
        return super().get_context_data(
            objection=objection,
            cycle=objection.cycle,
            files=objection.files.all(),
            may_decide=objection.state == ObjectionState.OPEN
            and objection.cycle.phase == CyclePhase.PUBLICITY,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        objection = self.get_objection()
        form = DecideForm(request.POST)
        if form.is_valid():
            decide = (
                objection_uphold if form.cleaned_data["decision"] == "uphold" else objection_dismiss
            )
            try:
                decide(objection=objection, by=request.user, reason=form.cleaned_data["reason"])
            except REFUSALS as refused:
                show_refusal(form, refused)
                return self.render_to_response(
                    self.get_context_data(form=form), status=refusal_status(refused)
                )
            messages.success(
                request,
                _("异议已办结：%(state)s。") % {"state": objection.get_state_display()},
            )
            return redirect("decisions:objection_detail", objection.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ObjectionFileView(OfficeMixin, View):
    """An objection's file, to the office only; each download is audited."""

    def get(self, request, pk, file_pk):
        file = objection_file_for_office(pk, file_pk)
        objection_file_open(file=file, by=request.user)
        return stored_file_response(
            file.file, filename=file.original_name, content_type=file.content_type
        )


# The public's pages ------------------------------------------------------------------------


def _public_context(cycle):
    return {
        "cycle": cycle,
        "entries": publicity_entries(cycle),
        "settings": publicity_settings(cycle),
        "window_refusal": objection_window_refusal(cycle),
        "is_running": cycle.phase == CyclePhase.PUBLICITY,
    }


class PublicityView(TemplateView):
    """The 公示 running now (or the message that none is), and earlier ones."""

    template_name = "decisions/publicity/public_list.html"

    def get_context_data(self, **kwargs):
        cycle = current_publicity_cycle()
        context = _public_context(cycle) if cycle else {"cycle": None}
        return super().get_context_data(
            earlier=[c for c in publicity_cycles() if cycle is None or c.pk != cycle.pk],
            **context,
            **kwargs,
        )


class PublicityCycleView(AnonymousPageCacheMixin, TemplateView):
    """One cycle's 公示 page; anonymous visitors get it from the cache while its data is
    unchanged (award/public_cache.py)."""

    template_name = "decisions/publicity/public_list.html"

    def page_fingerprint(self):
        return publicity_page_fingerprint(self.kwargs["number"])

    def get_context_data(self, **kwargs):
        cycle = publicity_cycle_for_public(kwargs["number"])
        return super().get_context_data(earlier=[], **_public_context(cycle), **kwargs)


class ObjectionCreateView(TemplateView):
    """The public's objection form: real-name by default, rate-limited per client address."""

    template_name = "decisions/publicity/public_object.html"

    def dispatch(self, request, *args, **kwargs):
        self.cycle = publicity_cycle_for_public(kwargs["number"])
        self.settings = publicity_settings(self.cycle)
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, data=None, files=None):
        entries = [e for e in publicity_entries(self.cycle) if e.state == "in_publicity"]
        initial = {}
        chosen = self.request.GET.get("application", "")
        if chosen.isdigit():
            initial["application"] = int(chosen)
        return ObjectionForm(
            data,
            files,
            applications=entries,
            allows_anonymous=self.settings.allows_anonymous_objections,
            initial=initial,
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.make_form())
        return super().get_context_data(
            cycle=self.cycle,
            settings=self.settings,
            window_refusal=objection_window_refusal(self.cycle),
            read_only=is_auditor_only(self.request.user),
            limit_text=objection_limit_text(),
            person=ObjectorKind.PERSON,
            unit=ObjectorKind.UNIT,
            **kwargs,
        )

    def rate_limited(self, retry_at):
        return render(
            self.request,
            "decisions/publicity/public_rate_limited.html",
            {
                "cycle": self.cycle,
                "retry_at": timezone.localtime(retry_at),
                "limit": RATE_LIMIT,
            },
            status=429,
        )

    def post(self, request, *args, **kwargs):
        address = client_ip(request)
        retry_at = objection_rate_retry_at(address)
        if retry_at is not None:
            return self.rate_limited(retry_at)
        form = self.make_form(request.POST, request.FILES)
        chose_files = bool(request.FILES)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                objection = objection_file(
                    cycle=self.cycle,
                    application_id=data["application"],
                    objector_kind=data["objector_kind"],
                    name=data["name"],
                    id_number=data["id_number"],
                    phone=data["phone"],
                    contact_person=data["contact_person"],
                    reasons=data["reasons"],
                    evidence=data["evidence"],
                    seal_letter=data["seal_letter"],
                    submission_token=form.once_token,
                )
            except SubmissionReplayed as replayed:
                if replayed.first is not None:
                    messages.warning(request, str(replayed.message))
                    request.session[FILED_SESSION_KEY] = replayed.first.receipt_code
                    return redirect("public_decisions:objection_filed")
                form.add_error(None, replayed)
            except REFUSALS as refused:
                show_refusal(form, refused)
                status = refusal_status(refused)
            else:
                objection_rate_count(address)
                request.session[FILED_SESSION_KEY] = objection.receipt_code
                return redirect("public_decisions:objection_filed")
        return self.render_to_response(
            self.get_context_data(form=form, files_dropped=chose_files), status=status
        )


class ObjectionFiledView(TemplateView):
    """The receipt right after filing: the code to keep (kept in this browser's session)."""

    template_name = "decisions/publicity/public_filed.html"

    def get(self, request, *args, **kwargs):
        code = request.session.get(FILED_SESSION_KEY)
        if not code:
            return redirect("public_decisions:objection_receipt")
        objection = objection_by_receipt(code)
        if objection is None:
            raise Http404
        return self.render_to_response(self.get_context_data(objection=objection))


class ReceiptLookupView(TemplateView):
    """Type the receipt code: the objection's state and, once decided, the decision and its
    reason. An unknown code gets one answer whatever it is, so nothing can be enumerated."""

    template_name = "decisions/publicity/public_receipt.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ReceiptLookupForm())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        address = client_ip(request)
        retry_at = objection_rate_retry_at(address, "lookup")
        if retry_at is not None:
            return render(
                request,
                "decisions/publicity/public_rate_limited.html",
                {"retry_at": timezone.localtime(retry_at), "lookup": True},
                status=429,
            )
        form = ReceiptLookupForm(request.POST)
        objection = None
        if form.is_valid():
            objection = objection_by_receipt(form.cleaned_data["code"])
            if objection is None:
                objection_rate_count(address, "lookup")
                form.add_error(
                    "code",
                    _("未找到该回执号对应的异议，请核对回执号（16位字母和数字）后重新输入。"),
                )
        status = 200 if objection is not None else 404 if form.is_bound and form.errors else 400
        return self.render_to_response(
            self.get_context_data(form=form, objection=objection, looked_up=True), status=status
        )


urlpatterns = [
    path("publicity/", PublicityIndexView.as_view(), name="publicity_index"),
    path(
        "publicity/<int:cycle_pk>/objections/",
        ObjectionListView.as_view(),
        name="publicity_objections",
    ),
    path(
        "publicity/<int:cycle_pk>/settings/",
        PublicitySettingsView.as_view(),
        name="publicity_settings",
    ),
    path("publicity/objections/<int:pk>/", ObjectionDetailView.as_view(), name="objection_detail"),
    path(
        "publicity/objections/<int:pk>/files/<int:file_pk>/",
        ObjectionFileView.as_view(),
        name="objection_file",
    ),
]
public_urlpatterns = [
    path("publicity/", PublicityView.as_view(), name="publicity"),
    path("publicity/receipt/", ReceiptLookupView.as_view(), name="objection_receipt"),
    path("publicity/receipt/filed/", ObjectionFiledView.as_view(), name="objection_filed"),
    path("publicity/<int:number>/", PublicityCycleView.as_view(), name="publicity_cycle"),
    path("publicity/<int:number>/object/", ObjectionCreateView.as_view(), name="objection_create"),
]

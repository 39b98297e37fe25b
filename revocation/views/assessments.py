"""Pages of the periodic assessment (第二十五条): the office's rounds and records, the assigned
agency's records, the auditor's reading; evidence downloaded only through a checking view."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from award.enums import Role
from award.permissions import OfficeMixin, RoleRequiredMixin, StaffReaderMixin, is_office
from award.uploads import stored_file_response
from award.views.service_form import ServiceFormView
from revocation.forms.assessments import DecideForm, FindingsForm, RoundForm
from revocation.models import AssessmentEvidence, AssessmentRound
from revocation.selectors.assessments import (
    record_detail,
    records_of_agency,
    round_records,
    rounds,
)
from revocation.services.assessments import (
    evidence_open,
    may_fill_record,
    may_view_record,
    record_decide,
    record_fill,
    round_plan,
)
from revocation.services.cases import grounds_for


class RoundsView(StaffReaderMixin, TemplateView):
    template_name = "revocation/assessments/round_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rounds=list(rounds()), is_office=is_office(self.request.user), **kwargs
        )


class RoundCreateView(OfficeMixin, ServiceFormView):
    template_name = "revocation/assessments/round_form.html"
    form_class = RoundForm
    success_message = gettext_lazy("已组织定期评估，并为每项有效荣誉建立评估记录。")

    def call_service(self, form):
        return round_plan(
            by=self.request.user, submission_token=form.once_token, **form.cleaned_data
        )

    def success_url_for(self, saved):
        return reverse("revocation:assessment_round", kwargs={"pk": saved.pk})


class RoundView(LoginRequiredMixin, TemplateView):
    """The office and auditor; managers of the assigned agency. Others: 404."""

    template_name = "revocation/assessments/round_detail.html"

    def get_context_data(self, **kwargs):
        round_ = get_object_or_404(
            AssessmentRound.objects.select_related("agency"), pk=kwargs["pk"]
        )
        user = self.request.user
        if not (
            user.has_role(Role.OFFICE, Role.AUDITOR)
            or (
                user.has_role(Role.AGENCY)
                and round_.agency_id
                and user.agency_id == round_.agency_id
            )
        ):
            raise Http404
        return super().get_context_data(
            round=round_,
            cycles=list(round_.cycles.order_by("number")),
            records=list(round_records(round_)),
            **kwargs,
        )


class RecordMixin(LoginRequiredMixin):
    """Loads the record; 404 unless the user may see it."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.record = get_object_or_404(record_detail(kwargs["pk"]))
        if not may_view_record(self.record, request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def record_context(self, **forms):
        user = self.request.user
        record = self.record
        can_fill = may_fill_record(record, user)
        can_decide = is_office(user) and not record.is_decided
        fill_form = forms.get("fill_form")
        if fill_form is None and can_fill:
            fill_form = FindingsForm(
                initial={
                    "lawful": record.lawful,
                    "leadership": record.leadership,
                    "improvement": record.improvement,
                    "proposed_outcome": record.proposed_outcome,
                }
            )
        decide_form = forms.get("decide_form")
        if decide_form is None and can_decide:
            decide_form = DecideForm(
                grounds=grounds_for(record.honour),
                initial={"outcome": record.proposed_outcome or None},
            )
        return {
            "record": record,
            "evidence": list(record.files.select_related("uploaded_by")),
            "fill_form": fill_form if can_fill or "fill_form" in forms else None,
            "decide_form": decide_form if can_decide or "decide_form" in forms else None,
        }


class RecordView(RecordMixin, TemplateView):
    template_name = "revocation/assessments/record_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.record_context(), **kwargs)


class RecordFillView(RecordMixin, ServiceFormView):
    template_name = "revocation/assessments/record_detail.html"
    form_class = FindingsForm
    success_message = gettext_lazy("已保存评估情况。")
    refusals = (PermissionDenied, *ServiceFormView.refusals)

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (is_office(user) or user.has_role(Role.AGENCY)):
            raise Http404  # the auditor reads; the agency's own record is checked by RecordMixin
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        # The form lives on the record's page (a login's `next` may lead here).
        return redirect("revocation:assessment_record", pk=self.record.pk)

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form")
        return super().get_context_data(**self.record_context(fill_form=form), **kwargs)

    def call_service(self, form):
        return record_fill(record=self.record, by=self.request.user, **form.cleaned_data)

    def success_url_for(self, saved):
        return reverse("revocation:assessment_record", kwargs={"pk": saved.pk})


class RecordDecideView(RecordMixin, ServiceFormView):
    template_name = "revocation/assessments/record_detail.html"
    success_message = gettext_lazy("已认定评估结论。")
    refusals = (PermissionDenied, *ServiceFormView.refusals)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_office(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        return DecideForm(**self.get_form_kwargs(), grounds=grounds_for(self.record.honour))

    def get(self, request, *args, **kwargs):
        return redirect("revocation:assessment_record", pk=self.record.pk)

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form")
        return super().get_context_data(**self.record_context(decide_form=form), **kwargs)

    def call_service(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        return record_decide(record=self.record, by=self.request.user, **data)

    def success_url_for(self, saved):
        return reverse("revocation:assessment_record", kwargs={"pk": saved.pk})


class EvidenceView(LoginRequiredMixin, View):
    def get(self, request, pk):
        evidence = get_object_or_404(
            AssessmentEvidence.objects.select_related("record__round__agency"), pk=pk
        )
        try:
            evidence_open(evidence=evidence, by=request.user)
        except PermissionDenied:
            raise Http404 from None
        return stored_file_response(
            evidence.file, filename=evidence.original_name, content_type=evidence.content_type
        )


class AgencyRecordsView(RoleRequiredMixin, TemplateView):
    roles = (Role.AGENCY,)
    template_name = "revocation/assessments/agency_records.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            records=list(records_of_agency(self.request.user)), **kwargs
        )


urlpatterns = [
    path("assessments/", RoundsView.as_view(), name="assessment_rounds"),
    path("assessments/new/", RoundCreateView.as_view(), name="assessment_round_new"),
    path("assessments/<int:pk>/", RoundView.as_view(), name="assessment_round"),
    path("assessments/agency/", AgencyRecordsView.as_view(), name="assessment_agency"),
    path("assessments/records/<int:pk>/", RecordView.as_view(), name="assessment_record"),
    path(
        "assessments/records/<int:pk>/fill/",
        RecordFillView.as_view(),
        name="assessment_record_fill",
    ),
    path(
        "assessments/records/<int:pk>/decide/",
        RecordDecideView.as_view(),
        name="assessment_record_decide",
    ),
    path("assessments/evidence/<int:pk>/", EvidenceView.as_view(), name="assessment_evidence"),
]

"""Office pages: every county's applications, 复核 one by one or in a batch, the Excel export."""

import tempfile

from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from applications.enums import ApplicationState
from applications.exports import write_applications_xlsx
from applications.forms import (
    BATCH_CHOICES,
    AcceptForm,
    BatchForm,
    OfficeFilterForm,
    RejectForm,
    ReturnForm,
)
from applications.selectors import state_counts
from applications.selectors_pages import (
    active_counties,
    cycles_with_applications,
    office_applications,
    queue_rows,
)
from applications.services import (
    application_accept,
    application_reject,
    application_return,
    applications_batch,
)
from applications.views.common import ReviewAction, ReviewDetailView, state_links
from award.enums import Role
from award.permissions import STAFF_READERS, RoleRequiredMixin
from award.selectors.cycles import current_cycle
from award.services.audit import download_record
from award.views.refusals import REFUSALS, show_refusal

BATCH_SESSION_KEY = "applications.batch_results"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ACTIONS = (
    ReviewAction(
        slug="accept",
        transition="accept",
        label=gettext_lazy("复核通过"),
        form_class=AcceptForm,
        service=application_accept,
        field="opinion",
        success=gettext_lazy("“%(name)s”复核通过。"),
        confirm=gettext_lazy("确定复核通过该申报吗？"),
    ),
    ReviewAction(
        slug="return",
        transition="return_for_revision",
        label=gettext_lazy("退回修改"),
        form_class=ReturnForm,
        service=application_return,
        field="reason",
        success=gettext_lazy("已将“%(name)s”退回申报人修改。"),
        button="btn-outline-warning",
        confirm=gettext_lazy("确定退回申报人修改吗？"),
    ),
    ReviewAction(
        slug="reject",
        transition="reject",
        label=gettext_lazy("复核不通过"),
        form_class=RejectForm,
        service=application_reject,
        field="reason",
        success=gettext_lazy("已对“%(name)s”作出复核不通过的结论。"),
        button="btn-outline-danger",
        confirm=gettext_lazy("确定复核不通过吗？该结论为最终结论，不能撤销。"),
    ),
)


class StaffReaderMixin(RoleRequiredMixin):
    roles = STAFF_READERS


class OfficeFiltersMixin:
    """The list's filters from the query string; the current cycle unless one is chosen."""

    def read_filters(self):
        data = self.request.GET.copy()
        if "cycle" not in data:
            cycle = current_cycle()
            data["cycle"] = str(cycle.pk) if cycle else ""
        self.filters = OfficeFilterForm(
            data, cycles=cycles_with_applications(), counties=active_counties()
        )
        self.cycle = self.filters.value("cycle")
        self.filter_values = {
            name: self.filters.value(name) for name in ("cycle", "county", "state", "kind")
        }
        return self.filter_values

    def filtered(self):
        return office_applications(self.request.user, **self.read_filters())

    def filter_query(self) -> str:
        query = self.request.GET.copy()
        query.pop("page", None)
        if "cycle" not in query:
            query["cycle"] = str(self.cycle.pk) if self.cycle else ""
        return query.urlencode()


class OfficeQueueView(StaffReaderMixin, OfficeFiltersMixin, ListView):
    """All counties' applications; the office ticks recommended ones for a batch 复核."""

    template_name = "applications/office_queue.html"
    context_object_name = "applications"
    paginate_by = 100

    def get_queryset(self):
        return queue_rows(self.filtered())

    def get_context_data(self, **kwargs):
        user = self.request.user
        is_office = user.has_role(Role.OFFICE)
        batch_form = kwargs.pop("batch_form", None)
        if batch_form is None and is_office:
            batch_form = BatchForm(queryset=office_applications(user))
        ticked = set(batch_form.data.getlist("applications")) if batch_form else set()
        context = super().get_context_data(
            filters=self.filters,
            filter_query=self.filter_query(),
            state_links=state_links(
                state_counts(office_applications(user, **{**self.filter_values, "state": ""}))
            ),
            current_state=self.filter_values["state"],
            is_office=is_office,
            batch_form=batch_form,
            ticked=ticked,
            batch_results=self.request.session.pop(BATCH_SESSION_KEY, None),
            recommended=ApplicationState.RECOMMENDED,
            **kwargs,
        )
        context["pickable"] = is_office and any(
            a.state == ApplicationState.RECOMMENDED for a in context["applications"]
        )
        return context

    def post(self, request, *args, **kwargs):
        """A batch 复核; each item gets its own transaction, audit entry and result."""
        if not request.user.has_role(Role.OFFICE):
            return self.http_method_not_allowed(request, *args, **kwargs)
        self.object_list = self.get_queryset()
        form = BatchForm(request.POST, queryset=office_applications(request.user))
        if form.is_valid():
            action = form.cleaned_data["action"]
            try:
                results = applications_batch(
                    applications=form.chosen_in_order(),
                    by=request.user,
                    action=action,
                    reason=form.cleaned_data["reason"],
                )
            except REFUSALS as refused:
                show_refusal(form, refused)
            else:
                done = sum(result.ok for result in results)
                request.session[BATCH_SESSION_KEY] = {
                    "action": str(dict(BATCH_CHOICES)[action]),
                    "done": done,
                    "refused": len(results) - done,
                    "rows": [
                        {
                            "pk": result.application.pk,
                            "name": result.application.name,
                            "ok": result.ok,
                            "message": result.message,
                        }
                        for result in results
                    ],
                }
                return redirect(f"{request.path}?{self.filter_query()}")
        context = self.get_context_data(batch_form=form)
        return self.render_to_response(context, status=400)


class OfficeExportView(StaffReaderMixin, OfficeFiltersMixin, View):
    """The filtered list as an Excel workbook (DESIGN.md §8); the export itself is audited."""

    def get(self, request):
        queryset = self.filtered()
        filters = {
            "cycle": self.cycle.pk if self.cycle else None,
            "county": getattr(self.filters.value("county"), "pk", None),
            "state": self.filters.value("state"),
            "kind": self.filters.value("kind"),
        }
        download_record(
            by=request.user,
            obj=self.cycle,
            action="application.export",
            what={"filters": filters, "rows": queryset.count()},
        )
        # FileResponse closes the buffer once the download is sent.
        buffer = tempfile.SpooledTemporaryFile(max_size=1_000_000)  # noqa: SIM115
        write_applications_xlsx(queryset, buffer)
        buffer.seek(0)
        which = (
            _("第%(number)s届") % {"number": self.cycle.number_label}
            if self.cycle
            else _("全部届次")
        )
        response = FileResponse(
            buffer,
            as_attachment=True,
            filename=_("市长质量奖申报汇总_%(which)s.xlsx") % {"which": which},
            content_type=XLSX,
        )
        response["Cache-Control"] = "private, no-store"
        return response


class OfficeDetailView(StaffReaderMixin, ReviewDetailView):
    template_name = "applications/office_detail.html"
    actions = ACTIONS
    detail_url_name = "applications:office_detail"

    def applications(self, user):
        return office_applications(user)


urlpatterns = [
    path("office/", OfficeQueueView.as_view(), name="office_queue"),
    path("office/export/", OfficeExportView.as_view(), name="office_export"),
    path("office/<int:pk>/", OfficeDetailView.as_view(), name="office_detail"),
    path(
        "office/<int:pk>/<slug:action>/",
        OfficeDetailView.as_view(http_method_names=["post"]),
        name="office_act",
    ),
]

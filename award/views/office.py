"""The office's reference data: counties, rulebooks, holiday schedules, third-party agencies."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView

from award.enums import Role
from award.forms.office import AgencyForm, CalendarDayForm, CountyForm, HolidayScheduleForm
from award.models import Agency, CalendarDay, County, HolidaySchedule, Rulebook
from award.permissions import OfficeMixin, StaffReaderMixin
from award.services import office as services
from award.views.service_form import ServiceFormView


class LookupMixin:
    """Fetches the object in the URL after the role check has passed (404 when missing)."""

    lookup_model = None
    lookup_name = "object"

    def dispatch(self, request, *args, **kwargs):
        setattr(self, self.lookup_name, get_object_or_404(self.lookup_model, pk=kwargs["pk"]))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs[self.lookup_name] = getattr(self, self.lookup_name)
        return super().get_context_data(**kwargs)


class EditMixin(LookupMixin):
    """LookupMixin for a ModelForm that edits the looked-up object."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": getattr(self, self.lookup_name)}


# 县区


class CountyListView(StaffReaderMixin, ListView):
    template_name = "award/county_list.html"
    context_object_name = "counties"

    def get_queryset(self):
        return County.objects.annotate(user_count=Count("users")).order_by(
            "sort_order", "code", "name"
        )


class CountyCreateView(OfficeMixin, ServiceFormView):
    template_name = "award/county_form.html"
    form_class = CountyForm
    success_message = gettext_lazy("已添加县区“%(object)s”。")

    def call_service(self, form):
        return services.county_create(
            by=self.request.user, submission_token=form.once_token, **form.cleaned_data
        )

    def success_url_for(self, saved):
        return reverse("award:county_list")


class CountyUpdateView(OfficeMixin, EditMixin, ServiceFormView):
    template_name = "award/county_form.html"
    form_class = CountyForm
    lookup_model = County
    lookup_name = "county"
    success_message = gettext_lazy("已保存县区“%(object)s”。")

    def call_service(self, form):
        return services.county_update(county=self.county, by=self.request.user, **form.cleaned_data)

    def success_url_for(self, saved):
        return reverse("award:county_list")


# 评定规则 (read here; a new regulation arrives by migration)


class RulebookListView(StaffReaderMixin, ListView):
    template_name = "award/rulebook_list.html"
    context_object_name = "rulebooks"

    def get_queryset(self):
        return Rulebook.objects.annotate(cycle_count=Count("cycles")).order_by("-effective_from")


class RulebookDetailView(StaffReaderMixin, DetailView):
    template_name = "award/rulebook_detail.html"
    context_object_name = "rulebook"
    model = Rulebook

    def get_context_data(self, **kwargs):
        fields = [
            "cycle_years",
            "max_winners_per_category",
            "unit_min_years",
            "unit_min_years_new_field",
            "lookback_years",
            "individual_min_quality_years",
            "publicity_working_days",
            "max_unit_reward_yuan",
        ]
        rows = [
            {
                "label": Rulebook._meta.get_field(name).verbose_name,
                "value": getattr(self.object, name),
                "article": Rulebook._meta.get_field(name).help_text,
            }
            for name in fields
        ]
        return super().get_context_data(
            rows=rows, cycles=self.object.cycles.order_by("-number"), **kwargs
        )


# 节假日安排


class HolidayScheduleListView(StaffReaderMixin, ListView):
    template_name = "award/holiday_schedule_list.html"
    context_object_name = "schedules"

    def get_queryset(self):
        return HolidaySchedule.objects.select_related("entered_by").annotate(
            day_count=Count("days")
        )


class HolidayScheduleCreateView(OfficeMixin, ServiceFormView):
    template_name = "award/holiday_schedule_form.html"
    form_class = HolidayScheduleForm
    success_message = gettext_lazy(
        "已建立%(object)s年节假日安排，请对照国务院办公厅通知核对特殊日期。"
    )

    def call_service(self, form):
        return services.holiday_schedule_create(
            year=form.cleaned_data["year"],
            source=form.cleaned_data["source"],
            by=self.request.user,
            submission_token=form.once_token,
        )

    def success_url_for(self, saved):
        return reverse("award:holiday_schedule_detail", args=[saved.pk])


class HolidayScheduleDetailView(StaffReaderMixin, LookupMixin, ServiceFormView):
    """The schedule's special days; the office adds or changes one here (POST)."""

    template_name = "award/holiday_schedule_detail.html"
    form_class = CalendarDayForm
    lookup_model = HolidaySchedule
    lookup_name = "schedule"
    success_message = gettext_lazy("已保存%(object)s。")

    def post(self, request, *args, **kwargs):
        if not request.user.has_role(Role.OFFICE):
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "schedule": self.schedule}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            days=self.schedule.days.all(),
            is_office=self.request.user.has_role(Role.OFFICE),
            **kwargs,
        )

    def call_service(self, form):
        return services.calendar_day_set(
            schedule=self.schedule, by=self.request.user, **form.cleaned_data
        )

    def success_url_for(self, saved):
        return reverse("award:holiday_schedule_detail", args=[self.schedule.pk])


class CalendarDayRemoveView(OfficeMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, day_pk):
        day = get_object_or_404(CalendarDay, pk=day_pk, schedule_id=pk)
        services.calendar_day_remove(day=day, by=request.user)
        messages.success(request, _("已删除%(date)s的安排。") % {"date": day.date})
        return redirect("award:holiday_schedule_detail", pk=pk)


# 第三方机构


class AgencyListView(StaffReaderMixin, ListView):
    template_name = "award/agency_list.html"
    context_object_name = "agencies"

    def get_queryset(self):
        return Agency.objects.annotate(
            user_count=Count("users", distinct=True), cycle_count=Count("cycles", distinct=True)
        ).order_by("name")


class AgencyCreateView(OfficeMixin, ServiceFormView):
    template_name = "award/agency_form.html"
    form_class = AgencyForm
    success_message = gettext_lazy("已添加第三方机构“%(object)s”。")

    def call_service(self, form):
        return services.agency_create(
            by=self.request.user, submission_token=form.once_token, **form.cleaned_data
        )

    def success_url_for(self, saved):
        return reverse("award:agency_list")


class AgencyUpdateView(OfficeMixin, EditMixin, ServiceFormView):
    template_name = "award/agency_form.html"
    form_class = AgencyForm
    lookup_model = Agency
    lookup_name = "agency"
    success_message = gettext_lazy("已保存第三方机构“%(object)s”。")

    def call_service(self, form):
        return services.agency_update(agency=self.agency, by=self.request.user, **form.cleaned_data)

    def success_url_for(self, saved):
        return reverse("award:agency_list")


urlpatterns = [
    path("office/counties/", CountyListView.as_view(), name="county_list"),
    path("office/counties/new/", CountyCreateView.as_view(), name="county_create"),
    path("office/counties/<int:pk>/edit/", CountyUpdateView.as_view(), name="county_update"),
    path("office/rulebooks/", RulebookListView.as_view(), name="rulebook_list"),
    path("office/rulebooks/<int:pk>/", RulebookDetailView.as_view(), name="rulebook_detail"),
    path("office/calendar/", HolidayScheduleListView.as_view(), name="holiday_schedule_list"),
    path(
        "office/calendar/new/", HolidayScheduleCreateView.as_view(), name="holiday_schedule_create"
    ),
    path(
        "office/calendar/<int:pk>/",
        HolidayScheduleDetailView.as_view(),
        name="holiday_schedule_detail",
    ),
    path(
        "office/calendar/<int:pk>/days/<int:day_pk>/remove/",
        CalendarDayRemoveView.as_view(),
        name="calendar_day_remove",
    ),
    path("office/agencies/", AgencyListView.as_view(), name="agency_list"),
    path("office/agencies/new/", AgencyCreateView.as_view(), name="agency_create"),
    path("office/agencies/<int:pk>/edit/", AgencyUpdateView.as_view(), name="agency_update"),
]

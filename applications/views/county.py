"""County pages: the county's queue and 条件初审 — 推荐, 退回修改, 不推荐 (第十四条第（三）项)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from applications.forms import DeclineForm, QueueFilterForm, RecommendForm, ReturnForm
from applications.selectors import state_counts
from applications.selectors_pages import county_applications, queue_rows
from applications.services import (
    application_decline,
    application_recommend,
    application_return,
)
from applications.views.common import ReviewAction, ReviewDetailView, state_links
from award.enums import Role
from award.permissions import RoleRequiredMixin

ACTIONS = (
    ReviewAction(
        slug="recommend",
        transition="recommend",
        label=_("初审推荐"),
        form_class=RecommendForm,
        service=application_recommend,
        field="opinion",
        success=_("已推荐“%(name)s”，等待质量强市办复核。"),
        confirm=_("确定推荐该申报吗？推荐后提交质量强市办复核。"),
    ),
    ReviewAction(
        slug="return",
        transition="return_for_revision",
        label=_("退回修改"),
        form_class=ReturnForm,
        service=application_return,
        field="reason",
        success=_("已将“%(name)s”退回申报人修改。"),
        button="btn-outline-warning",
        confirm=_("确定退回申报人修改吗？"),
    ),
    ReviewAction(
        slug="decline",
        transition="decline",
        label=_("初审不推荐"),
        form_class=DeclineForm,
        service=application_decline,
        field="reason",
        success=_("已对“%(name)s”作出不推荐的初审结论。"),
        button="btn-outline-danger",
        confirm=_("确定不推荐该申报吗？不推荐后本届申报即结束，不能撤销。"),
    ),
)


class CountyMixin(RoleRequiredMixin):
    roles = (Role.COUNTY,)


class CountyQueueView(CountyMixin, ListView):
    """The county's submitted applications, filtered by state and kind."""

    template_name = "applications/county_queue.html"
    context_object_name = "applications"
    paginate_by = 50

    def get_queryset(self):
        self.filters = QueueFilterForm(self.request.GET)
        return queue_rows(
            county_applications(
                self.request.user,
                state=self.filters.value("state"),
                kind=self.filters.value("kind"),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filters=self.filters,
            state_links=state_links(
                state_counts(
                    county_applications(self.request.user, kind=self.filters.value("kind"))
                )
            ),
            current_state=self.filters.value("state"),
            county=self.request.user.county,
            **kwargs,
        )


class CountyDetailView(CountyMixin, ReviewDetailView):
    template_name = "applications/county_detail.html"
    actions = ACTIONS
    detail_url_name = "applications:county_detail"

    def applications(self, user):
        return county_applications(user)


urlpatterns = [
    path("county/", CountyQueueView.as_view(), name="county_queue"),
    path("county/<int:pk>/", CountyDetailView.as_view(), name="county_detail"),
    path(
        "county/<int:pk>/<slug:action>/",
        CountyDetailView.as_view(http_method_names=["post"]),
        name="county_act",
    ),
]

"""我的待办: each role's waiting work, gathered from the registry every floor fills."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import path
from django.views.generic import TemplateView

from award.workbench import workbench


class WorkbenchView(LoginRequiredMixin, TemplateView):
    template_name = "award/workbench.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(items=workbench.items_for(self.request.user), **kwargs)


urlpatterns = [path("workbench/", WorkbenchView.as_view(), name="workbench")]

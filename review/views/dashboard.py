"""The agency's review dashboard (评审看板): progress, calibration and spread for one cycle;
the cycle's agency, the office and the auditor read it (CycleMixin), others get 404."""

from django.http import Http404
from django.views.generic import TemplateView

from review.charts import expert_means_chart, group_means_chart, progress_chart, spread_chart
from review.selectors.board import review_applications_for
from review.selectors.dashboard import (
    CALIBRATION_FLOOR,
    CALIBRATION_MIN_PEERS,
    CALIBRATION_POINTS,
    CALIBRATION_SD,
    SPREAD_FLAG,
    review_dashboard,
    score_spread,
)
from review.views.common import CycleMixin


class ReviewDashboardView(CycleMixin, TemplateView):
    template_name = "review/dashboard.html"

    def selected_application(self):
        """?application=<id>: one application of this cycle the user reads; else 404."""
        value = self.request.GET.get("application", "")
        if not value:
            return None
        if not value.isdigit():
            raise Http404
        application = (
            review_applications_for(self.request.user, self.cycle).filter(pk=int(value)).first()
        )
        if application is None:
            raise Http404
        return application

    def get_context_data(self, **kwargs):
        application = self.selected_application()
        dashboard = review_dashboard(self.cycle)
        spread = score_spread(self.cycle, dashboard["stages"], application=application)
        return super().get_context_data(
            dashboard=dashboard,
            application=application,
            applications=review_applications_for(self.request.user, self.cycle).values_list(
                "pk", "name"
            ),
            spread=spread,
            mean_rows=dashboard["groups"] + dashboard["experts"],
            charts={
                "progress": progress_chart(dashboard),
                "groups": group_means_chart(dashboard),
                "experts": expert_means_chart(dashboard),
                "spread": spread_chart(spread, dashboard["stage_labels"], application=application),
            },
            rule={
                "points": CALIBRATION_POINTS,
                "sd": CALIBRATION_SD,
                "floor": CALIBRATION_FLOOR,
                "peers": CALIBRATION_MIN_PEERS,
                "spread": SPREAD_FLAG,
            },
            **kwargs,
        )

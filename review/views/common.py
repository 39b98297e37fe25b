"""What the agency's, office's and report pages share: the cycle in the URL, the form shape."""

from django.http import Http404

from award.enums import Role
from award.permissions import RoleRequiredMixin, is_agency_of
from award.views.refusals import REFUSALS
from award.views.service_form import ServiceFormView as BaseServiceFormView
from review.permissions import can_manage_plan
from review.selectors.pool import plan_of, review_cycles

REVIEW_READERS = (Role.AGENCY, Role.OFFICE, Role.AUDITOR)


class CycleMixin(RoleRequiredMixin):
    """A page about one cycle's review: its agency, the office and the auditor read it;
    anyone else, and an agency not engaged for the cycle, gets 404 (DESIGN.md §5).

    `writers` says who may POST: "agency" (the cycle's agency, the default) or "plan"
    (the agency or the office, 第七条/第八条). Others get 404 on POST.
    """

    roles = REVIEW_READERS
    writers = "agency"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.cycle = review_cycles(request.user).filter(pk=kwargs["cycle"]).first()
        if self.cycle is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @property
    def is_cycle_agency(self) -> bool:
        return is_agency_of(self.cycle, self.request.user)

    @property
    def may_write(self) -> bool:
        if self.writers == "plan":
            return can_manage_plan(self.cycle, self.request.user)
        return self.is_cycle_agency

    def post(self, request, *args, **kwargs):
        if not self.may_write:
            raise Http404
        return self.handle_post(request, *args, **kwargs)

    def handle_post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs["cycle"] = self.cycle
        kwargs.setdefault("may_write", self.may_write)
        kwargs.setdefault("is_cycle_agency", self.is_cycle_agency)
        return super().get_context_data(**kwargs)

    def plan(self):
        if not hasattr(self, "_plan"):
            self._plan = plan_of(self.cycle)
        return self._plan


class ServiceFormView(BaseServiceFormView):
    """The review pages' service form: refusals of every kind land on it, answered with 400."""

    refusals = REFUSALS
    invalid_status = 400

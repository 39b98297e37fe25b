"""What the agency's, office's and report pages share: the cycle in the URL, refusals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from applications.views.common import refusal_messages
from award.enums import Role
from award.forms.errors import apply_errors
from award.permissions import RoleRequiredMixin
from review.permissions import can_manage_plan, is_agency_of
from review.selectors_pages import plan_of, review_cycles

REFUSALS = (PermissionDenied, ValidationError, TransitionNotAllowed, ConcurrentTransition)
REVIEW_READERS = (Role.AGENCY, Role.OFFICE, Role.AUDITOR)


def show_refusal(form, error) -> None:
    """A service's refusal next to the form's fields, or on top of the form."""
    if isinstance(error, ValidationError):
        apply_errors(form, error)
    else:
        form.add_error(None, refusal_messages(error))


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


class ServiceFormView(FormView):
    """A form whose valid data goes to one service; refusals land on the form (status 400)."""

    success_message = ""

    def call_service(self, form):
        raise NotImplementedError

    def success_url_for(self, saved) -> str:
        raise NotImplementedError

    def success_text(self, saved) -> str:
        return str(self.success_message) % {"object": saved}

    def form_valid(self, form):
        try:
            saved = self.call_service(form)
        except REFUSALS as refused:
            show_refusal(form, refused)
            return self.form_invalid(form)
        messages.success(self.request, self.success_text(saved))
        return redirect(self.success_url_for(saved))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

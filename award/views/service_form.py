"""The shared shape of a page whose form feeds one service (every floor's views use it)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView

from award.exceptions import SubmissionReplayed
from award.selectors.submissions import submission_replayed
from award.views.refusals import show_refusal


class ServiceFormView(FormView):
    """A form whose valid data goes to one service; the service's refusals land on the form.

    Subclasses define `call_service(form) -> saved` and `success_url_for(saved) -> url`.
    A create form posted twice (OnceFormMixin) answers the second time with the first
    result's page and 请勿重复提交.
    """

    success_message = ""
    refusals: tuple[type[Exception], ...] = (ValidationError,)
    invalid_status = 200

    def show_refusal(self, form, error) -> None:
        show_refusal(form, error)

    def success_text(self, saved) -> str:
        return str(self.success_message) % {"object": saved}

    def form_valid(self, form):
        try:
            saved = self.call_service(form)
        except SubmissionReplayed as replayed:
            return self.replayed(form, replayed)
        except self.refusals as refused:
            self.show_refusal(form, refused)
            return self.form_invalid(form)
        messages.success(self.request, self.success_text(saved))
        return redirect(self.success_url_for(saved))

    def replayed(self, form, replayed: SubmissionReplayed):
        if replayed.first is None:
            form.add_error(None, replayed)
            return self.render_invalid(form)
        messages.warning(self.request, str(replayed.message))
        return redirect(self.success_url_for(replayed.first))

    def form_invalid(self, form):
        # A form posted again after its first POST took effect may fail only because of it
        # (a name now taken): answer as for the replay it is.
        replayed = submission_replayed(self.request.user, getattr(form, "once_token", None))
        if replayed is not None:
            return self.replayed(form, replayed)
        return self.render_invalid(form)

    def render_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=self.invalid_status)

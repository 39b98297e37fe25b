"""What the 初审 and 复核 pages share: filter links, the actions offered, the detail page."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from applications.enums import ApplicationState
from applications.hooks import history_notes
from applications.presentation import next_step_text, submission_context, timeline
from award.views.refusals import REFUSALS, refusal_status, show_refusal


def state_links(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(state, label, count) of the states that have applications, for filter links."""
    return [
        (value, label, counts[value])
        for value, label in ApplicationState.choices
        if counts.get(value)
    ]


def available_actions(application, user) -> set[str]:
    """Names of the transitions `user` may take on `application` now (DESIGN.md §4.2)."""
    return {t.name for t in application.get_available_user_state_transitions(user)}


@dataclass(frozen=True)
class ReviewAction:
    """A 初审 or 复核 decision offered on the detail page: its form and its one service."""

    slug: str
    transition: str
    label: str
    form_class: type
    service: Callable
    field: str
    success: str
    button: str = "btn-primary"
    confirm: str = ""


class ReviewDetailView(TemplateView):
    """A submitted application for its reviewers, with buttons for the steps they may take.

    GET shows it; POST to `<pk>/<slug>/` takes step `slug` through its service. Subclasses
    give `applications(user)` (the reviewer's scope; anything else answers 404) and `actions`.
    """

    template_name = ""
    actions: tuple[ReviewAction, ...] = ()
    detail_url_name = ""

    def applications(self, user):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.application = get_object_or_404(self.applications(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def offered(self, bound=None):
        """(action, form) for each step the user may take now; `bound` replaces its form."""
        available = available_actions(self.application, self.request.user)
        offered = []
        for action in self.actions:
            if bound is not None and bound[0] is action:
                offered.append(bound)
            elif action.transition in available:
                offered.append((action, action.form_class(prefix=action.slug)))
        return offered

    def get_context_data(self, **kwargs):
        application, user = self.application, self.request.user
        bound = kwargs.pop("bound", None)
        return super().get_context_data(
            application=application,
            actions=self.offered(bound),
            events=timeline(application, user),
            next_step=next_step_text(application),
            history_notes=history_notes(application),
            **submission_context(application, user),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = next((a for a in self.actions if a.slug == kwargs.get("action")), None)
        if action is None:
            raise Http404
        form = action.form_class(request.POST, prefix=action.slug)
        status = 400
        if form.is_valid():
            try:
                action.service(
                    application=self.application,
                    by=request.user,
                    **{action.field: form.cleaned_data[action.field]},
                )
            except REFUSALS as refused:
                show_refusal(form, refused)
                status = refusal_status(refused)
                # Someone may have moved it meanwhile: show it as it stands now.
                self.application = get_object_or_404(
                    self.applications(request.user), pk=self.application.pk
                )
            else:
                messages.success(request, str(action.success) % {"name": self.application.name})
                return redirect(self.detail_url_name, pk=self.application.pk)
        return self.render_to_response(self.get_context_data(bound=(action, form)), status=status)

"""The agency's home and board (评审进度): the cycles it reviews, and a cycle's applications
with 开始评审 one by one or in a batch."""

from django.db.models import Count, OuterRef, Q
from django.shortcuts import redirect
from django.views.generic import ListView

from applications.enums import ApplicationState
from award.enums import Role
from award.permissions import RoleRequiredMixin
from review.forms.agency import BatchStartForm
from review.selectors.board import review_applications_for, review_board, startable_choices
from review.selectors.pool import review_cycles, waiting_for_group
from review.services import reviews_start
from review.views.common import CycleMixin

START_SESSION_KEY = "review.batch_start"


class AgencyHomeView(RoleRequiredMixin, ListView):
    """The cycles the agency was engaged for, with what waits in each."""

    roles = (Role.AGENCY,)
    template_name = "review/agency_home.html"
    context_object_name = "cycles"

    def get_queryset(self):
        return review_cycles(self.request.user).annotate(
            accepted=Count(
                "applications",
                filter=Q(applications__state=ApplicationState.ACCEPTED),
                distinct=True,
            ),
            in_review=Count(
                "applications",
                filter=Q(applications__state=ApplicationState.IN_REVIEW),
                distinct=True,
            ),
            reviewed=Count(
                "applications",
                filter=Q(applications__state=ApplicationState.REVIEWED),
                distinct=True,
            ),
            failed=Count(
                "applications",
                filter=Q(applications__state=ApplicationState.REVIEW_FAILED),
                distinct=True,
            ),
            waiting=waiting_for_group(OuterRef("pk")),
        )


class ReviewBoardView(CycleMixin, ListView):
    template_name = "review/agency_board.html"
    context_object_name = "applications"
    paginate_by = 100

    def get_queryset(self):
        return review_board(self.cycle, self.request.user)

    def get_context_data(self, **kwargs):
        batch_form = kwargs.pop("batch_form", None)
        choices = startable_choices(self.cycle, self.request.user) if self.may_write else []
        return super().get_context_data(
            batch_form=batch_form,
            startable={pk for pk, _name in choices},
            ticked=set(batch_form.data.getlist("applications")) if batch_form else set(),
            batch_results=self.request.session.pop(START_SESSION_KEY, None),
            **kwargs,
        )

    def handle_post(self, request, *args, **kwargs):
        """开始评审 for each ticked application, each in its own transaction."""
        self.object_list = self.get_queryset()
        choices = startable_choices(self.cycle, request.user)
        form = BatchStartForm(request.POST, choices=choices)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(batch_form=form), status=400)
        chosen = {
            a.pk: a
            for a in review_applications_for(request.user, self.cycle).filter(
                pk__in=form.cleaned_data["applications"]
            )
        }
        results = reviews_start(
            applications=[chosen[pk] for pk in form.cleaned_data["applications"]], by=request.user
        )
        rows = [
            {"pk": r.application.pk, "name": r.application.name, "ok": r.ok, "message": r.message}
            for r in results
        ]
        done = sum(row["ok"] for row in rows)
        request.session[START_SESSION_KEY] = {
            "done": done,
            "refused": len(rows) - done,
            "rows": rows,
        }
        return redirect("review:board", cycle=self.cycle.pk)

"""Reads of the agency's board (评审进度): the cycle's applications under review, scoped to
who may read them, their checks, and those the agency may start."""

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery

from applications.enums import ApplicationState
from applications.models import Application
from applications.permissions import BEFORE_AGENCY_STATES
from award.enums import Role
from review.enums import CHECK_STAGES
from review.models import Assignment, StageCheck, StageSignOff
from review.permissions import can_read_review


def review_applications_for(user, cycle) -> QuerySet[Application]:
    """The cycle's applications from 复核通过 on, for its agency, the office and the auditor."""
    if not can_read_review(cycle, user):
        return Application.objects.none()
    return (
        Application.objects.filter(cycle=cycle)
        .exclude(state__in=BEFORE_AGENCY_STATES)
        .select_related("county", "cycle")
        .order_by("submitted_at", "pk")
    )


def agency_applications(user):
    """Applications of the cycles the user's agency is engaged for, from 复核通过 on."""
    if not (user.is_authenticated and user.has_role(Role.AGENCY) and user.agency_id):
        return Application.objects.none()
    return (
        Application.objects.filter(cycle__agency_id=user.agency_id)
        .exclude(state__in=BEFORE_AGENCY_STATES)
        .select_related("cycle", "county")
    )


def agency_application(user, pk) -> Application | None:
    """One application of a cycle the user reads the review of, from 复核通过 on."""
    application = (
        Application.objects.select_related("cycle__agency", "county", "applicant")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        return None
    if not review_applications_for(user, application.cycle).filter(pk=pk).exists():
        return None
    return application


def review_board(cycle, user) -> QuerySet[Application]:
    """The cycle's applications under review with their group, checks and sign-offs, for the
    agency's working list; a constant number of queries however many rows."""
    active = Assignment.objects.active().filter(application=OuterRef("pk"))
    annotations = {
        "group_name": Subquery(active.values("group__name")[:1]),
        "reassignment": Subquery(active.values("needs_reassignment")[:1]),
    }
    for stage in CHECK_STAGES:
        annotations[f"{stage}_passed"] = Subquery(
            StageCheck.objects.filter(application=OuterRef("pk"), stage=stage).values("passed")[:1]
        )
    annotations["signed_stages"] = Subquery(
        StageSignOff.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return review_applications_for(user, cycle).annotate(**annotations)


def startable_choices(cycle, user) -> list[tuple[int, str]]:
    """复核通过 applications that have a group: those the agency may try to start."""
    return list(
        review_applications_for(user, cycle)
        .filter(state=ApplicationState.ACCEPTED)
        .filter(Exists(Assignment.objects.active().filter(application=OuterRef("pk"))))
        .values_list("pk", "name")
    )


def checks_of(application) -> dict[str, StageCheck]:
    return {
        check.stage: check
        for check in StageCheck.objects.filter(application=application).select_related(
            "recorded_by"
        )
    }

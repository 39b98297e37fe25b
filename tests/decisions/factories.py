"""A cycle brought to 拟获评 with reviewed applications, for the decisions floor's tests.

`DecisionWorld(units=u, individuals=i, fully_reviewed=n)` builds a ReviewWorld, reviews the
first `n` applications through every review service (real stage scores for the ranking and
the feedback report), and moves the rest to 评审完成 directly: the decisions tests start from
评审完成, and scoring dozens of applications through five experts would only slow them.
"""

from applications.enums import ApplicationState
from applications.models import Application
from award.enums import ApplicantKind, CyclePhase, Role
from award.services.cycles import cycle_transition
from tests.factories import make_user
from tests.review.factories import ReviewWorld


def reach_reviewed_quickly(applications) -> None:
    """Test fixture only: accepted applications marked 评审完成 without scores."""
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(
        state=ApplicationState.REVIEWED
    )


class DecisionWorld:
    """office, county_user, agency_user, cycle (in 拟获评), applications (reviewed; units
    first), units, individuals, and `leaders` members of the leading group."""

    def __init__(self, *, units=2, individuals=1, fully_reviewed=0, leaders=5):
        self.review = ReviewWorld(units=units, individuals=individuals)
        self.office = self.review.office
        self.county_user = self.review.county_user
        self.agency_user = self.review.agency_user
        self.cycle = self.review.cycle
        for application in self.review.applications[:fully_reviewed]:
            self.review.review_to(ApplicationState.REVIEWED, application)
        reach_reviewed_quickly(self.review.applications[fully_reviewed:])
        cycle_transition(cycle=self.cycle, name="begin_deliberation", by=self.office)
        self.cycle.refresh_from_db()
        assert self.cycle.phase == CyclePhase.DELIBERATION
        self.applications = list(
            Application.objects.filter(pk__in=[a.pk for a in self.review.applications])
            .select_related("cycle", "applicant", "county")
            .order_by("pk")
        )
        self.units = [a for a in self.applications if a.kind == ApplicantKind.UNIT]
        self.individuals = [a for a in self.applications if a.kind == ApplicantKind.INDIVIDUAL]
        self.leaders = [make_user(Role.LEADER) for _ in range(leaders)]

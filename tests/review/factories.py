"""Builders for the review tests: a cycle in 专家评审 with its agency, experts, a group and
accepted applications, every later state reached through the services."""

import itertools

from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Application
from applications.services import (
    application_accept,
    application_recommend,
    application_submit,
)
from award.enums import ApplicantKind, CyclePhase, Role
from award.services.cycles import cycle_engage_agency, cycle_transition
from review.enums import CHECK_STAGES, SCORED_STAGES, Stage
from review.models import Criterion, ReviewPlan
from review.selectors.pool import active_assignment, live_experts
from review.services import (
    assignment_create,
    conflict_declare,
    consensus_save,
    expert_create,
    group_create,
    review_complete,
    review_plan_save,
    review_start,
    score_save,
    site_visit_record,
    stage_check_record,
    stage_sign,
    stage_submit,
)
from tests.applications.factories import (
    World,
    advance_cycle,
    complete_application,
    individual_applicant,
    new_uscc,
    unit_applicant,
)
from tests.factories import AgencyFactory, county, make_user

_serial = itertools.count(1)


def new_expert(agency_user, **fields):
    n = next(_serial)
    values = {
        "name": f"专家{n}",
        "email": f"expert{n}@example.cn",
        "employer": f"山东质量研究院第{n}分院",
        "employer_uscc": new_uscc("370100"),
        "county": county("371311"),
        "contact_phone": "13900000000",
    }
    values.update(fields)
    return expert_create(by=agency_user, **values)


def items_of(application):
    """The scored items of the application's criteria set, in order."""
    plan = ReviewPlan.objects.get(cycle_id=application.cycle_id)
    return list(
        Criterion.objects.items()
        .filter(criteria_set_id=plan.criteria_set_id_for(application.kind))
        .order_by("order")
    )


class ReviewWorld:
    """A cycle brought to 专家评审 with `units` unit and `individuals` individual applications
    accepted (unit i's profile overridden by `profiles[i]`), an engaged agency with its
    manager, `experts` experts in one group (the first one leads) and a plan with `plan`
    overrides."""

    def __init__(
        self, *, units=1, individuals=0, experts=5, plan=None, cycle_phase=None, profiles=None
    ):
        base = World()
        self.office, self.county_user, self.cycle = base.office, base.county_user, base.cycle
        profiles = profiles or {}
        applicants = [unit_applicant(**profiles.get(i, {})) for i in range(units)]
        applicants += [individual_applicant() for _ in range(individuals)]
        submitted = []
        for applicant in applicants:
            application = application_submit(
                application=complete_application(applicant, self.cycle), by=applicant
            )
            submitted.append(
                application_recommend(
                    application=application, by=self.county_user, opinion="同意推荐"
                )
            )
        advance_cycle(self.cycle, CyclePhase.PRELIMINARY, office=self.office)
        self.applications = [
            application_accept(application=application, by=self.office) for application in submitted
        ]
        advance_cycle(self.cycle, CyclePhase.RECHECK, office=self.office)
        self.agency = AgencyFactory()
        self.agency_user = make_user(Role.AGENCY, agency=self.agency)
        cycle_engage_agency(cycle=self.cycle, agency=self.agency, by=self.office)
        if cycle_phase != CyclePhase.RECHECK:
            cycle_transition(cycle=self.cycle, name="begin_expert_review", by=self.office)
        self.plan = review_plan_save(cycle=self.cycle, by=self.agency_user, **(plan or {}))
        self.cycle.refresh_from_db()
        self.applications = [
            Application.objects.select_related("cycle").get(pk=a.pk) for a in self.applications
        ]
        self.experts = [new_expert(self.agency_user) for _ in range(experts)]
        self.group = (
            group_create(
                cycle=self.cycle,
                name="第一评审组",
                leader=self.experts[0],
                members=self.experts,
                by=self.agency_user,
            )
            if experts
            else None
        )

    @property
    def application(self):
        return self.applications[0]

    @property
    def leader(self):
        return self.group.leader

    def refresh(self, application):
        application.refresh_from_db()
        return application

    # Steps -------------------------------------------------------------------------------

    def assign(self, application=None, group=None):
        return assignment_create(
            application=application or self.application,
            group=group or self.group,
            by=self.agency_user,
        )

    def live(self, application=None):
        return live_experts(active_assignment(application or self.application))

    def declare_all(self, application=None):
        application = application or self.application
        for expert in self.live(application):
            conflict_declare(application=application, by=expert.user, has_conflict=False)

    def start(self, application=None):
        application = application or self.application
        self.assign(application)
        self.declare_all(application)
        return review_start(application=application, by=self.agency_user)

    def pass_checks(self, application=None):
        for stage in CHECK_STAGES:
            stage_check_record(
                application=application or self.application,
                stage=stage,
                passed=True,
                evidence="未发现负面舆情或资格问题。",
                by=self.agency_user,
            )

    def score(self, application, stage, expert, percentage, *, submit=True):
        """`expert` scores every item at `percentage` (or percentage(item) if callable)."""
        for item in items_of(application):
            value = percentage(item) if callable(percentage) else percentage
            score_save(
                application=application,
                stage=stage,
                by=expert.user,
                criterion=item,
                percentage=value,
                strengths="体系完整",
                opportunities="量化目标不足",
            )
        if submit:
            stage_submit(application=application, stage=stage, by=expert.user)

    def score_all(self, application, stage, percentages):
        """Every live expert scores; `percentages` lists one value per expert, in order."""
        for expert, percentage in zip(self.live(application), percentages, strict=True):
            self.score(application, stage, expert, percentage)

    def agree(self, application, stage, percentage):
        for item in items_of(application):
            value = percentage(item) if callable(percentage) else percentage
            consensus_save(
                application=application,
                stage=stage,
                criterion=item,
                percentage=value,
                strengths="领导作用突出",
                opportunities="创新成果转化不足",
                by=self.leader.user,
            )

    def visit(self, application):
        site_visit_record(
            application=application,
            # The portal's date, not UTC's: from 16:00 UTC they differ.
            visited_on=timezone.localdate(self.cycle.application_deadline),
            issues_found="现场记录与自评报告基本一致。",
            by=self.leader.user,
        )

    def sign(self, application, stage, *, scores=(50, 50, 50, 50, 50), consensus=50):
        if stage == Stage.SITE_VISIT:
            self.visit(application)
        self.score_all(application, stage, scores)
        self.agree(application, stage, consensus)
        return stage_sign(application=application, stage=stage, by=self.leader.user)

    def review_to(self, state, application=None):
        """Bring an accepted application to `state` through the services."""
        application = application or self.application
        s = ApplicationState
        if state == s.ACCEPTED:
            return application
        application = self.start(application)
        if state == s.IN_REVIEW:
            return application
        if state == s.REVIEW_FAILED:
            stage_check_record(
                application=application,
                stage=Stage.PUBLIC_OPINION,
                passed=False,
                evidence="检索到近三年重大质量事故报道。",
                reason="不符合第十条第（五）项。",
                by=self.agency_user,
            )
            return self.refresh(application)
        self.pass_checks(application)
        for stage in SCORED_STAGES:
            self.sign(application, stage)
        return review_complete(application=application, by=self.agency_user)


def other_agency_user():
    return make_user(Role.AGENCY, agency=AgencyFactory())


UNIT, INDIVIDUAL = ApplicantKind.UNIT, ApplicantKind.INDIVIDUAL

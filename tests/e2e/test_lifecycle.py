"""Issue 13: one cycle's whole lifecycle in one browser walk, each role signing in through the
login form and out again.

The office publishes the call; a unit and an individual apply; the county recommends; the
office accepts, engages the agency and opens 专家评审; the agency plans, forms a group and
assigns; an expert declares and scores, the group leader agrees and signs; the office
nominates and the leading group votes; 公示 draws an objection, dismissed; the approval is
recorded and the result published; the public verifies the unit's certificate (有效); a
complaint leads to a revocation and the verification page says 已撤销.

Where a step is repeated by many actors (five experts × every item × three stages, five
leaders voting twice) the first actor goes through the browser and the rest through the same
services the pages call, as the other walks do. Each step leaves a numbered screenshot in
var/e2e/lifecycle/; they are kept when the walk fails and removed when it passes.
"""

import re
import types

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ApplicationState
from applications.models import Application
from award import fsm
from award.enums import CyclePhase, Role
from award.models import Cycle
from decisions.enums import HonourStatus, VoteChoice
from decisions.models import Honour
from decisions.services.meetings import ballot_cast
from review.enums import SCORED_STAGES, Stage
from review.models import ReviewGroup, StageSignOff, StageSubmission
from review.services import conflict_declare, review_complete, review_start
from revocation.enums import CaseBallotChoice
from revocation.services.cases import case_ballot_cast
from tests.applications.factories import complete_application, individual_applicant
from tests.e2e.steps import (
    StepShots,
    choose,
    expect_message,
    expect_saved,
    expert_declares,
    leader_agrees,
    leader_signs,
    menu,
    new_page,
    sign_in,
    sign_out,
)
from tests.e2e.test_apply_flow import (
    UNIT,
    county_recommends_on,
    fill_application,
    fill_profile,
    office_accepts_on,
    office_opens_recheck,
    register_unit,
    self_assessment_pdf,
)
from tests.e2e.test_complaint_flow import (
    holder_answers,
    office_closes_complaint,
    office_closes_vote_and_submits,
    office_finds_true,
    office_opens_a_case,
    office_records_decision,
    office_sends_and_opens_vote,
    public_files,
    public_sees_revocation,
)
from tests.e2e.test_complaint_flow import leader_votes as leader_votes_on_case
from tests.e2e.test_decisions_flow import (
    let_window_pass,
    member_votes_in_browser,
    office_closes_and_resolves,
    office_dismisses,
    office_nominates_and_sends,
    office_opens_meeting,
    office_publishes,
    office_records_approval,
    public_objects,
)
from tests.factories import PASSWORD, AgencyFactory, CycleFactory, county, make_user
from tests.review.factories import ReviewWorld, items_of, new_expert

# serialized_rollback keeps the roles, counties, rulebook and criteria that migrations seed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

GROUP = "第一评审组"
MATERIALS = Stage.MATERIALS


@pytest.fixture
def shots(request):
    shots = StepShots("lifecycle")
    yield shots
    report = getattr(request.node, "report_call", None)
    shots.stop(passed=report is not None and report.passed)


class Cast:
    """The people of the walk (set up fast, as the other walks' data): the office, 兰山区's
    coordinator, an agency with five experts, five leaders, an individual applicant whose
    profile is filled, and a cycle in 筹备 waiting for its call."""

    def __init__(self):
        self.office = make_user(Role.OFFICE)
        self.coordinator = make_user(Role.COUNTY, county=county("371302"))
        self.cycle = CycleFactory()
        self.agency = AgencyFactory()
        self.agency_user = make_user(Role.AGENCY, agency=self.agency)
        self.experts = [new_expert(self.agency_user) for _ in range(5)]
        # Experts' accounts start with a random password; the two in the browser chose theirs.
        for expert in self.experts[:2]:
            expert.user.set_password(PASSWORD)
            expert.user.save(update_fields=["password"])
        self.leaders = [make_user(Role.LEADER) for _ in range(5)]
        self.person = individual_applicant()


class Review(ReviewWorld):
    """ReviewWorld's service steps (score, agree, sign…) over the walk's own cycle and group."""

    def __init__(self, cast, group):
        self.office, self.cycle, self.agency_user = cast.office, cast.cycle, cast.agency_user
        self.experts, self.group = cast.experts, group


def office_takes_step(page, cycle, name):
    """A cycle step from the cycle's page: its link, its confirmation, its message."""
    cycle.refresh_from_db()
    label = fsm.step_label(cycle, name)
    page.goto(reverse("award:cycle_detail", args=[cycle.pk]))
    page.get_by_role("link", name=f"{label}…").click()
    page.get_by_role("button", name=f"确认{label}").click()
    expect_message(page, "阶段。")
    cycle.refresh_from_db()


def individual_submits(page, name):
    """The individual's 申报表 was filled through the services; the person submits it here."""
    menu(page, "我的申报").click()
    page.get_by_role("row").filter(has_text=name).get_by_role("link", name="查看进度").click()
    page.get_by_role("link", name="继续填写").click()
    expect(page.get_by_role("heading", name=re.compile("确认提交"))).to_be_visible()
    page.get_by_role("button", name="确认提交").click()
    expect_message(page, "申报已提交，等待兰山区质量议事协调机构初审。")


def office_engages_agency(page, cycle, agency):
    page.goto(reverse("award:cycle_detail", args=[cycle.pk]))
    page.get_by_label("承担评审的第三方机构").select_option(label=agency.name)
    page.get_by_role("button", name="确定机构").click()
    expect_message(page, f"已确定{agency.name}承担本届评审工作。")


def agency_plans_and_assigns(page, cast, applications):
    cycle = cast.cycle
    page.goto(reverse("review:plan", args=[cycle.pk]))
    expect(page.get_by_role("heading", name="评审工作计划")).to_be_visible()
    today = timezone.localdate()
    page.get_by_label("评审开始日期").fill(today.isoformat())
    page.get_by_label("评审结束日期").fill(today.isoformat())
    page.get_by_role("button", name="保存评审工作计划").click()
    expect_message(page, "已保存评审工作计划。")

    page.goto(reverse("review:group_create", args=[cycle.pk]))
    page.get_by_label("评审组名称").fill(GROUP)
    page.get_by_label("组长").select_option(str(cast.experts[0].pk))
    for expert in cast.experts:
        page.locator(f"input[name=members][value='{expert.pk}']").check()
    page.get_by_role("button", name="组建评审组").click()
    expect_message(page, f"已组建评审组“{GROUP}”。")

    group = ReviewGroup.objects.get(cycle=cycle, name=GROUP)
    page.goto(reverse("review:assign", args=[cycle.pk]))
    for application in applications:
        row = page.get_by_role("row").filter(has_text=application.name)
        row.get_by_label(f"“{application.name}”的评审组").select_option(str(group.pk))
        row.get_by_role("button", name="分配").click()
        expect_message(page, f"已将“{application.name}”分配给“{GROUP}”。")
    expect(page.locator("main")).to_contain_text("没有待分配的申报。")
    return group


def expert_scores_materials(page, application, percentage):
    items = items_of(application)
    page.goto(reverse("review:expert_scoring", args=[application.pk, MATERIALS]))
    expect(page.get_by_role("heading", name="材料评审评分")).to_be_visible()
    for criterion in items:
        choose(page, criterion, percentage)
        expect_saved(page, criterion)
    # An individual's sheet totals 100 points: the total is the percentage.
    expect(page.locator("#score-progress")).to_contain_text(
        f"已评 {len(items)} / {len(items)} 项，合计 {percentage:.2f} 分"
    )
    page.get_by_role("button", name="提交本阶段评分").click()
    expect_message(page, "已提交材料评审评分")


def public_verifies(browser, live_server, shots, serial, status, title):
    """A member of the public types the certificate's number into 证书查验."""
    context, page = new_page(browser, live_server)
    with shots.acting(context, page, title):
        page.goto(reverse("award:home"))
        menu(page, "证书查验").click()
        page.get_by_label("证书编号").fill(serial)
        page.get_by_role("button", name="查验").click()
        expect(page.get_by_role("heading", name="证书查验结果")).to_be_visible()
        card = page.locator(".card-body")
        expect(card).to_contain_text(serial)
        expect(card).to_contain_text(status)
        shots.take(page, title)


def test_the_whole_lifecycle(browser, live_server, shots, tmp_path):
    cast = Cast()
    cycle = cast.cycle

    # 1. The office publishes the 申报通知: applications open (第十四条第（一）项).
    context, page = sign_in(browser, live_server, cast.office.username)
    with shots.acting(context, page, "office-call"):
        office_publishes(page, cycle, "call", "现将申报工作通知如下。", "即开放申报")
        cycle.refresh_from_db()
        assert cycle.phase == CyclePhase.ANNOUNCED
        shots.take(page, "office-publishes-call")
        sign_out(page)

    # 2. A unit registers, fills its profile and applies.
    context, page = new_page(browser, live_server)
    with shots.acting(context, page, "unit-applies"):
        register_unit(page)
        fill_profile(page)
        fill_application(page, cycle, self_assessment_pdf(tmp_path))
        shots.take(page, "unit-submits")
        sign_out(page)
    unit = Application.objects.get(name=UNIT)

    # 3. An individual submits the 申报表 filled through the services.
    person = complete_application(cast.person, cycle)
    context, page = sign_in(browser, live_server, cast.person.username)
    with shots.acting(context, page, "individual-applies"):
        individual_submits(page, person.name)
        shots.take(page, "individual-submits")
        sign_out(page)
    names = (unit.name, person.name)

    # 4. The county recommends both (第十四条第（三）项).
    context, page = sign_in(browser, live_server, cast.coordinator.username)
    with shots.acting(context, page, "county"):
        county_recommends_on(page, names)
        shots.take(page, "county-recommends")
        sign_out(page)

    # 5. The deadline passes (no page moves the clock); the office accepts both, engages the
    #    agency and opens 专家评审.
    office_opens_recheck(cycle, cast.office)
    context, page = sign_in(browser, live_server, cast.office.username)
    with shots.acting(context, page, "office-recheck"):
        office_accepts_on(page, names)
        shots.take(page, "office-accepts")
        office_engages_agency(page, cycle, cast.agency)
        office_takes_step(page, cycle, "begin_recheck")
        office_takes_step(page, cycle, "begin_expert_review")
        assert cycle.phase == CyclePhase.EXPERT_REVIEW
        shots.take(page, "office-opens-expert-review")
        sign_out(page)
    assert set(Application.objects.values_list("state", flat=True)) == {ApplicationState.ACCEPTED}

    # 6. The agency plans, forms the group and assigns both applications.
    context, page = sign_in(browser, live_server, cast.agency_user.username)
    with shots.acting(context, page, "agency"):
        group = agency_plans_and_assigns(page, cast, (unit, person))
        shots.take(page, "agency-assigns")
        sign_out(page)
    review = Review(cast, group)
    expert, leader = cast.experts[1], cast.experts[0]

    # 7. One expert declares and scores the individual's 材料评审 in the browser (five items;
    #    a unit's sheet has over twenty); the other members declare and score through the
    #    services, and the agency starts the review.
    context, page = sign_in(browser, live_server, expert.user.username)
    with shots.acting(context, page, "expert"):
        expert_declares(page, person)
        shots.take(page, "expert-declares")
        for other in cast.experts:
            if other != expert:
                conflict_declare(application=person, by=other.user, has_conflict=False)
        review_start(application=person, by=cast.agency_user)
        review.pass_checks(person)
        expert_scores_materials(page, person, 70)
        shots.take(page, "expert-scores")
        sign_out(page)
    for other in cast.experts:
        if other != expert:
            review.score(person, MATERIALS, other, 60)

    # 8. The group leader records the consensus and signs the stage.
    context, page = sign_in(browser, live_server, leader.user.username)
    with shots.acting(context, page, "leader"):
        leader_agrees(page, person, items_of(person), 75)
        leader_signs(page)
        shots.take(page, "leader-signs")
        sign_out(page)
    assert StageSubmission.objects.filter(expert=expert, stage=MATERIALS).exists()
    assert StageSignOff.objects.filter(application=person, stage=MATERIALS).exists()

    # The other stages, the unit's whole review and 评审完成 through the services: the same
    # pages again for every expert, stage and item.
    for stage in SCORED_STAGES[1:]:
        review.sign(person, stage, scores=(80,) * 5, consensus=80)
    review.declare_all(unit)
    review_start(application=unit, by=cast.agency_user)
    review.pass_checks(unit)
    for stage in SCORED_STAGES:
        review.sign(unit, stage, scores=(80,) * 5, consensus=80)
    for application in (unit, person):
        review_complete(application=application, by=cast.agency_user)

    # 9. The office opens 审议, nominates both, sends the list and opens the meeting.
    world = types.SimpleNamespace(
        cycle=cycle,
        applications=list(Application.objects.order_by("pk")),
        leaders=cast.leaders,
    )
    context, page = sign_in(browser, live_server, cast.office.username)
    with shots.acting(context, page, "office-deliberation"):
        office_takes_step(page, cycle, "begin_deliberation")
        office_nominates_and_sends(page, world)
        shots.take(page, "office-nominates")
        meeting = office_opens_meeting(page, world)
        shots.take(page, "office-opens-meeting")

        # 10. One member votes in the browser, the others through the service.
        member_votes_in_browser(browser, live_server, world, cast.leaders[0])
        for member in cast.leaders[1:]:
            ballot_cast(
                meeting=meeting,
                by=member,
                choices={a.pk: VoteChoice.AWARD for a in world.applications},
            )
        office_closes_and_resolves(page, world, meeting)
        shots.take(page, "office-records-resolutions")

        # 11. The 公示公告 opens 公示 (第十四条第（六）项).
        office_publishes(page, cycle, "publicity", "现将拟获评名单予以公示。", "即进入公示")
        cycle.refresh_from_db()
        assert cycle.phase == CyclePhase.PUBLICITY
        if cycle.publicity_starts_on > timezone.localdate():  # published on a rest day
            Cycle.objects.filter(pk=cycle.pk).update(publicity_starts_on=timezone.localdate())
        shots.take(page, "office-publishes-publicity")
        sign_out(page)

    # 12. The public objects to the unit by its real name.
    code = public_objects(browser, live_server, world, unit)

    # 13. The office dismisses the objection; the window passes (the clock again); the
    #     approval is recorded and the 公布公告 published (第十四条第（七）项).
    context, page = sign_in(browser, live_server, cast.office.username)
    with shots.acting(context, page, "office-result"):
        office_dismisses(page, world, code)
        shots.take(page, "office-dismisses-objection")
        let_window_pass(cycle)
        office_records_approval(page, world)
        shots.take(page, "office-records-approval")
        office_publishes(page, cycle, "result", "经市政府审定，现予公布。", "即向社会公布")
        cycle.refresh_from_db()
        assert cycle.phase == CyclePhase.PUBLISHED
        shots.take(page, "office-publishes-result")
        sign_out(page)

    # 14. The public verifies the unit's certificate: 有效.
    honour = Honour.objects.select_related("cycle", "application__applicant").get(application=unit)
    public_verifies(browser, live_server, shots, honour.serial, "有效", "public-verifies-valid")

    # 15. A complaint about the unit (第二十一条): accepted, a case opened, 查证属实, the
    #     holder answers, the leading group votes (one member in the browser), 市政府
    #     decides and the honour is revoked (第二十三条, 第十九条).
    code = public_files(browser, live_server, honour)
    case_world = types.SimpleNamespace(unit_honour=honour, leaders=cast.leaders)
    context, page = sign_in(browser, live_server, cast.office.username)
    with shots.acting(context, page, "office-revocation"):
        case = office_opens_a_case(page, case_world, code)
        shots.take(page, "office-opens-case")
        due = office_finds_true(page, case)
        holder_answers(browser, live_server, case, due)
        office_sends_and_opens_vote(page, case_world, case)
        leader_votes_on_case(browser, live_server, case, cast.leaders[0])
        for member in cast.leaders[1:]:
            case_ballot_cast(case=case, by=member, choice=CaseBallotChoice.AGREE)
        office_closes_vote_and_submits(page, case_world, case)
        office_records_decision(page, case)
        shots.take(page, "office-records-revocation")
        office_closes_complaint(page, code, case)
        sign_out(page)
    assert Honour.objects.get(pk=honour.pk).status == HonourStatus.REVOKED
    public_sees_revocation(browser, live_server, honour, code)

    # 16. The same 证书查验 now says 已撤销.
    public_verifies(browser, live_server, shots, honour.serial, "已撤销", "public-verifies-revoked")

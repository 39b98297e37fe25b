"""The demo agency's experts and the expert review of 第一届, built through the services.

award.demo walks each demo cycle through its phases and calls `seed_review` at each one:
while a cycle takes applications, the agency is engaged, keeps its pool and writes the
review plan; in 专家评审 the groups are formed and 第一届's accepted applications are
reviewed in every stage, with one automatic and one declared conflict, one 舆情调查 and
one 资格审查 failed, and an expert disqualified midway (第二十二条) and replaced.
"""

import datetime
import hashlib
import statistics
from dataclasses import dataclass

from django.utils import timezone

from applications.demo import demo_uscc
from applications.enums import ApplicationState
from applications.models import Application
from award.enums import CyclePhase, Role
from award.models import Agency, County, Cycle, User
from award.services.cycles import cycle_engage_agency
from review.enums import Stage
from review.models import (
    Assignment,
    ConflictDeclaration,
    Expert,
    ReviewGroup,
    ReviewPlan,
    Speciality,
    StageCheck,
    StageSignOff,
    StageSubmission,
)
from review.selectors.pool import live_experts
from review.services import (
    assignment_create,
    conflict_declare,
    consensus_save,
    expert_create,
    expert_disqualify,
    group_create,
    group_member_add,
    review_complete,
    review_plan_save,
    review_start,
    score_save,
    site_visit_record,
    stage_check_record,
    stage_sign,
    stage_submit,
)
from review.services.plans import PLAN_PHASES
from review.services.scoring import leaf_criteria


@dataclass(frozen=True)
class DemoExpert:
    username: str
    name: str
    employer: str
    specialities: tuple[str, ...]
    employer_uscc: str = ""
    county_code: str = "371302"  # "": from outside Linyi


# expert1 is the printed demo login (award.demo.DEMO_LOGINS); every demo expert shares the
# demo password so a visitor can also sign in as the second group's leader (expert7).
DEMO_EXPERTS = (
    DemoExpert("expert1", "赵明远", "临沂大学质量与标准化研究院（演示）", ("质量管理", "装备制造")),
    DemoExpert("expert2", "钱立信", "山东省标准化研究院（演示）", ("质量管理",), county_code=""),
    DemoExpert("expert3", "孙慧敏", "临沂市质量技术协会（演示）", ("质量管理", "现代服务业")),
    # Employed by an applicant of 第一届: the automatic rule excludes him from it (回避).
    DemoExpert(
        "expert4",
        "李德胜",
        "临沂示例药业股份有限公司（演示）",
        ("化工医药",),
        employer_uscc=demo_uscc("371302", 32),
    ),
    DemoExpert(
        "expert5", "周文博", "临沂示例会计师事务所（演示）", ("财务会计",), county_code="371312"
    ),
    DemoExpert("expert6", "吴振华", "山东示例机械研究院（演示）", ("装备制造", "电子信息")),
    DemoExpert("expert7", "郑雅琴", "临沂职业学院（演示）", ("质量管理",)),
    DemoExpert("expert8", "王晓东", "临沂市质量发展研究中心（演示）", ("质量管理",)),
    DemoExpert("expert9", "冯建国", "山东示例建材研究院（演示）", ("建材建筑",), county_code=""),
    DemoExpert("expert10", "陈思远", "临沂大学商学院（演示）", ("现代服务业", "商贸物流")),
    DemoExpert("expert11", "褚红梅", "临沂示例检测认证有限公司（演示）", ("电子信息", "质量管理")),
    DemoExpert("expert12", "卫国强", "临沂示例工程咨询有限公司（演示）", ("食品农业",)),
    DemoExpert("expert13", "蒋书华", "临沂示例卓越绩效促进中心（演示）", ("质量管理",)),
)

# (group name, leader, members) of 第一届; expert13 stays in reserve for a replacement.
GROUPS = (
    ("第一评审组", "expert1", ("expert2", "expert3", "expert4", "expert5", "expert6")),
    ("第二评审组", "expert7", ("expert8", "expert9", "expert10", "expert11", "expert12")),
)


@dataclass(frozen=True)
class DemoReview:
    """How 第一届's review of one applicant went."""

    username: str
    group: str
    level: int  # the group's typical percentage for this applicant
    failed_stage: str = ""
    failed_reason: str = ""


FIRST_CYCLE_REVIEWS = (
    DemoReview("demo_steel", "第一评审组", 75),
    DemoReview("demo_pharma", "第一评审组", 70),
    DemoReview(
        "demo_chemical",
        "第一评审组",
        0,
        Stage.PUBLIC_OPINION,
        "经网络舆情检索和实地走访核实，该单位2024年3月发生危险化学品泄漏事故并受到应急管理部门"
        "行政处罚，属近3年内的安全事故，不符合第十条第（五）项。",
    ),
    DemoReview(
        "demo_electronics",
        "第二评审组",
        0,
        Stage.QUALIFICATION,
        "经核查，该单位申报材料中的质量管理体系认证证书已于2023年被认证机构暂停，申报时仍作为"
        "有效证书提交，不符合第十条第（二）项的要求。",
    ),
    DemoReview("demo_person_wang", "第二评审组", 80),
    DemoReview("demo_person_li", "第二评审组", 55),
)
# 第二届, when seed_demo --until plays it past 专家评审: one group reviews every accepted
# application (expert12 was disqualified in 第一届 and is not called again).
SECOND_CYCLE_REVIEWS = (
    DemoReview("demo_energy", "第一评审组", 75),
    DemoReview("demo_person_chen", "第一评审组", 80),
    DemoReview("demo_food", "第一评审组", 70),
    DemoReview("demo_person_li", "第一评审组", 65),
    DemoReview("demo_logistics", "第一评审组", 60),
    DemoReview("demo_electronics", "第一评审组", 65),
)
REVIEWS = {1: FIRST_CYCLE_REVIEWS, 2: SECOND_CYCLE_REVIEWS}
# While 第二届 still takes applications, the agency forms its first group and assigns one
# accepted application early, so its experts have their 回避 declarations waiting; the
# other accepted application waits for the agency.
EARLY_ASSIGNMENTS = {2: (("demo_energy", "第一评审组"),)}

# A declared conflict (第二十条): the expert steps aside before seeing the materials.
DECLARED_CONFLICTS = {
    ("expert6", "demo_steel"): "本人2022年曾受聘为该单位提供卓越绩效咨询服务，存在利害关系。",
}
MISCONDUCT = (
    "expert12",
    "评审期间私下接受申报人宴请，违反评审纪律（第二十二条），经第三方机构核实后取消其评审资格。",
)
REPLACEMENT = "expert13"

SCORED = (Stage.MATERIALS, Stage.SITE_VISIT, Stage.DEFENCE)
STAGE_SHIFT = {Stage.MATERIALS: 0, Stage.SITE_VISIT: 5, Stage.DEFENCE: -5}

STRENGTHS = {
    "4.1": "高层领导亲自推动质量战略，质量例会制度化并有效跟踪落实。",
    "4.2": "战略目标与质量目标逐级分解，配套资源计划清晰。",
    "4.3": "建立了顾客满意度测评和投诉快速响应机制。",
    "4.4": "研发投入稳定，人才培养和激励机制较完善。",
    "4.5": "关键过程识别充分，过程控制点和标准作业明确。",
    "4.6": "质量数据平台覆盖主要工序，QC小组活动开展普遍。",
    "4.7": "近3年主要质量指标和经营指标保持稳定增长。",
    "G": "事迹材料翔实，质量工作业绩有数据支撑。",
}
OPPORTUNITIES = {
    "4.1": "社会责任履行的绩效测量指标尚不系统。",
    "4.2": "战略实施的监测和调整机制有待加强。",
    "4.3": "对潜在顾客和竞争对手顾客的了解不够深入。",
    "4.4": "信息和知识资源的共享利用程度不高。",
    "4.5": "供应链过程的协同改进有待加强。",
    "4.6": "对比分析多局限于本单位历史数据，缺少行业标杆对比。",
    "4.7": "部分结果指标缺少与省内同行业先进水平的对比。",
    "G": "示范带动的范围可进一步扩大到行业层面。",
}


def _jitter(*parts) -> int:
    """A fixed pseudo-random step of -5, 0 or +5 for these parts (the demo is reproducible)."""
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).digest()
    return (digest[0] % 3 - 1) * 5


def _percentage(level: int, stage: str, expert: Expert, code: str, applicant: str) -> int:
    bias = _jitter("bias", expert.user.username, applicant)
    value = level + STAGE_SHIFT[stage] + bias + _jitter(stage, expert.user.username, code)
    return max(0, min(100, value))


def _agreed(percentages: list[int]) -> int:
    return int(5 * round(statistics.median(percentages) / 5))


def _theme(code: str) -> str:
    return code[:3] if code.startswith("4.") else "G"


# Pool, plan, groups ---------------------------------------------------------------------


def _manager(agency: Agency) -> User:
    return (
        User.objects.filter(agency=agency, groups__name=Role.AGENCY, is_active=True)
        .order_by("pk")
        .first()
    )


def seed_pool(agency: Agency, manager: User) -> dict[str, Expert]:
    """The agency's demo experts, through expert_create; their accounts use the demo password."""
    from award.demo import set_demo_password  # late: award.demo runs this floor's seeder

    specialities = {s.name: s for s in Speciality.objects.all()}
    experts = {}
    for spec in DEMO_EXPERTS:
        expert = Expert.objects.filter(user__username=spec.username).select_related("user").first()
        if expert is None:
            expert = expert_create(
                by=manager,
                name=spec.name,
                email=f"{spec.username}@demo.linyi.invalid",
                username=spec.username,
                employer=spec.employer,
                employer_uscc=spec.employer_uscc,
                specialities=[specialities[name] for name in spec.specialities],
                county=County.objects.filter(code=spec.county_code).first(),
                contact_phone=f"0539-86{len(experts):06d}",
            )
            set_demo_password(expert.user)
        experts[spec.username] = expert
    return experts


def _plan(cycle: Cycle, manager: User) -> None:
    if ReviewPlan.objects.filter(cycle=cycle).exists():
        return
    # 第一届 had no 复核 deadline; a cycle that has one starts its review then.
    starts_on = cycle.recheck_deadline or datetime.date(cycle.year + 1, 3, 2)
    review_plan_save(
        cycle=cycle,
        by=manager,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=74),
    )


def _group(cycle: Cycle, name: str, manager: User, experts: dict[str, Expert]) -> ReviewGroup:
    """The cycle's demo group of that name, formed as GROUPS says if it is not yet."""
    group = ReviewGroup.objects.filter(cycle=cycle, name=name).first()
    if group is None:
        _name, leader, members = next(g for g in GROUPS if g[0] == name)
        group = group_create(
            cycle=cycle,
            name=name,
            leader=experts[leader],
            members=[experts[m] for m in members],
            by=manager,
        )
    return group


def _groups(cycle: Cycle, manager: User, experts: dict[str, Expert]) -> dict[str, ReviewGroup]:
    return {name: _group(cycle, name, manager, experts) for name, _leader, _members in GROUPS}


# One application's review ---------------------------------------------------------------


def _declare(application: Application, assignment: Assignment, applicant: str) -> None:
    declared = set(
        ConflictDeclaration.objects.filter(assignment=assignment).values_list(
            "expert_id", flat=True
        )
    )
    for expert in live_experts(assignment):
        if expert.pk in declared:
            continue
        relationship = DECLARED_CONFLICTS.get((expert.user.username, applicant), "")
        conflict_declare(
            application=application,
            by=expert.user,
            has_conflict=bool(relationship),
            relationship=relationship,
        )


def _checks(application: Application, review: DemoReview, manager: User) -> None:
    evidence = {
        Stage.PUBLIC_OPINION: "检索主流媒体、政府网站和信用中国（山东临沂）近3年信息，"
        "未发现负面舆情。",
        Stage.QUALIFICATION: "核对营业执照、纳税证明、体系认证证书和县区推荐意见，均真实有效。",
    }
    for stage in (Stage.PUBLIC_OPINION, Stage.QUALIFICATION):
        if StageCheck.objects.filter(application=application, stage=stage).exists():
            continue
        failed = stage == review.failed_stage
        stage_check_record(
            application=application,
            stage=stage,
            passed=not failed,
            evidence=evidence[stage],
            reason=review.failed_reason if failed else "",
            by=manager,
        )
        if failed:
            return


def _score_stage(application: Application, stage: str, review: DemoReview) -> None:
    """Every live expert who has not yet submitted scores every item and submits."""
    assignment = Assignment.objects.active().get(application=application)
    plan = ReviewPlan.objects.get(cycle=application.cycle)
    items = list(leaf_criteria(application, plan).order_by("order"))
    submitted = set(
        StageSubmission.objects.filter(
            application=application, stage=stage, excluded=False
        ).values_list("expert_id", flat=True)
    )
    for expert in live_experts(assignment):
        if expert.pk in submitted:
            continue
        for item in items:
            theme = _theme(item.code)
            score_save(
                application=application,
                stage=stage,
                by=expert.user,
                criterion=item,
                percentage=_percentage(review.level, stage, expert, item.code, review.username),
                strengths=STRENGTHS[theme] if item.code.endswith("2") else "",
                opportunities=OPPORTUNITIES[theme] if item.code.endswith("3") else "",
            )
        stage_submit(application=application, stage=stage, by=expert.user)


def _agree_and_sign(application: Application, stage: str, review: DemoReview, manager) -> None:
    if StageSignOff.objects.filter(application=application, stage=stage).exists():
        return
    assignment = (
        Assignment.objects.active()
        .select_related("group__leader__user")
        .get(application=application)
    )
    leader = assignment.group.leader.user
    plan = ReviewPlan.objects.get(cycle=application.cycle)
    live = live_experts(assignment)
    for item in leaf_criteria(application, plan).order_by("order"):
        theme = _theme(item.code)
        votes = [_percentage(review.level, stage, e, item.code, review.username) for e in live]
        consensus_save(
            application=application,
            stage=stage,
            criterion=item,
            percentage=_agreed(votes),
            strengths=STRENGTHS[theme],
            opportunities=OPPORTUNITIES[theme],
            by=leader,
        )
    if stage == Stage.SITE_VISIT:
        site_visit_record(
            application=application,
            visited_on=timezone.localdate() - datetime.timedelta(days=3),
            issues_found="现场查看生产车间和质量检验室，抽查3个关键过程的作业记录，"
            "发现部分记录填写不完整；与一线员工座谈，质量理念知晓率较高。",
            by=manager,
        )
    stage_sign(application=application, stage=stage, by=leader)


def _replace_misconduct(cycle, manager, experts, groups) -> None:
    """第二十二条: the expert is disqualified midway and the agency brings in a replacement."""
    username, reason = MISCONDUCT
    culprit = experts[username]
    if not culprit.is_disqualified:
        expert_disqualify(expert=culprit, by=manager, reason=reason)
    group = next(g for g in groups.values() if g.memberships.filter(expert=culprit).exists())
    replacement = experts[REPLACEMENT]
    if not group.memberships.filter(expert=replacement).exists():
        group_member_add(group=group, expert=replacement, by=manager)


def seed_expert_review(cycle: Cycle, manager: User, experts: dict[str, Expert]) -> None:
    """The whole 专家评审 of the cycle's demo reviews, stage by stage as groups work."""
    from award.demo import is_resting  # late: award.demo runs this floor's seeder

    reviews = REVIEWS.get(cycle.number, ())
    if not reviews:
        return
    groups = {name: _group(cycle, name, manager, experts) for name in {r.group for r in reviews}}
    resting = is_resting(cycle)
    applications = {
        a.applicant.username: a
        for a in Application.objects.filter(cycle=cycle).select_related("applicant", "cycle")
    }
    under_review = []
    for review in reviews:
        application = applications[review.username]
        if application.state == ApplicationState.ACCEPTED:
            if not Assignment.objects.active().filter(application=application).exists():
                assignment_create(application=application, group=groups[review.group], by=manager)
            assignment = Assignment.objects.active().get(application=application)
            _declare(application, assignment, review.username)
            application = review_start(application=application, by=manager)
        if application.state != ApplicationState.IN_REVIEW:
            continue
        _checks(application, review, manager)
        application.refresh_from_db()
        if application.state == ApplicationState.IN_REVIEW:
            under_review.append((application, review))
    if resting:
        return  # the experts find their score sheets waiting
    for stage in SCORED:
        for application, review in under_review:
            _score_stage(application, stage, review)
        if stage == Stage.MATERIALS and cycle.number == 1:
            _replace_misconduct(cycle, manager, experts, groups)
            for application, review in under_review:
                assignment = Assignment.objects.active().get(application=application)
                _declare(application, assignment, review.username)
                _score_stage(application, stage, review)  # the replacement catches up
        for application, review in under_review:
            _agree_and_sign(application, stage, review, manager)
    for application, _review in under_review:
        review_complete(application=application, by=manager)


def seed_early_assignments(cycle: Cycle, manager: User, experts: dict[str, Expert]) -> None:
    for username, group_name in EARLY_ASSIGNMENTS.get(cycle.number, ()):
        application = (
            Application.objects.filter(
                cycle=cycle, applicant__username=username, state=ApplicationState.ACCEPTED
            )
            .exclude(pk__in=Assignment.objects.active().values("application_id"))
            .first()
        )
        if application is not None:
            group = _group(cycle, group_name, manager, experts)
            assignment_create(application=application, group=group, by=manager)


def seed_review(*, cycle: Cycle, office: User) -> None:
    """The review floor's share of the demo at the cycle's present phase (idempotent)."""
    agency = Agency.objects.order_by("pk").first()
    manager = _manager(agency) if agency is not None else None
    if manager is None:
        return
    experts = seed_pool(agency, manager)
    if cycle.phase in PLAN_PHASES:
        if cycle.agency_id is None:
            cycle = cycle_engage_agency(cycle=cycle, agency=agency, by=office)
        _plan(cycle, manager)
        seed_early_assignments(cycle, manager, experts)
    if cycle.phase == CyclePhase.EXPERT_REVIEW:
        seed_expert_review(cycle, manager, experts)

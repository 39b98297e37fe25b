"""What the periodic assessment part (第二十五条) plugs into the floors below: workbench items
for the office and the assigned agency, and its share of the demo."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from award import hooks as award_hooks
from award.enums import ApplicantKind, AwardCategory, Role
from award.models import Cycle
from award.workbench import TodoItem, workbench
from decisions.enums import HonourStatus
from decisions.selectors.honours import PUBLISHED_PHASES
from revocation.enums import AssessmentOutcome, RoundState
from revocation.models import AssessmentRecord, AssessmentRound
from revocation.models.cases import OPEN_CASE_STATES


@workbench.register(Role.OFFICE)
def office_items(user):
    waiting = AssessmentRecord.objects.filter(round__state=RoundState.OPEN, outcome="").count()
    if not waiting:
        return []
    return [
        TodoItem(
            title=_("认定定期评估结论"),
            url=reverse("revocation:assessment_rounds"),
            count=waiting,
            detail=_("定期评估记录尚未认定结论：合格、约谈或不符合条件（第二十五条）。"),
        )
    ]


@workbench.register(Role.AGENCY)
def agency_items(user):
    if not user.agency_id:
        return []
    waiting = (
        AssessmentRecord.objects.filter(
            round__agency_id=user.agency_id, round__state=RoundState.OPEN, outcome=""
        )
        .filter(Q(lawful="") | Q(leadership="") | Q(improvement=""))
        .count()
    )
    if not waiting:
        return []
    return [
        TodoItem(
            title=_("填写定期评估情况"),
            url=reverse("revocation:assessment_agency"),
            count=waiting,
            detail=_("受托协助定期评估：填写守法经营、示范引领、持续改进情况（第二十五条）。"),
        )
    ]


# Demo (DESIGN.md §10): a round on 第一届's winners, one 约谈 and the others 合格.

DEMO_ROUND = "第一届获评单位和个人定期评估（演示）"
DEMO_FINDINGS = {
    "lawful": "近三年未发现违法违规经营记录，未发生质量安全责任事故（演示数据）。",
    "leadership": "牵头开展行业质量标杆交流活动，示范带动作用明显（演示数据）。",
    "improvement": "持续推行卓越绩效管理模式，质量指标逐年改善（演示数据）。",
}
DEMO_INTERVIEW_FINDING = (
    "所在单位一批次产品在市级监督抽查中判定为不合格，整改情况未及时报告（演示数据）。"
)


def _travel(day: datetime.date):
    import time_machine  # only the demo travels in time

    moment = datetime.datetime(
        day.year, day.month, day.day, 10, tzinfo=timezone.get_current_timezone()
    )
    return time_machine.travel(moment, tick=True)


def first_published_cycle(cycle) -> Cycle | None:
    """第一届, once its own seeders are done: acted on when another cycle's seeders run."""
    first = Cycle.objects.filter(phase__in=PUBLISHED_PHASES).order_by("number").first()
    if first is None or first.pk == cycle.pk:
        return None
    return first


def seed_assessments(*, cycle, office) -> None:
    """Idempotent: on 第一届 (when a later cycle's seeders run, so 第一届's revocation demo
    is done), a round with a record per winner, assisted by 第一届's agency; one unit
    约谈 (a 市长质量奖 holder), every other record 合格; revoked honours or those under a
    case are left out, and no case is opened."""
    from revocation.services.assessments import record_decide, record_fill, round_plan

    first = first_published_cycle(cycle)
    if first is None or AssessmentRound.objects.filter(cycles=first).exists():
        return
    today = timezone.localdate()
    with _travel(today - datetime.timedelta(days=50)):
        round_ = round_plan(
            name=DEMO_ROUND,
            year=today.year,
            due_on=today + datetime.timedelta(days=30),
            cycles=[first],
            agency=first.agency,
            by=office,
        )
    records = list(round_.records.select_related("honour").order_by("honour__kind", "honour__pk"))
    # The 约谈 goes to a 市长质量奖 holder other than 特钢 (whose experience is published),
    # never to the 提名奖 the revocation demo deals with.
    candidates = [
        r
        for r in records
        if r.honour.category == AwardCategory.AWARD
        and r.honour.application.applicant.username != "demo_steel"
    ]
    candidates.sort(key=lambda r: r.honour.kind != ApplicantKind.UNIT)
    interviewed = candidates[0] if candidates else None
    with _travel(today - datetime.timedelta(days=20)):
        for record in records:
            honour = record.honour
            honour.refresh_from_db()
            if (
                honour.status != HonourStatus.ACTIVE
                or honour.revocation_cases.filter(state__in=OPEN_CASE_STATES).exists()
            ):
                continue
            findings = dict(DEMO_FINDINGS)
            outcome = AssessmentOutcome.PASSED
            if record == interviewed:
                findings["lawful"] = DEMO_INTERVIEW_FINDING
                outcome = AssessmentOutcome.INTERVIEW
            record_fill(record=record, by=office, proposed_outcome=outcome, **findings)
            extra = {}
            if outcome == AssessmentOutcome.INTERVIEW:
                extra = {
                    "interview_on": today - datetime.timedelta(days=20),
                    "interview_attendees": "质量强市办工作人员两名；获评者本人（演示）",
                    "interview_minutes": "通报抽查情况，获评者说明原因并承诺整改（演示）。",
                    "follow_up": "完善产品出厂检验和抽查结果报告制度，提交整改报告（演示数据）。",
                    "follow_up_due": today + datetime.timedelta(days=40),
                }
            record_decide(record=record, by=office, outcome=outcome, **extra)


award_hooks.register_demo_seeder(seed_assessments)

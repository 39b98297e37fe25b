"""What the cases part plugs into the floors below: the guard on the application's `revoke`,
the 第十三条 history note, links on the applicant's page, workbench items, the demo."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from applications import hooks as application_hooks
from award import hooks as award_hooks
from award.enums import CyclePhase, Role
from award.permissions import is_office
from award.workbench import TodoItem, workbench
from decisions import hooks as decisions_hooks
from decisions.enums import HonourStatus
from revocation.enums import CaseState
from revocation.models import RevocationCase
from revocation.selectors.cases import (
    holder_cases,
    leader_cases,
    office_waiting,
    revoked_history,
)


@application_hooks.register_transition_guard("revoke")
def revoke_guard(application) -> list[str]:
    """第二十三条、第二十四条: only a case the leading group has put to 市政府 may revoke."""
    if RevocationCase.objects.filter(
        honour__application_id=application.pk, state=CaseState.SUBMITTED
    ).exists():
        return []
    return [_("没有经领导小组审议并提请市政府撤销的案件，不能撤销（第二十三条、第二十四条）。")]


@application_hooks.register_history_notes
def revoked_before(application) -> list[str]:
    """第十三条: the same holder (account, or 统一社会信用代码/身份证号码 and kind) had a title
    revoked; shown to the county and the office, who judge."""
    from decisions.services.approval import chinese_date

    honours = revoked_history(
        applicant_id=application.applicant_id,
        identifier=application.identifier,
        kind=application.kind,
    ).exclude(application_id=application.pk)
    return [
        _("曾获评%(cycle)s市长质量奖，已于%(date)s撤销（%(article)s）")
        % {
            "cycle": honour.cycle,
            "date": chinese_date(honour.revoked_on),
            "article": honour.revoked_article,
        }
        for honour in honours
    ]


@application_hooks.register_application_links
def case_links(application, user) -> list[application_hooks.ApplicationLink]:
    """The holder's case page, once 查证属实 was put to them."""
    cases = holder_cases(user).filter(honour__application_id=application.pk)
    return [
        application_hooks.ApplicationLink(
            title=_("撤销事项告知（%(number)s）") % {"number": case.number},
            url=reverse("revocation:case_mine", kwargs={"pk": case.pk}),
        )
        for case in cases
    ]


@workbench.register(Role.OFFICE)
def office_items(user):
    counts = office_waiting()
    url = reverse("revocation:case_list")
    labels = (
        ("investigating", CaseState.INVESTIGATING, _("撤销案件待查证"), _("立案后请查证核实。")),
        (
            "awaiting",
            CaseState.AWAITING_ANSWER,
            _("撤销案件待陈述申辩"),
            _("获评者陈述申辩或期限届满后，提交领导小组审议。"),
        ),
        (
            "deliberation",
            CaseState.DELIBERATION,
            _("撤销案件待领导小组表决"),
            _("组织表决、结束表决并按票数办理。"),
        ),
        (
            "submitted",
            CaseState.SUBMITTED,
            _("撤销案件待记录市政府决定"),
            _("市政府作出撤销决定后记录文号、日期和文件。"),
        ),
    )
    return [
        TodoItem(title=title, url=f"{url}?state={state}", count=counts[key], detail=detail)
        for key, state, title, detail in labels
        if counts[key]
    ]


@workbench.register(Role.LEADER)
def leader_items(user):
    waiting = [case for case in leader_cases(user).filter(vote__state="open") if not case.voted]
    return [
        TodoItem(
            title=_("撤销案件%(number)s待表决") % {"number": case.number},
            url=reverse("revocation:case_ballot", kwargs={"pk": case.pk}),
            detail=_("%(holder)s：请表决同意撤销、不同意或弃权，投票后不能修改。")
            % {"holder": case.honour.holder_name},
            urgent=True,
        )
        for case in waiting
    ]


@workbench.register(Role.APPLICANT)
def holder_items(user):
    from decisions.services.approval import chinese_date

    cases = holder_cases(user).filter(state=CaseState.AWAITING_ANSWER, answered_at__isnull=True)
    return [
        TodoItem(
            title=_("撤销事项待陈述申辩"),
            url=reverse("revocation:case_mine", kwargs={"pk": case.pk}),
            detail=_("请于%(date)s前提交陈述申辩意见（案件%(number)s）。")
            % {"date": chinese_date(case.answer_due_on), "number": case.number},
            urgent=True,
        )
        for case in cases
    ]


@decisions_hooks.register_honour_links
def honour_case_links(honour, user) -> list[decisions_hooks.HonourLink]:
    """On an honour's page, for the office: its revocation cases, or opening one (第二十三条、
    第二十四条)."""
    if not is_office(user):
        return []
    cases = list(RevocationCase.objects.filter(honour=honour).order_by("opened_at"))
    links = [
        decisions_hooks.HonourLink(
            title=_("撤销案件 %(number)s") % {"number": case.number},
            url=reverse("revocation:case_detail", args=[case.pk]),
            detail=case.get_state_display(),
        )
        for case in cases
    ]
    if honour.status == HonourStatus.ACTIVE and not any(case.is_open for case in cases):
        links.append(
            decisions_hooks.HonourLink(
                title=_("立案调查撤销事项"),
                url=reverse("revocation:case_open", args=[honour.pk]),
                detail=_("发现第二十三条、第二十四条所列情形的，经查证属实，按程序提请撤销。"),
            )
        )
    return links


# Demo (DESIGN.md §10) ----------------------------------------------------------------------

DEMO_HOLDER = "药业"


def _demo_pdf(title: str, body: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from award.pdf import render_pdf

    data = render_pdf("pdf/revocation/demo_document.html", {"title": title, "body": body})
    return SimpleUploadedFile(f"{title}.pdf", data, content_type="application/pdf")


def seed_cases(*, cycle, office) -> None:
    """On a published cycle: a case against the 提名奖 honour of the demo 药业 unit run
    through every step to 已撤销 with its 撤销公告 (idempotent; resumes a case midway)."""
    from django.utils import timezone

    from award.enums import AwardCategory
    from decisions.enums import HonourStatus
    from decisions.models import Honour
    from decisions.selectors.meetings import active_leaders
    from revocation.enums import CaseBallotChoice
    from revocation.models import CaseVote
    from revocation.services import cases as services

    if cycle.phase != CyclePhase.PUBLISHED:
        return
    honour = (
        Honour.objects.filter(
            cycle=cycle,
            category=AwardCategory.NOMINATION,
            holder_name__contains=DEMO_HOLDER,
            status=HonourStatus.ACTIVE,
        )
        .select_related("cycle", "application__applicant")
        .first()
    )
    if honour is None or (honour.revocation_cases.exists() and not services.open_case_of(honour)):
        return
    # Each step on its own later day, as a real case takes weeks (the clock ticks on); the
    # last one never after the real today.
    import time_machine  # only the demo travels in time

    real_now = datetime.datetime.fromtimestamp(
        time_machine.escape_hatch.time.time(), tz=datetime.UTC
    )
    began = min(timezone.now(), real_now - datetime.timedelta(days=61))

    def later(days):
        return time_machine.travel(began + datetime.timedelta(days=days), tick=True)

    with later(14):
        case = services.open_case_of(honour) or services.case_open(
            honour=honour,
            grounds=[services.grounds_for(honour).get(item=3)],
            summary="市场监管部门通报：该单位同一产品连续3次经市级质量监督抽查判定为不合格（演示数据）。",
            by=office,
        )
    holder = honour.application.applicant
    if case.state == CaseState.INVESTIGATING:
        with later(28):
            case = services.case_find_true(
                case=case,
                by=office,
                findings="经调取市级质量监督抽查结果，该单位中成药制剂连续3批次抽检不合格，情况属实（演示数据）。",
                answer_due_on=services.earliest_answer_due(),
                files=[_demo_pdf("查证报告（演示）", "抽检结果汇总（演示数据）")],
            )
    if case.state == CaseState.AWAITING_ANSWER:
        if case.answered_at is None:
            with later(32):
                case = services.case_reply(
                    case=case,
                    by=holder,
                    answer="我单位已召回问题批次并全面整改，恳请从轻处理（演示数据）。",
                )
        with later(40):
            case = services.case_send(case=case, by=office)
    if case.state == CaseState.DELIBERATION:
        with later(45):
            leaders = list(active_leaders().order_by("username"))
            vote = CaseVote.objects.filter(case=case).first() or services.case_vote_open(
                case=case, by=office, held_on=timezone.localdate(), members_present=leaders
            )
            if vote.is_open:
                voted = set(vote.ballots.values_list("member_id", flat=True))
                for number, leader in enumerate(vote.members_present.order_by("username")):
                    if leader.pk not in voted:
                        choice = CaseBallotChoice.ABSTAIN if number == 0 else CaseBallotChoice.AGREE
                        services.case_ballot_cast(case=case, by=leader, choice=choice)
                services.case_vote_close(case=case, by=office)
            case = RevocationCase.objects.get(pk=case.pk)
            case = services.case_submit(case=case, by=office)
    if case.state == CaseState.SUBMITTED:
        with later(60):
            today = timezone.localdate()
            services.case_revoke(
                case=case,
                by=office,
                document_number=f"临政字〔{today.year}〕88号",
                decided_on=today,
                file=_demo_pdf("市政府撤销决定（演示）", "决定撤销其市长质量奖提名奖（演示数据）"),
            )


award_hooks.register_demo_seeder(seed_cases)

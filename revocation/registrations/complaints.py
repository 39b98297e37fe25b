"""What the complaints part plugs into the floors below: the office's workbench item and the
demo's complaints (第二十一条)."""

import uuid

from django.urls import reverse
from django.utils.translation import gettext as _

from applications.validators import id_number_check_char
from award import hooks as award_hooks
from award.enums import ApplicantKind, CyclePhase, Role
from award.workbench import TodoItem, workbench
from decisions.models import Honour
from review.models import Expert
from revocation.enums import CaseState, ComplainantKind, ComplaintState, ComplaintSubjectKind
from revocation.models import Complaint


@workbench.register(Role.OFFICE)
def office_items(user):
    items = []
    waiting = Complaint.objects.filter(handling=ComplaintState.RECEIVED).count()
    if waiting:
        items.append(
            TodoItem(
                title=_("受理举报投诉"),
                url=reverse("revocation:complaint_list") + "?state=received",
                count=waiting,
                detail=_("收到的举报投诉待决定是否受理（第二十一条）。"),
            )
        )
    decided = Complaint.objects.filter(
        handling=ComplaintState.INVESTIGATING,
        case__state__in=(CaseState.REVOKED, CaseState.CLOSED),
    ).count()
    if decided:
        items.append(
            TodoItem(
                title=_("撤销案件已办结，请答复举报投诉"),
                url=reverse("revocation:complaint_list") + "?state=investigating",
                count=decided,
                detail=_(
                    "由举报投诉立案的撤销案件已作出结论，请办结举报投诉并写明处理结果（第二十一条）。"
                ),
            )
        )
    return items


# Demo (DESIGN.md §10): on the published cycle, one complaint in each state. No revocation
# case is opened here (the cases part's seeder revokes an honour on its own).

_DEMO_NAMESPACE = uuid.UUID("6f7c2a1e-21a1-4c1b-9a21-000000000021")


def _id_number(first17: str) -> str:
    return first17 + id_number_check_char(first17)


def _demo_file(token: str, **fields) -> Complaint:
    from award.exceptions import SubmissionReplayed
    from revocation.services.complaints import complaint_file

    try:
        return complaint_file(submission_token=uuid.uuid5(_DEMO_NAMESPACE, token), **fields)
    except SubmissionReplayed as replayed:
        return replayed.first


def _demo_complaints(cycle, office) -> None:
    from revocation.services.complaints import (
        complaint_accept,
        complaint_close,
        complaint_link,
        complaint_note_add,
        complaint_reject,
    )

    honour = (
        Honour.objects.filter(cycle=cycle, kind=ApplicantKind.UNIT)
        .select_related("application")
        .order_by("pk")
        .first()
    )
    expert = Expert.objects.filter(agency_id=cycle.agency_id).order_by("pk").first()
    person = {"complainant_kind": ComplainantKind.PERSON}

    _demo_file(  # left 待受理 for the office to triage
        "received",
        subject=_("某申报单位（演示）"),
        subject_kind=ComplaintSubjectKind.APPLICANT,
        facts=_("反映该单位申报材料中的获奖证书存在伪造嫌疑，请予核实。（演示数据）"),
        name="周明亮",
        phone="13905391201",
        id_number=_id_number("37130219850312001"),
        **person,
    )

    investigating = _demo_file(
        "investigating",
        subject=honour.holder_name if honour else _("某获评单位（演示）"),
        subject_kind=ComplaintSubjectKind.WINNER,
        facts=_(
            "反映该获评单位获奖后发生产品质量抽检不合格，仍在宣传中使用市长质量奖称号。（演示数据）"
        ),
        name="钱晓红",
        phone="13905391202",
        id_number=_id_number("37132319900708002"),
        **person,
    )
    if investigating.handling == ComplaintState.RECEIVED:
        complaint_accept(complaint=investigating, by=office)
        if honour is not None:
            complaint_link(complaint=investigating, by=office, honour=honour)
        complaint_note_add(
            complaint=investigating,
            by=office,
            text=_("已调取市场监管部门近一年抽检记录，待核对批次。（演示数据）"),
        )

    closed = _demo_file(
        "closed",
        subject=_("第一评审组评审专家（演示）"),
        subject_kind=ComplaintSubjectKind.EXPERT,
        facts=_("反映评审现场有专家与申报单位人员单独接触。（演示数据）"),
        name="孙立新",
        phone="13905391203",
        id_number=_id_number("37130119780115003"),
        **person,
    )
    if closed.handling == ComplaintState.RECEIVED:
        complaint_accept(complaint=closed, by=office)
        if expert is not None:
            complaint_link(complaint=closed, by=office, expert=expert)
        complaint_close(
            complaint=closed,
            by=office,
            result=_(
                "经调阅现场记录并询问评审组成员，所反映的接触系会务签到，未发现违反评审规则"
                "的行为。感谢您对评审工作的监督。（演示数据）"
            ),
        )

    rejected = _demo_file(
        "rejected",
        subject=_("某企业（演示）"),
        subject_kind=ComplaintSubjectKind.OTHER,
        facts=_("反映某企业拖欠货款。（演示数据）"),
        name="李文静",
        phone="13905391204",
        id_number=_id_number("37132819920220004"),
        **person,
    )
    if rejected.handling == ComplaintState.RECEIVED:
        complaint_reject(
            complaint=rejected,
            by=office,
            reason=_(
                "所反映的问题属于经济纠纷，不属于评选活动中违反评审规则的问题，"
                "建议向有关部门反映。（演示数据）"
            ),
        )


def seed_complaints(*, cycle, office) -> None:
    """Phase-aware and idempotent: once the cycle is published, four complaints through the
    services — 待受理, 调查中 (linked to an honour, with a note), 已办结 (with a result),
    不予受理 (with a reason). Each has a fixed submission token, so a second run files none."""
    if cycle.phase == CyclePhase.PUBLISHED:
        _demo_complaints(cycle, office)


award_hooks.register_demo_seeder(seed_complaints)

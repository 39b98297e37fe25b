"""What the honours part of the decisions floor plugs into the registries of the floors below:
guards, listeners, workbench items, demo seeders."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from applications import hooks as application_hooks
from award import hooks as award_hooks
from award.enums import AwardCategory, CyclePhase, Role
from award.workbench import TodoItem, workbench
from decisions.enums import HonourStatus
from decisions.models import Honour
from decisions.selectors.honours import (
    PUBLISHED_PHASES,
    cycles_awaiting_approval,
    honours_awaiting_reward,
    honours_of_holder,
)
from decisions.services.approval import approval_guard
from decisions.services.certificates import may_download_certificate
from decisions.services.honours import award_guard, publish_winners

award_hooks.register_cycle_guard("publish")(approval_guard)
award_hooks.register_cycle_listener("publish")(publish_winners)
application_hooks.register_transition_guard("award")(award_guard)


@application_hooks.register_past_winner_check
def past_winner_check(application) -> list[str]:
    """第十三条: a holder of a 临沂市市长质量奖 not revoked, won in an earlier cycle, under the
    same account or the same 统一社会信用代码 / 身份证号码; a 提名奖 does not count."""
    same = (
        Q(application__applicant_id=application.applicant_id) if application.applicant_id else Q()
    )
    if application.identifier:
        same |= Q(
            application__identifier=application.identifier, application__kind=application.kind
        )
    if not same:
        return []
    honours = (
        Honour.objects.filter(same, category=AwardCategory.AWARD, status=HonourStatus.ACTIVE)
        .exclude(cycle_id=application.cycle_id)
        .select_related("cycle")
        .order_by("cycle__number")
    )
    return [str(honour.cycle) for honour in honours]


@workbench.register(Role.OFFICE)
def office_items(user):
    items = []
    for cycle in cycles_awaiting_approval().order_by("number"):
        items.append(
            TodoItem(
                title=_("记录市政府批准文件"),
                url=reverse("decisions:honours_cycle", kwargs={"cycle_pk": cycle.pk}),
                detail=_("%(cycle)s公示期已满，报市政府审定后记录批准文件（第十四条第（七）项）。")
                % {"cycle": cycle},
                urgent=True,
            )
        )
    waiting = honours_awaiting_reward().count()
    if waiting:
        items.append(
            TodoItem(
                title=_("记录获评奖励"),
                url=reverse("decisions:honours_index"),
                count=waiting,
                detail=_("已公布的市长质量奖获评者尚未记录奖励（第十五条）。"),
            )
        )
    return items


@workbench.register(Role.APPLICANT)
def applicant_items(user):
    items = []
    published = honours_of_holder(user).filter(
        cycle__phase__in=PUBLISHED_PHASES, status=HonourStatus.ACTIVE
    )
    for honour in published[:5]:
        items.append(
            TodoItem(
                title=_("获评结果已公布，证书可下载"),
                url=reverse("decisions:honour_detail", kwargs={"pk": honour.pk}),
                detail=_("%(cycle)s：%(category)s，证书编号%(serial)s。")
                % {
                    "cycle": honour.cycle,
                    "category": honour.get_category_display(),
                    "serial": honour.serial,
                },
            )
        )
    return items


@application_hooks.register_application_links
def certificate_links(application, user) -> list[application_hooks.ApplicationLink]:
    """After 公布: the honour's page and its certificate, on the applicant's page."""
    honour = (
        Honour.objects.filter(application=application, cycle__phase__in=PUBLISHED_PHASES)
        .select_related("application")
        .first()
    )
    if honour is None or not may_download_certificate(honour, user):
        return []
    links = [
        application_hooks.ApplicationLink(
            title=_("获评信息与奖励"),
            url=reverse("decisions:honour_detail", kwargs={"pk": honour.pk}),
        )
    ]
    if honour.status == HonourStatus.ACTIVE:
        links.append(
            application_hooks.ApplicationLink(
                title=_("下载证书"),
                url=reverse("decisions:honour_certificate", kwargs={"pk": honour.pk}),
            )
        )
    return links


# Demo (DESIGN.md §10): 市政府's approval once the 公示期 is over, then rewards and certificates.

DEMO_INDIVIDUAL_REWARD = "颁发荣誉证书，并给予质量管理专业培训及学术交流资助（演示数据）"


def _demo_approval(cycle, office) -> None:
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from award.pdf import render_pdf
    from decisions.services.approval import approval_blockers, approval_record

    if approval_blockers(cycle):
        return
    approved_on = max(
        timezone.localdate() - datetime.timedelta(days=2),
        cycle.publicity_ends_on + datetime.timedelta(days=1),
    )
    document_number = f"临政字〔{approved_on.year}〕{20 + cycle.number}号"
    pdf = render_pdf(
        "pdf/decisions/result_announcement.html",
        {
            "cycle": cycle,
            "heading": _("临沂市人民政府关于%(cycle)s获评名单的批复（演示）") % {"cycle": cycle},
            "groups": _proposed_by_category(cycle),
            "approval": None,
        },
    )
    approval_record(
        cycle=cycle,
        by=office,
        document_number=document_number,
        approved_on=approved_on,
        file=SimpleUploadedFile("批复（演示）.pdf", pdf, content_type="application/pdf"),
    )


def _proposed_by_category(cycle):
    from applications.enums import ApplicationState
    from applications.models import Application

    applications = list(
        Application.objects.filter(cycle=cycle, state=ApplicationState.IN_PUBLICITY)
        .select_related("county", "resolution")
        .order_by("pk")
    )
    from decisions.selectors.honours import KIND_SHORT

    def outcome(application):
        resolution = getattr(application, "resolution", None)
        return resolution.outcome if resolution else None

    return [
        (
            label,
            [
                {"name": a.name, "kind": KIND_SHORT[a.kind], "county": a.county.name}
                for a in applications
                if outcome(a) == value
            ],
        )
        for value, label in AwardCategory.choices
    ]


def _demo_rewards_and_certificates(cycle, office) -> None:
    from award.enums import ApplicantKind
    from decisions.models import Reward
    from decisions.services.certificates import certificate_store
    from decisions.services.rewards import reward_blockers, reward_record

    honours = list(
        Honour.objects.filter(cycle=cycle).select_related("cycle__rulebook").order_by("pk")
    )
    provincial_case_done = Reward.objects.filter(
        honour__cycle=cycle, provincial_amount_yuan__isnull=False
    ).exists()
    for honour in honours:
        if not Reward.objects.filter(honour=honour).exists() and not reward_blockers(honour):
            if honour.kind == ApplicantKind.UNIT:
                cap = honour.cycle.rulebook.max_unit_reward_yuan
                provincial = None
                if not provincial_case_done:
                    provincial = cap * 2 // 3  # also holds the 山东省省长质量奖: 就高不重复
                    provincial_case_done = True
                reward_record(
                    honour=honour,
                    by=office,
                    amount_yuan=cap,
                    provincial_amount_yuan=provincial,
                    note=_("奖金用于企业内部质量持续改进（第十七条）（演示数据）"),
                )
            else:
                reward_record(honour=honour, by=office, material_description=DEMO_INDIVIDUAL_REWARD)
        certificate_store(honour)


def seed_honours(*, cycle, office) -> None:
    """Phase-aware and idempotent: in 公示 after the window, record the approval with a
    generated PDF; once published, rewards for every 市长质量奖 honour (one unit with the
    就高不重复 case) and every certificate stored."""
    if cycle.phase == CyclePhase.PUBLICITY:
        _demo_approval(cycle, office)
    elif cycle.phase == CyclePhase.PUBLISHED:
        _demo_rewards_and_certificates(cycle, office)


award_hooks.register_demo_seeder(seed_honours)

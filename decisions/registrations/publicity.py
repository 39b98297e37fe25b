"""What the publicity part of the decisions floor plugs into the registries of the floors below:
guards, listeners, workbench items, demo seeders."""

from django.urls import reverse
from django.utils.translation import gettext as _

from applications.hooks import register_transition_guard
from award.enums import ApplicantKind, Role
from award.hooks import register_cycle_guard, register_cycle_listener, register_demo_seeder
from award.workbench import TodoItem, workbench
from decisions.enums import VoteChoice


@register_cycle_listener("begin_publicity")
def begin_publicity(cycle, *, by):
    """Publishing the 公示公告 puts every 拟获评 application of the cycle into 公示."""
    from decisions.services.publicity import publicity_begin

    publicity_begin(cycle, by=by)


@register_transition_guard("fail_publicity")
def fail_publicity_needs_upheld_objection(application):
    from decisions.selectors.publicity import upheld_objection_exists

    if upheld_objection_exists(application):
        return []
    return [_("没有经调查核实成立的公示异议，不能撤回拟获评资格（第十四条第（六）项）。")]


@register_cycle_guard("publish")
def no_open_objection(cycle):
    from decisions.selectors.publicity import open_objection_count

    count = open_objection_count(cycle)
    if count:
        return [_("尚有%(count)s件公示异议未办结（第十四条第（六）项）") % {"count": count}]
    return []


@workbench.register(Role.OFFICE)
def open_objections(user):
    """Objections waiting for the office's investigation; one query."""
    from decisions.selectors.publicity import open_objections_by_cycle

    for cycle in open_objections_by_cycle():
        yield TodoItem(
            _("第%(number)s届公示异议待办理") % {"number": cycle.number_label},
            reverse("decisions:publicity_objections", args=[cycle.pk]) + "?state=open",
            cycle.open_count,
            detail=_("调查核实后作出异议成立或不成立的处理，写明理由（第十四条第（六）项）。"),
            urgent=True,
        )


@register_demo_seeder
def seed_publicity(*, cycle, office):
    """During the 公示: two real-name objections from the public; the office dismisses one
    and upholds the other, keeping winners in both categories and kinds where it can."""
    seed_objections(cycle=cycle, office=office)


# The demo's objectors: fictional people (valid 身份证号码 checksums, made-up numbers).
DEMO_OBJECTORS = (
    {"name": "赵立群（演示）", "birth": "371302198506120", "phone": "13900000011"},
    {"name": "钱晓梅（演示）", "birth": "371311199003081", "phone": "13900000012"},
)
DEMO_UPHOLD_REASON = (
    "经调查核实，异议反映的行政处罚属实，申报时未如实说明，违反申报材料真实性要求"
    "（第十四条第（二）项），异议成立，撤回其拟获评资格（演示数据）。"
)
DEMO_DISMISS_REASON = (
    "经调查核实，异议所述质量投诉已于申报前依法处理完毕，且与申报材料无矛盾，"
    "异议不成立（演示数据）。"
)


def _demo_pick(applications):
    """(to uphold, to dismiss): the upheld one leaves winners in every category and applicant
    kind that has them where that is possible; the dismissed one is another name."""

    def kept(candidate):
        others = [a for a in applications if a.pk != candidate.pk]
        outcomes = {getattr(getattr(a, "resolution", None), "outcome", "") for a in others}
        # Then the smallest stake: a 提名奖 rather than the 市长质量奖, a person before a unit
        # (a unit's reward shows 就高不重复 in the demo).
        outcome = getattr(getattr(candidate, "resolution", None), "outcome", "")
        return (
            len(outcomes),
            len({a.kind for a in others}),
            outcome != VoteChoice.AWARD,
            candidate.kind != ApplicantKind.UNIT,
            -candidate.pk,
        )

    upheld = max(applications, key=kept)
    dismissed = next(a for a in applications if a.pk != upheld.pk)
    return upheld, dismissed


def seed_objections(*, cycle, office):
    from applications.enums import ApplicationState
    from applications.models import Application
    from applications.validators import id_number_check_char
    from award.enums import CyclePhase
    from decisions.enums import ObjectionState, ObjectorKind
    from decisions.models import Objection
    from decisions.services.objections import (
        objection_dismiss,
        objection_file,
        objection_uphold,
        objection_window_refusal,
    )

    if cycle.phase != CyclePhase.PUBLICITY:
        return
    names = [objector["name"] for objector in DEMO_OBJECTORS]
    filed = list(Objection.objects.filter(cycle=cycle, name__in=names).order_by("pk"))
    if not filed and not objection_window_refusal(cycle):
        applications = list(
            Application.objects.filter(cycle=cycle, state=ApplicationState.IN_PUBLICITY)
            .select_related("resolution")
            .order_by("pk")
        )
        if len(applications) < 2:
            return
        upheld, dismissed = _demo_pick(applications)
        for objector, target, reasons in (
            (
                DEMO_OBJECTORS[0],
                upheld,
                "本人反映：该拟获评对象去年曾受到市场监管部门行政处罚，"
                "申报材料中未如实说明，请予核查（演示数据）。",
            ),
            (
                DEMO_OBJECTORS[1],
                dismissed,
                "本人曾就该拟获评对象的服务质量投诉，认为其不宜获评，请予核查（演示数据）。",
            ),
        ):
            first17 = objector["birth"] + "12"
            filed.append(
                objection_file(
                    cycle=cycle,
                    application_id=target.pk,
                    objector_kind=ObjectorKind.PERSON,
                    name=objector["name"],
                    id_number=first17 + id_number_check_char(first17),
                    phone=objector["phone"],
                    reasons=reasons,
                )
            )
    from award.demo import is_resting  # late: award.demo runs this seeder

    if is_resting(cycle):
        return  # seed_demo --until publicity: the office finds both objections to handle
    for objection, decide, reason in zip(
        filed,
        (objection_uphold, objection_dismiss),
        (DEMO_UPHOLD_REASON, DEMO_DISMISS_REASON),
        strict=False,
    ):
        objection.refresh_from_db()
        if objection.state == ObjectionState.OPEN:
            decide(objection=objection, by=office, reason=reason)

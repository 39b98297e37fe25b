"""Rewards (第十五条, 第十七条): a unit winner's money reward up to the rulebook's cap, an
individual winner's material reward in words, and 就高不重复 against the 山东省省长质量奖."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from award.enums import ApplicantKind, AwardCategory, CyclePhase
from award.models import User
from award.permissions import is_office
from award.services.audit import audit_record
from award.services.notifications import notify
from award.text import refuse_bad_model_text
from decisions.enums import HonourStatus
from decisions.models import Honour, Reward

ARTICLE = "第十五条"
# Quoted from 《临沂市市长质量奖评定办法》 (临政发〔2024〕8号).
ARTICLE_15 = (
    "第十五条 市政府应当向社会公布获得市长质量奖的单位和个人名单,并向获得“临沂市市长质量奖”的"
    "单位给予不超过30万元奖励,向获得“临沂市市长质量奖”的个人给予一定物质奖励。对同时获得省长质量奖"
    "和市长质量奖的单位或者个人,按照就高不重复的原则进行奖励。"
)
ARTICLE_17 = (
    "第十七条 颁发给单位的市长质量奖奖金主要用于获评单位内部质量持续改进和与质量工作相关的"
    "社会公益活动,不得挪作他用。"
)
REWARD_PHASES = (CyclePhase.PUBLISHED, CyclePhase.ARCHIVED)


def yuan(amount: int) -> str:
    return f"{amount:,}"


def payable_yuan(amount_yuan: int, provincial_amount_yuan: int | None) -> int:
    """就高不重复: only the difference above the provincial reward is paid, never less than 0."""
    return max(0, amount_yuan - (provincial_amount_yuan or 0))


def reward_computation(reward: Reward) -> str:
    """The payable amount in words and figures, as the reward page shows it."""
    if reward.amount_yuan is None:
        return _("个人获评者给予物质奖励：%(what)s（第十五条）。") % {
            "what": reward.material_description
        }
    if reward.provincial_amount_yuan is None:
        return _("市长质量奖奖金%(amount)s元，实际发放%(payable)s元。") % {
            "amount": yuan(reward.amount_yuan),
            "payable": yuan(reward.payable_yuan),
        }
    if reward.payable_yuan == 0:
        return _(
            "市长质量奖奖金%(amount)s元，已获山东省省长质量奖奖金%(provincial)s元，"
            "省长质量奖奖金不低于市长质量奖奖金；按就高不重复的原则（第十五条），"
            "实际发放：max(0, %(amount)s − %(provincial)s) = 0元。"
        ) % {"amount": yuan(reward.amount_yuan), "provincial": yuan(reward.provincial_amount_yuan)}
    return _(
        "市长质量奖奖金%(amount)s元，已获山东省省长质量奖奖金%(provincial)s元；"
        "按就高不重复的原则（第十五条）补足差额，"
        "实际发放：%(amount)s − %(provincial)s = %(payable)s元。"
    ) % {
        "amount": yuan(reward.amount_yuan),
        "provincial": yuan(reward.provincial_amount_yuan),
        "payable": yuan(reward.payable_yuan),
    }


def reward_blockers(honour: Honour) -> list[str]:
    """Why no reward can be recorded for `honour`; empty when one can."""
    if honour.cycle.phase not in REWARD_PHASES:
        return [_("获评名单公布后才能记录奖励（第十五条）。")]
    if honour.category != AwardCategory.AWARD:
        return [_("第十五条规定的奖励只适用于获得“临沂市市长质量奖”的单位和个人，提名奖不在其列。")]
    if honour.status == HonourStatus.REVOKED:
        return [_("该荣誉已被撤销，不能记录奖励（第十九条）。")]
    return []


def _snapshot(reward: Reward | None) -> dict:
    if reward is None:
        return {}
    return {
        "amount_yuan": reward.amount_yuan,
        "material_description": reward.material_description,
        "provincial_amount_yuan": reward.provincial_amount_yuan,
        "payable_yuan": reward.payable_yuan,
        "note": reward.note,
    }


def _validate(honour, amount_yuan, material_description, provincial_amount_yuan) -> dict:
    errors = {}
    cap = honour.cycle.rulebook.max_unit_reward_yuan
    if honour.kind == ApplicantKind.UNIT:
        if amount_yuan is None:
            errors["amount_yuan"] = [_("请填写奖励金额（元）。")]
        elif amount_yuan < 0:
            errors["amount_yuan"] = [_("奖励金额不能为负数。")]
        elif amount_yuan > cap:
            errors["amount_yuan"] = [
                _("超过第十五条规定的单位奖励上限%(cap)s万元") % {"cap": f"{cap / 10000:g}"}
            ]
        if material_description:
            errors["material_description"] = [
                _("单位获评者的奖励以奖金计（第十五条），请填写金额，不填写物质奖励。")
            ]
        if provincial_amount_yuan is not None and provincial_amount_yuan < 0:
            errors["provincial_amount_yuan"] = [_("省长质量奖奖金不能为负数。")]
    else:
        if amount_yuan is not None:
            errors["amount_yuan"] = [
                _("个人获评者给予一定物质奖励（第十五条），请以文字说明，不填写金额。")
            ]
        if not material_description:
            errors["material_description"] = [_("请说明给予个人获评者的物质奖励（第十五条）。")]
        if provincial_amount_yuan is not None:
            errors["provincial_amount_yuan"] = [
                _(
                    "个人获评者的物质奖励以文字说明；同时获得省长质量奖的，请在备注中说明就高不重复的安排。"
                )
            ]
    return errors


def reward_record(
    *,
    honour: Honour,
    by: User,
    amount_yuan: int | None = None,
    material_description: str = "",
    provincial_amount_yuan: int | None = None,
    note: str = "",
) -> Reward:
    """Record (or correct) the reward of one honour. Office only; after 公布; only for the
    临沂市市长质量奖 itself (第十五条 names no reward for 提名奖); not for a revoked honour.

    A unit gets `amount_yuan` ≤ the rulebook's max_unit_reward_yuan (refused above with
    「超过第十五条规定的单位奖励上限30万元」); if it also holds the 山东省省长质量奖,
    `provincial_amount_yuan` is that reward and payable = max(0, amount − provincial)
    (就高不重复). An individual gets `material_description` in words and no amount.
    Audited before → after (`decisions.reward_record`); the holder is told after commit.
    """
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以记录获评奖励。"))
    typed = refuse_bad_model_text(
        Reward, {"material_description": material_description or "", "note": note or ""}
    )
    with transaction.atomic():
        locked = (
            Honour.objects.select_for_update(of=("self",))
            .select_related("cycle__rulebook", "application__applicant")
            .get(pk=honour.pk)
        )
        blockers = reward_blockers(locked)
        if blockers:
            raise ValidationError(blockers, code="not_now")
        errors = _validate(
            locked, amount_yuan, typed["material_description"], provincial_amount_yuan
        )
        if errors:
            raise ValidationError(errors)
        reward = Reward.objects.select_for_update().filter(honour=locked).first()
        before = _snapshot(reward)
        if reward is None:
            reward = Reward(honour=locked, recorded_by=by)
        reward.amount_yuan = amount_yuan
        reward.material_description = typed["material_description"]
        reward.provincial_amount_yuan = provincial_amount_yuan
        reward.payable_yuan = (
            payable_yuan(amount_yuan, provincial_amount_yuan) if amount_yuan is not None else None
        )
        reward.note = typed["note"]
        reward.recorded_by = by
        after = _snapshot(reward)
        if before == after:
            return reward
        reward.save()
        audit_record(
            actor=by,
            action="decisions.reward_record",
            obj=locked,
            before=before or None,
            after=after,
            article=ARTICLE,
        )
        notify(
            recipients=[locked.application.applicant],
            template="application_state_changed",
            context={
                "application": locked.application,
                "cycle": locked.cycle,
                "action": _("记录获评奖励"),
                "state": locked.application.get_state_display(),
                "opinion": reward_computation(reward),
            },
        )
    return reward

"""公示 (第十四条第（六）项): the proposed winners go into 公示 with the 公示公告, and the
office sets how objections are taken."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.models import Application
from applications.services.common import (
    check_transition,
    lock_application,
    take_transition,
    tell_state_change,
)
from award.enums import CyclePhase
from award.models import Cycle, User
from award.permissions import is_office
from award.services.audit import audit_record
from award.text import clean_model_value
from decisions.models import Publicity

ARTICLE = "第十四条第（六）项"
# The office sets up the 公示 while the leading group deliberates and while it runs.
SETTINGS_PHASES = (CyclePhase.DELIBERATION, CyclePhase.PUBLICITY)


def window_text(cycle: Cycle) -> str:
    """The 公示期 in words, e.g. 公示期：2026年9月29日至2026年10月10日（5个工作日）。"""
    return _("公示期：%(start)s至%(end)s（%(days)s个工作日）。") % {
        "start": f"{cycle.publicity_starts_on:%Y}年{cycle.publicity_starts_on.month}月"
        f"{cycle.publicity_starts_on.day}日",
        "end": f"{cycle.publicity_ends_on:%Y}年{cycle.publicity_ends_on.month}月"
        f"{cycle.publicity_ends_on.day}日",
        "days": cycle.rulebook.publicity_working_days,
    }


def publicity_begin(cycle: Cycle, *, by: User) -> list[Application]:
    """The cycle listener of begin_publicity (run inside the 公示公告's transaction).

    Moves every 拟获评 application of the cycle into 公示 (publicise, audited, with the
    window as the event's opinion), creates the cycle's Publicity settings if missing and
    tells each holder (站内信 now, email after commit). Returns the applications moved.
    """
    Publicity.objects.get_or_create(cycle=cycle)
    moved = []
    proposed = Application.objects.filter(cycle=cycle, state=ApplicationState.PROPOSED).order_by(
        "pk"
    )
    for application in proposed:
        locked = lock_application(application)
        transition = check_transition(locked, "publicise", by)
        opinion = window_text(locked.cycle)
        take_transition(locked, transition, by=by, opinion=opinion)
        tell_state_change(
            locked,
            recipients=[locked.applicant],
            action=_("进入公示"),
            opinion=opinion,
        )
        moved.append(locked)
    return moved


def _snapshot(publicity: Publicity) -> dict:
    return {
        "allows_anonymous_objections": publicity.allows_anonymous_objections,
        "contact": publicity.contact,
    }


def publicity_settings_update(
    *,
    cycle: Cycle,
    by: User,
    allows_anonymous_objections: bool,
    contact: str,
    confirm_anonymous: bool = False,
) -> Publicity:
    """Set the cycle's 公示 settings: whether anonymous objections are taken (default no, as
    公示 practice 「不受理匿名异议」; turning it on needs `confirm_anonymous`) and the contact
    line shown to the public. Office only; while the cycle deliberates or is in 公示; audited.
    """
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以设置公示。"))
    contact = clean_model_value(Publicity, "contact", contact or "")
    with transaction.atomic():
        locked_cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if locked_cycle.phase not in SETTINGS_PHASES:
            raise ValidationError(
                _("评选届次处于“%(phase)s”阶段，不能再修改公示设置（第十四条第（六）项）。")
                % {"phase": locked_cycle.get_phase_display()},
                code="phase",
            )
        publicity, _created = Publicity.objects.get_or_create(cycle=locked_cycle)
        publicity = Publicity.objects.select_for_update().get(pk=publicity.pk)
        turning_on = allows_anonymous_objections and not publicity.allows_anonymous_objections
        if turning_on and not confirm_anonymous:
            raise ValidationError(
                {
                    "confirm_anonymous": _(
                        "受理匿名异议不同于「不受理匿名异议」的公示惯例，请勾选确认后再保存。"
                    )
                },
                code="confirm",
            )
        before = _snapshot(publicity)
        publicity.allows_anonymous_objections = bool(allows_anonymous_objections)
        publicity.contact = contact
        after = _snapshot(publicity)
        changed = [name for name in before if before[name] != after[name]]
        if changed:
            publicity.updated_by = by
            publicity.save()
            audit_record(
                actor=by,
                action="decisions.publicity_settings",
                obj=publicity,
                before={name: before[name] for name in changed},
                after={name: after[name] for name in changed},
                article=ARTICLE,
            )
    return publicity

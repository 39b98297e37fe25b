"""The candidate list (候选名单, 第十四条第（五）项): minimum scores, nominating reviewed
applications with their final and stage scores frozen, and sending the list to the leading
group."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.models import Application
from applications.services.common import (
    check_transition,
    lock_application,
    take_transition,
    tell_state_change,
)
from award.enums import ApplicantKind, CyclePhase, Role
from award.models import Cycle, User
from award.permissions import is_office
from award.services.audit import audit_record
from award.services.batch import BatchResult, run_batch
from award.services.notifications import notify
from decisions.models import Candidate, CandidateList
from decisions.selectors.candidates import minimum_for, score_row

ARTICLE = "第十四条第（五）项"


def require_office(by) -> None:
    if not is_office(by):
        raise PermissionDenied(_("只有质量强市办可以进行此项操作。"))


def _lock_list(cycle) -> CandidateList:
    """The cycle's list, created on first use, locked for the rest of the transaction."""
    CandidateList.objects.get_or_create(cycle_id=cycle.pk)
    return (
        CandidateList.objects.select_for_update(of=("self",))
        .select_related("cycle__rulebook")
        .get(cycle_id=cycle.pk)
    )


def _require_deliberation(cycle) -> None:
    if cycle.phase != CyclePhase.DELIBERATION:
        raise ValidationError(
            _(
                "本届当前处于“%(phase)s”阶段，只有在拟获评阶段才能办理候选名单（第十四条第（五）项）。"
            )
            % {"phase": cycle.get_phase_display()},
            code="phase",
        )


def _require_not_sent(candidate_list: CandidateList) -> None:
    if candidate_list.sent_at is not None:
        raise ValidationError(
            _("候选名单已于%(at)s提交领导小组审议，不能再修改。")
            % {"at": timezone.localtime(candidate_list.sent_at).strftime("%Y-%m-%d %H:%M")},
            code="sent",
        )


def candidate_minimum_save(
    *, cycle: Cycle, by: User, min_score_unit: Decimal | None, min_score_individual: Decimal | None
) -> CandidateList:
    """Set (or clear, with None) the minimum final score per applicant kind for nomination.

    The office, in 拟获评, before the list is sent. Audit entry with before and after.
    """
    require_office(by)
    errors = {}
    for field, value in (
        ("min_score_unit", min_score_unit),
        ("min_score_individual", min_score_individual),
    ):
        if value is not None and value < 0:
            errors[field] = _("最低分不能为负数。")
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        Cycle.objects.select_for_update().get(pk=cycle.pk)
        candidate_list = _lock_list(cycle)
        _require_deliberation(candidate_list.cycle)
        _require_not_sent(candidate_list)
        before = {
            "min_score_unit": candidate_list.min_score_unit,
            "min_score_individual": candidate_list.min_score_individual,
        }
        candidate_list.min_score_unit = min_score_unit
        candidate_list.min_score_individual = min_score_individual
        candidate_list.save(update_fields=["min_score_unit", "min_score_individual", "updated_at"])
        audit_record(
            actor=by,
            action="decisions.candidate_minimum",
            obj=candidate_list,
            before=before,
            after={"min_score_unit": min_score_unit, "min_score_individual": min_score_individual},
            article=ARTICLE,
        )
    return candidate_list


def _below_minimum_message(application, final_score, minimum) -> str:
    kind = ApplicantKind(application.kind).label
    if final_score is None:
        return _(
            "“%(name)s”没有最终得分（无评分），本届%(kind)s列入候选名单的最低分为%(min).2f分，"
            "不能列入候选名单（第十四条第（五）项）。"
        ) % {"name": application.name, "kind": kind, "min": minimum}
    return _(
        "“%(name)s”最终得分%(score).2f分，低于本届%(kind)s列入候选名单的最低分%(min).2f分，"
        "不能列入候选名单（第十四条第（五）项）。"
    ) % {"name": application.name, "score": final_score, "kind": kind, "min": minimum}


def candidate_nominate(*, application: Application, by: User) -> Candidate:
    """列入候选名单 (评审完成 → 列入候选): the office, in 拟获评, before the list is sent.

    Freezes the final score and each stage score from the ranking (two decimals; none when
    the application was never scored). Refused below the kind's minimum score, when set.
    Event and audit entries; 站内信 to the applicant.
    """
    require_office(by)
    with transaction.atomic():
        locked = lock_application(application)
        candidate_list = _lock_list(locked.cycle)
        transition = check_transition(locked, "nominate", by)
        _require_not_sent(candidate_list)
        final_score, stage_scores = score_row(locked)
        minimum = minimum_for(candidate_list, locked.kind)
        if minimum is not None and (final_score is None or final_score < minimum):
            raise ValidationError(
                _below_minimum_message(locked, final_score, minimum), code="minimum"
            )
        candidate = Candidate.objects.create(
            candidate_list=candidate_list,
            application=locked,
            final_score=final_score,
            stage_scores=stage_scores,
            nominated_by=by,
        )
        take_transition(locked, transition, by=by)
        tell_state_change(locked, recipients=[locked.applicant], action=_("列入候选名单"))
    return candidate


def candidates_nominate(*, applications, by: User) -> list[BatchResult]:
    """列入候选名单 for many applications, each through `candidate_nominate` in its own
    transaction: one refused (its reason kept) does not stop the others."""
    require_office(by)

    def nominate(application):
        return candidate_nominate(application=application, by=by).application

    return run_batch(applications, nominate)


def candidate_list_send(*, cycle: Cycle, by: User) -> CandidateList:
    """提交领导小组审议: the office sends the cycle's list (at least one candidate) once; the
    list is frozen from then on. Audit entry; 站内信 to every active leading-group member."""
    require_office(by)
    with transaction.atomic():
        Cycle.objects.select_for_update().get(pk=cycle.pk)
        candidate_list = _lock_list(cycle)
        _require_deliberation(candidate_list.cycle)
        _require_not_sent(candidate_list)
        count = candidate_list.candidates.count()
        if not count:
            raise ValidationError(_("候选名单中还没有候选对象，不能提交审议。"), code="empty")
        waiting = Application.objects.filter(
            cycle_id=cycle.pk, state=ApplicationState.REVIEWED
        ).count()
        candidate_list.sent_at = timezone.now()
        candidate_list.sent_by = by
        candidate_list.save(update_fields=["sent_at", "sent_by", "updated_at"])
        audit_record(
            actor=by,
            action="decisions.candidate_list_send",
            obj=candidate_list,
            after={"candidates": count, "reviewed_not_nominated": waiting},
            article=ARTICLE,
        )
        notify(
            recipients=User.objects.filter(groups__name=Role.LEADER, is_active=True),
            template="decisions_task",
            context={
                "cycle": candidate_list.cycle,
                "task": _(
                    "%(cycle)s候选名单（%(count)s名候选对象）已提交质量强市工作领导小组审议，"
                    "请按会议安排出席审议并投票（第十四条第（五）项）。"
                )
                % {"cycle": candidate_list.cycle, "count": count},
            },
        )
    return candidate_list

"""第二十二条: an expert who abuses the role loses the qualification to review."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.services.common import lock_application, office_staff
from award.models import User
from award.services.audit import audit_record
from award.services.notifications import notify
from award.text import clean_model_value
from review.exceptions import ReviewRefused
from review.models import Assignment, Expert
from review.permissions import can_disqualify
from review.selectors.pool import ASSIGNABLE_STATES, plan_for
from review.selectors.scoring import unsigned_stages
from review.services.common import (
    agency_managers,
    exclude_unsigned_work,
    flag_if_short,
    revoke_review_perms,
)

ARTICLE = "第二十二条"


def expert_disqualify(*, expert: Expert, by: User, reason: str) -> Expert:
    """取消评审资格. The office, or a manager of the expert's agency; a reason is required.

    On every open assignment of the expert's groups: the expert's permissions are revoked,
    their scores and submissions of unsigned stages are flagged excluded (kept, not
    deleted) together with those stages' consensus, and the assignment is flagged as
    needing reassignment. Signed stages stand. Audited; the expert, the agency and the
    office are told (the office then asks the expert's employer to act, 第二十二条).
    """
    if not can_disqualify(expert, by):
        raise PermissionDenied(_("只有质量强市办或专家所属第三方机构可以取消专家评审资格。"))
    reason = clean_model_value(
        Expert, "disqualification_reason", reason, key="reason", label=_("取消评审资格的事实和理由")
    )
    if not reason:
        raise ValidationError({"reason": _("请填写取消评审资格的事实和理由。")}, code="required")
    with transaction.atomic():
        locked = Expert.objects.select_for_update().select_related("user").get(pk=expert.pk)
        if locked.is_disqualified:
            raise ReviewRefused(_("该专家已被取消评审资格。"), code="disqualified")
        locked.disqualified_at = timezone.now()
        locked.disqualified_by = by
        locked.disqualification_reason = reason
        locked.save(update_fields=["disqualified_at", "disqualified_by", "disqualification_reason"])
        audit_record(
            actor=by,
            action="review.expert_disqualify",
            obj=locked,
            after={"expert": locked.pk, "name": locked.name},
            reason=reason,
            article=ARTICLE,
        )
        assignments = list(
            Assignment.objects.active()
            .filter(group__memberships__expert=locked)
            .select_related("group", "application")
            .order_by("pk")
        )
        affected = []
        for assignment in assignments:
            application = lock_application(assignment.application)
            assignment.application = application
            revoke_review_perms(assignment, locked, by=by, reason=reason)
            exclude_unsigned_work(application, locked, reason=reason, by=by)
            plan = plan_for(application.cycle)
            open_stages = set(unsigned_stages(application)) & set(plan.required_scored_stages)
            if application.state in ASSIGNABLE_STATES and open_stages:
                flag_if_short(assignment, plan, by=by)
                note = _("专家%(name)s被取消评审资格（第二十二条），请核查并重新分配。") % {
                    "name": locked.name
                }
                if note not in assignment.needs_reassignment:
                    assignment.needs_reassignment = "".join(
                        part for part in (assignment.needs_reassignment, note) if part
                    )
                    assignment.save(update_fields=["needs_reassignment"])
                affected.append(application)
        notify(
            recipients=[locked.user],
            template="review_expert_disqualified",
            context={"expert": locked, "reason": reason},
        )
        notify(
            recipients=[*agency_managers(locked.agency_id), *office_staff()],
            template="review_task_cycle",
            context={
                "task": _(
                    "专家%(name)s已被取消评审资格（第二十二条），%(count)s件申报需重新分配：%(names)s"
                )
                % {
                    "name": locked.name,
                    "count": len(affected),
                    "names": "、".join(a.name for a in affected) or _("无"),
                },
            },
        )
    expert.refresh_from_db()
    return expert

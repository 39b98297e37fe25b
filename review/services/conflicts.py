"""回避: the expert declares, per assigned application, a relationship or none (第二十条)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Application
from applications.services.common import lock_application
from award.models import User
from award.services.audit import audit_record
from award.services.notifications import notify
from award.text import clean_model_value
from review.enums import SCORED_STAGES, ExclusionSource
from review.exceptions import ReviewRefused
from review.models import ConflictDeclaration, StageSignOff
from review.selectors.pool import plan_for
from review.services.common import (
    ARTICLE_CONDUCT,
    agency_managers,
    exclude_unsigned_work,
    flag_if_short,
    grant_view,
    record_exclusion,
    require_live_expert,
    revoke_review_perms,
)


def conflict_declare(
    *, application: Application, by: User, has_conflict: bool, relationship: str = ""
) -> ConflictDeclaration:
    """The expert's declaration on an assigned application, made once, before seeing it.

    None: the expert may now open the application (applications.view_application, audited).
    A conflict (the relationship described): the expert is excluded (recorded, source
    "declared"), loses the permissions, any unsigned work is flagged excluded, the agency
    is told, and the application is flagged for reassignment if the group falls short.
    A conflict may still be declared later, until every stage is signed.
    Not a live expert on the application: NotAssigned (404).
    """
    relationship = clean_model_value(
        ConflictDeclaration, "relationship", relationship, label=_("利害关系说明")
    )
    with transaction.atomic():
        locked = lock_application(application)
        assignment, expert = require_live_expert(locked, by)
        if has_conflict and not relationship:
            raise ValidationError(
                {"relationship": _("请说明与申报主体的利益关系（如任职、亲属、业务往来等）。")},
                code="required",
            )
        earlier = ConflictDeclaration.objects.filter(assignment=assignment, expert=expert).first()
        if earlier is not None and (not has_conflict or earlier.has_conflict):
            raise ReviewRefused(_("您已就这件申报作出声明。"), code="declared")
        if has_conflict and StageSignOff.objects.filter(application=locked).count() == len(
            SCORED_STAGES
        ):
            raise ReviewRefused(_("各评审环节均已签字确认，不能再声明回避。"), code="signed")
        if earlier is not None:  # a conflict found after declaring none
            earlier.has_conflict = True
            earlier.relationship = relationship
            earlier.save(update_fields=["has_conflict", "relationship"])
            declaration = earlier
        else:
            declaration = ConflictDeclaration.objects.create(
                assignment=assignment,
                expert=expert,
                has_conflict=has_conflict,
                relationship=relationship,
            )
        audit_record(
            actor=by,
            action="review.conflict_declare",
            obj=locked,
            after={"expert": expert.pk, "has_conflict": has_conflict},
            reason=relationship,
            article=ARTICLE_CONDUCT,
        )
        if not has_conflict:
            grant_view(assignment, expert, by=by)
            return declaration
        record_exclusion(
            application=locked,
            expert=expert,
            source=ExclusionSource.DECLARED,
            reason=relationship,
            by=by,
        )
        revoke_review_perms(assignment, expert, by=by, reason=relationship)
        exclude_unsigned_work(locked, expert, reason=relationship, by=by)
        shortfall = flag_if_short(assignment, plan_for(locked.cycle), by=by)
        notify(
            recipients=agency_managers(locked.cycle.agency_id),
            template="review_task",
            context={
                "application": locked,
                "cycle": locked.cycle,
                "task": _("专家%(name)s声明回避。%(shortfall)s")
                % {"name": expert.name, "shortfall": shortfall},
            },
        )
    return declaration

"""Review groups and assignments (第八条第（二）项): who reviews which application."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.models import Application
from applications.selectors import applicant_profile
from applications.services.common import lock_application
from award.enums import ApplicantKind
from award.models import Cycle, User
from award.permissions import is_agency_of
from award.services.audit import audit_record
from award.services.notifications import notify
from award.services.submissions import submission_claim, submission_made
from award.text import clean_model_value
from review.enums import ExclusionSource
from review.exceptions import ReviewRefused
from review.models import Assignment, Exclusion, Expert, GroupMembership, ReviewGroup
from review.selectors.pool import ASSIGNABLE_STATES, plan_for, shortfall
from review.services.common import (
    ARTICLE_REVIEW,
    automatic_conflict,
    exclude_unsigned_work,
    grant_review_perm,
    record_exclusion,
    revoke_review_perms,
)


def _require_agency(cycle, by) -> None:
    if not is_agency_of(cycle, by):
        raise PermissionDenied(_("只有承担本届评审的第三方机构可以组建评审组和分配申报。"))


def _check_pool(cycle, experts) -> None:
    """Experts of the cycle's agency, in the pool, in no other group of this cycle."""
    for expert in experts:
        if expert.agency_id != cycle.agency_id:
            raise ValidationError(
                {"members": _("%(name)s不是本机构专家库中的专家。") % {"name": expert.name}}
            )
        if not expert.is_active or expert.is_disqualified:
            raise ValidationError(
                {"members": _("%(name)s不在库或已被取消评审资格。") % {"name": expert.name}}
            )
    taken = (
        GroupMembership.objects.filter(group__cycle=cycle, expert__in=experts)
        .select_related("expert", "group")
        .first()
    )
    if taken is not None:
        raise ValidationError(
            {
                "members": _("%(name)s已在本届的“%(group)s”中。")
                % {"name": taken.expert.name, "group": taken.group.name}
            }
        )


def group_create(
    *, cycle: Cycle, name: str, leader: Expert, members, by: User, submission_token=None
) -> ReviewGroup:
    """Form a review group with its leader (组长负责制). The cycle's agency only.

    Members come from the agency's pool, each in one group per cycle; the leader is one of
    them. Audited. ValidationError keyed "name", "leader" or "members"; the form posted
    twice raises SubmissionReplayed with the first group.
    """
    _require_agency(cycle, by)
    members = list({expert.pk: expert for expert in [leader, *members]}.values())
    name = clean_model_value(ReviewGroup, "name", name)
    if not name:
        raise ValidationError({"name": _("请填写评审组名称。")})
    with transaction.atomic():
        claim = submission_claim(by=by, token=submission_token, action="review.group_create")
        Cycle.objects.select_for_update().get(pk=cycle.pk)
        if ReviewGroup.objects.filter(cycle=cycle, name=name).exists():
            raise ValidationError({"name": _("本届已有同名评审组。")})
        _check_pool(cycle, members)
        group = ReviewGroup.objects.create(cycle=cycle, name=name, leader=leader, created_by=by)
        GroupMembership.objects.bulk_create(
            GroupMembership(group=group, expert=expert) for expert in members
        )
        audit_record(
            actor=by,
            action="review.group_create",
            obj=group,
            after={"name": name, "leader": leader.pk, "members": sorted(e.pk for e in members)},
            article="第八条第（二）项",
        )
        submission_made(claim, group)
    return group


def group_member_add(*, group: ReviewGroup, expert: Expert, by: User) -> GroupMembership:
    """Add an expert to a group. On each application the group reviews, the automatic
    conflict rules run first; if clear, the expert gets the assignment's permission and
    the application's reassignment flag is lifted when the group is whole again."""
    _require_agency(group.cycle, by)
    with transaction.atomic():
        Cycle.objects.select_for_update().get(pk=group.cycle_id)
        _check_pool(group.cycle, [expert])
        membership = GroupMembership.objects.create(group=group, expert=expert)
        audit_record(
            actor=by,
            action="review.group_member_add",
            obj=group,
            after={"expert": expert.pk, "name": expert.name},
            article="第八条第（二）项",
        )
        plan = plan_for(group.cycle)
        for assignment in group.assignments.active().select_related("application__county"):
            application = assignment.application
            if Exclusion.objects.filter(application=application, expert=expert).exists():
                continue
            reason = automatic_conflict(expert, application, plan)
            if reason:
                record_exclusion(
                    application=application,
                    expert=expert,
                    source=ExclusionSource.AUTO,
                    reason=reason,
                    by=by,
                )
                continue
            grant_review_perm(assignment, expert, by=by)
            _clear_flag_if_whole(assignment, plan)
    return membership


def group_leader_set(*, group: ReviewGroup, expert: Expert, by: User) -> ReviewGroup:
    """Make another member the group's leader (e.g. after the leader was disqualified)."""
    _require_agency(group.cycle, by)
    with transaction.atomic():
        locked = ReviewGroup.objects.select_for_update().get(pk=group.pk)
        if not locked.memberships.filter(expert=expert).exists() or expert.is_disqualified:
            raise ValidationError({"leader": _("组长须是本组未被取消评审资格的成员。")})
        before = locked.leader_id
        locked.leader = expert
        locked.save(update_fields=["leader"])
        audit_record(
            actor=by,
            action="review.group_leader_set",
            obj=locked,
            before={"leader": before},
            after={"leader": expert.pk},
            article="第八条第（二）项",
        )
        plan = plan_for(locked.cycle)
        for assignment in locked.assignments.active().select_related("group"):
            _clear_flag_if_whole(assignment, plan)
    group.refresh_from_db()
    return group


def _clear_flag_if_whole(assignment: Assignment, plan) -> None:
    if assignment.needs_reassignment and not shortfall(assignment, plan):
        assignment.needs_reassignment = ""
        assignment.save(update_fields=["needs_reassignment"])


def _field_text(application, profile) -> str:
    """What the specialities are matched against: industry and products, or employer."""
    if profile is None:
        return application.name
    if application.kind == ApplicantKind.UNIT:
        return f"{profile.industry} {profile.main_products}"
    return f"{profile.employer} {profile.position}"


def _screen(application, group, members, plan, excluded_ids, profile):
    """(eligible experts, {expert: automatic-conflict reason}) of `group` for `application`."""
    eligible, conflicts = [], {}
    for expert in members:
        if expert.pk in excluded_ids or not expert.is_active or expert.is_disqualified:
            continue
        reason = automatic_conflict(expert, application, plan, profile=profile)
        if reason:
            conflicts[expert] = reason
        else:
            eligible.append(expert)
    return eligible, conflicts


def _assignment_problem(group, eligible, plan) -> str:
    if len(eligible) < plan.min_group_size:
        return _(
            "“%(group)s”回避后可参加评审的专家仅%(count)s人，少于评审工作计划要求的%(min)s人。"
        ) % {"group": group.name, "count": len(eligible), "min": plan.min_group_size}
    if group.leader_id not in {expert.pk for expert in eligible}:
        return _("“%(group)s”的组长须回避这件申报，请另选评审组或更换组长。") % {
            "group": group.name
        }
    return ""


def assignment_create(*, application: Application, group: ReviewGroup, by: User) -> Assignment:
    """Give an accepted (or, for a reassignment, in-review) application to a group.

    The cycle's agency only. Experts who must step aside by the automatic rules (same
    统一社会信用代码 or employer, same county where the plan says so) are excluded and the
    exclusion recorded; after exclusions the group must keep at least the plan's minimum
    and its leader. Each remaining member gets `review.score_assignment` on the assignment
    (audited) and a 站内信 asking them to declare conflicts before they see the materials.
    """
    with transaction.atomic():
        locked = lock_application(application)
        _require_agency(locked.cycle, by)
        if locked.state not in ASSIGNABLE_STATES:
            raise ReviewRefused(
                _("该申报当前状态为“%(state)s”，不能分配评审组。")
                % {"state": locked.get_state_display()},
                code="state",
            )
        if group.cycle_id != locked.cycle_id:
            raise ValidationError({"group": _("只能分配给本届的评审组。")})
        if Assignment.objects.active().filter(application=locked).exists():
            raise ReviewRefused(
                _("该申报已分配评审组；如需更换，请先撤销原分配。"), code="assigned"
            )
        plan = plan_for(locked.cycle)
        members = list(
            Expert.objects.filter(memberships__group=group).select_related("user", "agency")
        )
        excluded_ids = set(
            Exclusion.objects.filter(application=locked).values_list("expert_id", flat=True)
        )
        profile = applicant_profile(locked.applicant, locked.kind)
        eligible, conflicts = _screen(locked, group, members, plan, excluded_ids, profile)
        if problem := _assignment_problem(group, eligible, plan):
            raise ReviewRefused(problem, code="min_group_size")
        assignment = Assignment.objects.create(application=locked, group=group, assigned_by=by)
        for expert, reason in conflicts.items():
            record_exclusion(
                application=locked, expert=expert, source=ExclusionSource.AUTO, reason=reason, by=by
            )
        for expert in eligible:
            grant_review_perm(assignment, expert, by=by)
        audit_record(
            actor=by,
            action="review.assignment_create",
            obj=locked,
            after={
                "assignment": assignment.pk,
                "group": group.pk,
                "experts": [e.pk for e in eligible],
                "excluded": [e.pk for e in conflicts],
            },
            article=ARTICLE_REVIEW,
        )
        notify(
            recipients=[expert.user for expert in eligible],
            template="review_task",
            context={
                "application": locked,
                "cycle": locked.cycle,
                "task": _("已分配给您所在的评审组，请先声明有无利害关系（回避），再查看申报材料。"),
            },
        )
    return assignment


def assignment_remove(*, assignment: Assignment, by: User, reason: str) -> Assignment:
    """Take an application away from its group (to reassign it). A reason is required.

    Every member loses the permissions; their scores of stages not yet signed are flagged
    excluded (kept, not deleted), and so are those stages' consensus rows. Signed stages
    stay. Audited; the members are told.
    """
    reason = clean_model_value(Assignment, "removal_reason", reason, key="reason")
    with transaction.atomic():
        application = lock_application(assignment.application)
        _require_agency(application.cycle, by)
        if not reason:
            raise ValidationError({"reason": _("请填写撤销分配的原因。")}, code="required")
        locked = (
            Assignment.objects.select_for_update().select_related("group").get(pk=assignment.pk)
        )
        if not locked.is_active:
            raise ReviewRefused(_("该分配已撤销。"), code="removed")
        _end_assignment(locked, application, by=by, reason=reason)
    assignment.refresh_from_db()
    return assignment


def _end_assignment(locked: Assignment, application: Application, *, by: User, reason: str):
    """Revoke every member's permissions, flag their unsigned work, record and tell them."""
    members = list(Expert.objects.filter(memberships__group=locked.group_id).select_related("user"))
    for expert in members:
        revoke_review_perms(locked, expert, by=by, reason=reason)
        exclude_unsigned_work(application, expert, reason=reason, by=by)
    locked.removed_at = timezone.now()
    locked.removed_by = by
    locked.removal_reason = reason
    locked.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    audit_record(
        actor=by,
        action="review.assignment_remove",
        obj=application,
        before={"assignment": locked.pk, "group": locked.group_id},
        reason=reason,
        article=ARTICLE_REVIEW,
    )
    notify(
        recipients=[expert.user for expert in members if not expert.is_disqualified],
        template="review_task",
        context={
            "application": application,
            "cycle": application.cycle,
            "task": _("已撤销对您所在评审组的分配，无需继续评审。原因：%(reason)s")
            % {"reason": reason},
        },
    )


def assignments_end_on_withdrawal(application: Application, *, by: User, reason: str) -> None:
    """An applicant withdrew (inside its transaction): the group's access ends with it."""
    for locked in Assignment.objects.active().select_for_update().filter(application=application):
        _end_assignment(
            locked, application, by=by, reason=_("申报人撤回申报：%(reason)s") % {"reason": reason}
        )


@dataclass
class AutoAssignment:
    """What assignment_auto did: the new assignments, and why the others could not be."""

    assigned: list[Assignment] = field(default_factory=list)
    unassignable: list[tuple[Application, str]] = field(default_factory=list)


def assignment_auto(*, cycle: Cycle, by: User) -> AutoAssignment:
    """Assign every accepted application without a group, balancing the groups' load.

    For each application (oldest first) the candidate groups are those that keep at least
    the plan's minimum of experts and their leader after the automatic conflict rules and
    earlier exclusions. Among the candidates whose load is within one of the lightest, the
    group with most experts matching the applicant's field (specialities) wins, then the
    lighter one. Applications no group can take are reported with the reason. Each
    assignment goes through assignment_create (audited, permissions, 站内信).
    """
    _require_agency(cycle, by)
    plan = plan_for(cycle)
    result = AutoAssignment()
    with transaction.atomic():
        Cycle.objects.select_for_update().get(pk=cycle.pk)
        groups = list(
            ReviewGroup.objects.filter(cycle=cycle)
            .annotate(load=Count("assignments", filter=Q(assignments__removed_at__isnull=True)))
            .prefetch_related("members__specialities", "members__user")
            .order_by("name", "pk")
        )
        waiting = list(
            Application.objects.filter(cycle=cycle, state=ApplicationState.ACCEPTED)
            .exclude(pk__in=Assignment.objects.active().values("application_id"))
            .select_related("county", "applicant", "cycle")
            .order_by("submitted_at", "pk")
        )
        excluded = set(
            Exclusion.objects.filter(application__in=waiting).values_list(
                "application_id", "expert_id"
            )
        )
        if not groups:
            result.unassignable = [(a, _("本届尚未组建评审组。")) for a in waiting]
            return result
        load = {group.pk: group.load for group in groups}
        for application in waiting:
            profile = applicant_profile(application.applicant, application.kind)
            text = _field_text(application, profile)
            excluded_ids = {expert for app, expert in excluded if app == application.pk}
            candidates, problems = [], []
            for group in groups:
                members = list(group.members.all())
                eligible, _conflicts = _screen(
                    application, group, members, plan, excluded_ids, profile
                )
                if problem := _assignment_problem(group, eligible, plan):
                    problems.append(problem)
                    continue
                match = sum(
                    1
                    for expert in eligible
                    if any(
                        word in text
                        for speciality in expert.specialities.all()
                        for word in speciality.keyword_list
                    )
                )
                candidates.append((group, match))
            if not candidates:
                result.unassignable.append((application, "".join(problems)))
                continue
            lightest = min(load[group.pk] for group, _match in candidates)
            near = [(g, m) for g, m in candidates if load[g.pk] <= lightest + 1]
            group, _match = max(near, key=lambda c: (c[1], -load[c[0].pk], -c[0].pk))
            result.assigned.append(assignment_create(application=application, group=group, by=by))
            load[group.pk] += 1
    return result

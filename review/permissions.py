"""Who may do what in the review (DESIGN.md §5): role plus object, one predicate each.

Experts act through django-guardian object permissions on their assignment
(`review.score_assignment`); the agency through being engaged for the cycle (第八条).
"""

from award.enums import Role
from award.permissions import (
    holds_object_perm,
    is_active_user,
    is_agency_manager,
    is_agency_of,
    is_office,
    is_staff_reader,
)
from review.models.groups import SCORE_ASSIGNMENT


def expert_of(user):
    """The user's Expert if they act as one now (role held, in no disqualification)."""
    if not (is_active_user(user) and user.has_role(Role.EXPERT)):
        return None
    from review.models import Expert

    expert = Expert.objects.filter(user=user).select_related("agency").first()
    if expert is None or expert.is_disqualified:
        return None
    return expert


def holds_assignment(assignment, user) -> bool:
    """The guardian permission granted on assignment (revoked on conflict, removal or
    disqualification); an inactive assignment counts for nothing."""
    return (
        assignment is not None
        and assignment.is_active
        and is_active_user(user)
        and holds_object_perm(user, SCORE_ASSIGNMENT, assignment)
    )


def can_manage_plan(cycle, user) -> bool:
    """The agency writes the plan (第八条第（一）项); the office may set it too (第七条)."""
    return is_office(user) or is_agency_of(cycle, user)


def can_disqualify(expert, user) -> bool:
    """第二十二条: the agency over its own experts; the office over any."""
    return is_office(user) or is_agency_manager(expert.agency, user)


def can_read_review(cycle, user) -> bool:
    """Office, auditor and the cycle's agency read every score of the cycle."""
    return is_staff_reader(user) or is_agency_of(cycle, user)

"""Who may do what in the review (DESIGN.md §5): role plus object, one predicate each.

Experts act through django-guardian object permissions on their assignment
(`review.score_assignment`); the agency through being engaged for the cycle (第八条).
"""

from award.enums import Role
from review.models.groups import SCORE_ASSIGNMENT


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_office(user) -> bool:
    return _active(user) and user.has_role(Role.OFFICE)


def is_agency_of(cycle, user) -> bool:
    """The manager of the agency the office engaged for `cycle` (第七条第（二）项)."""
    return (
        _active(user)
        and user.has_role(Role.AGENCY)
        and user.agency_id is not None
        and user.agency_id == cycle.agency_id
    )


def is_agency_manager(agency, user) -> bool:
    """A manager of `agency`: keeps its expert pool (第八条第（二）项)."""
    return (
        _active(user)
        and user.has_role(Role.AGENCY)
        and agency is not None
        and user.agency_id == agency.pk
    )


def expert_of(user):
    """The user's Expert if they act as one now (role held, in no disqualification)."""
    if not (_active(user) and user.has_role(Role.EXPERT)):
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
        and _active(user)
        and user.has_perm(SCORE_ASSIGNMENT, assignment)
    )


def can_manage_plan(cycle, user) -> bool:
    """The agency writes the plan (第八条第（一）项); the office may set it too (第七条)."""
    return is_office(user) or is_agency_of(cycle, user)


def can_disqualify(expert, user) -> bool:
    """第二十二条: the agency over its own experts; the office over any."""
    return is_office(user) or is_agency_manager(expert.agency, user)


def can_read_review(cycle, user) -> bool:
    """Office, auditor and the cycle's agency read every score of the cycle."""
    return _active(user) and (user.has_role(Role.OFFICE, Role.AUDITOR) or is_agency_of(cycle, user))

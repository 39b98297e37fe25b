"""Who may do what to an application: role plus object (DESIGN.md §5).

The predicates take `(application, user)` so they serve directly as django-fsm-2 transition
permissions; views and services use the same functions, so pages never offer what the
server would refuse.
"""

from applications.enums import ApplicationState as S
from award.enums import Role
from award.permissions import holds_object_perm, is_active_user, is_agency_of
from award.permissions import is_office as is_office_user

VIEW_APPLICATION = "applications.view_application"
CHANGE_APPLICATION = "applications.change_application"
# The agency sees an application from 复核通过 on (DESIGN.md §5), never before nor a withdrawal.
BEFORE_AGENCY_STATES = frozenset(
    {S.DRAFT, S.SUBMITTED, S.RETURNED, S.RECOMMENDED, S.DECLINED, S.RECHECK_FAILED, S.WITHDRAWN}
)


def is_owner(application, user) -> bool:
    """The applicant who created the application."""
    return (
        is_active_user(user)
        and user.has_role(Role.APPLICANT)
        and application.applicant_id == user.pk
    )


def is_county_coordinator(application, user) -> bool:
    """A coordinator of the county the application was submitted to (初审, 第十四条第（三）项)."""
    return (
        is_active_user(user)
        and user.has_role(Role.COUNTY)
        and user.county_id is not None
        and user.county_id == application.county_id
    )


def is_office(application, user) -> bool:
    """Staff of 质量强市办 (复核, 第十四条第（三）项), as a transition permission."""
    return is_office_user(user)


def is_cycle_agency(application, user) -> bool:
    """The manager of the third-party agency engaged for the application's cycle (第八条)."""
    return is_agency_of(application.cycle, user)


def can_edit(application, user) -> bool:
    """The owner, while the application is a draft or returned (the guardian change perm)."""
    return is_owner(application, user) and holds_object_perm(user, CHANGE_APPLICATION, application)


def can_view(application, user) -> bool:
    """Owner; county coordinator of its county once submitted; office and auditor once
    submitted; the cycle's agency from 复核通过 on; anyone holding the guardian view
    permission (assigned experts once they declared no conflict)."""
    if not is_active_user(user):
        return False
    if application.applicant_id == user.pk:
        return True
    submitted_once = application.round >= 1
    if submitted_once and user.has_role(Role.OFFICE, Role.AUDITOR):
        return True
    if submitted_once and is_county_coordinator(application, user):
        return True
    if application.state not in BEFORE_AGENCY_STATES and is_cycle_agency(application, user):
        return True
    return holds_object_perm(user, VIEW_APPLICATION, application)


def sees_full_id_number(owner_id: int, user) -> bool:
    """Only the person themself (the account `owner_id`) and the office see an ID number
    unmasked (domain.md §4); everyone else sees it masked."""
    return is_active_user(user) and (owner_id == user.pk or user.has_role(Role.OFFICE))

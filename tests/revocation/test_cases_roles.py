"""Who may take each step of a revocation case, in which state (第二十三条、第二十四条): every
role and the anonymous visitor against every transition of the case and the application's
`revoke`. Only the office acts on a case; only the holder states their case."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from applications.models import Application
from award.enums import Role
from award.fsm import TransitionRefused, step_check, step_transition
from revocation.enums import CaseState
from revocation.models import RevocationCase
from revocation.services import cases as services
from tests.revocation import case_steps as steps
from tests.revocation.factories import RevocationWorld

pytestmark = pytest.mark.django_db

# transition → (the states it leaves from, who may take it)
TABLE = {
    "find_true": ({CaseState.INVESTIGATING}, "office"),
    "find_false": ({CaseState.INVESTIGATING}, "office"),
    "reply": ({CaseState.AWAITING_ANSWER}, "holder"),
    "send_to_group": ({CaseState.AWAITING_ANSWER}, "office"),
    "submit": ({CaseState.DELIBERATION}, "office"),
    "reject": ({CaseState.DELIBERATION}, "office"),
    "revoke": ({CaseState.SUBMITTED}, "office"),
    "close": (
        {CaseState.INVESTIGATING, CaseState.AWAITING_ANSWER, CaseState.DELIBERATION},
        "office",
    ),
}


def _users(world, user_of_role):
    users = {role.value: user_of_role(role) for role in Role}
    users["office"] = world.office
    users["holder"] = world.unit_honour.application.applicant
    users["anonymous"] = AnonymousUser()
    return users


def _in_state(case, state):
    RevocationCase.objects.filter(pk=case.pk).update(state=state)
    return RevocationCase.objects.select_related("honour__application").get(pk=case.pk)


def test_state_by_role_table(user_of_role):
    world = RevocationWorld()
    case = world.open_case()
    users = _users(world, user_of_role)
    for state in CaseState.values:
        current = _in_state(case, state)
        for name, (sources, allowed) in TABLE.items():
            for who, user in users.items():
                may = who == allowed or (allowed == "office" and who == Role.OFFICE)
                if not may:
                    with pytest.raises(PermissionDenied):
                        step_check(current, name, user)
                    continue
                if state in sources:
                    assert step_transition(current, name) is not None, (name, state)
                    try:  # conditions (deadline, vote, decision) may still hold it back
                        step_check(current, name, user)
                    except TransitionRefused as refused:
                        assert not any("当前状态为" in m for m in refused.messages)
                else:
                    with pytest.raises(TransitionRefused):
                        step_check(current, name, user)


def test_application_revoke_is_the_office_only(user_of_role):
    world = RevocationWorld()
    case = steps.run_to(world, world.open_case(), "submitted")
    application = Application.objects.get(pk=case.honour.application_id)
    users = _users(world, user_of_role)
    for who, user in users.items():
        if who in ("office", Role.OFFICE):
            assert step_check(application, "revoke", user)  # the case allows it now
        else:
            with pytest.raises(PermissionDenied):
                step_check(application, "revoke", user)


def test_services_refuse_every_other_role(user_of_role):
    """Each office service refuses the other roles (PermissionDenied) and changes nothing."""
    world = RevocationWorld()
    case = world.open_case()
    users = _users(world, user_of_role)
    calls = {
        "find_true": lambda u: services.case_find_true(
            case=case, by=u, findings="查实", answer_due_on=services.earliest_answer_due()
        ),
        "find_false": lambda u: services.case_find_false(case=case, by=u, reason="不属实"),
        "close": lambda u: services.case_close(case=case, by=u, reason="结案"),
        "vote_close": lambda u: services.case_vote_close(case=case, by=u),
        "revoke": lambda u: services.case_revoke(
            case=case, by=u, document_number="X", decided_on=None, file=None
        ),
    }
    for who, user in users.items():
        if who in ("office", Role.OFFICE):
            continue
        for call in calls.values():
            with pytest.raises(PermissionDenied):
                call(user)
    assert RevocationCase.objects.get(pk=case.pk).state == CaseState.INVESTIGATING


def test_only_members_present_vote(user_of_role):
    world = RevocationWorld()
    case = steps.run_to(world, world.open_case(), "deliberation")
    from django.utils import timezone

    services.case_vote_open(
        case=case, by=world.office, held_on=timezone.localdate(), members_present=world.leaders[:4]
    )
    with pytest.raises(PermissionDenied):
        services.case_ballot_cast(case=case, by=world.leaders[4], choice="agree")
    for role in (Role.OFFICE, Role.AUDITOR, Role.APPLICANT, Role.COUNTY):
        with pytest.raises(PermissionDenied):
            services.case_ballot_cast(case=case, by=user_of_role(role), choice="agree")

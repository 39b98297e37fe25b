"""复核 by the office, including batches where each application is its own audited step."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.enums import ApplicationState as S
from applications.models import Application
from applications.services import application_submit, applications_batch
from award.enums import CyclePhase, Role
from award.models import AuditEntry, Message
from tests.applications.factories import (
    World,
    advance_cycle,
    announced_cycle,
    complete_application,
    sign_declarations,
    unit_applicant,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _recommended(world, count):
    from applications.services import application_recommend

    applications = []
    for _ in range(count):
        owner = unit_applicant()
        application = application_submit(
            application=complete_application(owner, world.cycle), by=owner
        )
        applications.append(
            application_recommend(application=application, by=world.county_user, opinion="推荐")
        )
    return applications


def test_batch_accept_audits_each_application():
    world = World()
    applications = _recommended(world, 3)
    advance_cycle(world.cycle, CyclePhase.PRELIMINARY, office=world.office)
    results = applications_batch(applications=applications, by=world.office, action="accept")
    assert [(r.application.pk, r.ok, r.message) for r in results] == [
        (a.pk, True, "") for a in applications
    ]
    assert set(Application.objects.values_list("state", flat=True)) == {S.ACCEPTED}
    entries = AuditEntry.objects.filter(action="application.accept")
    assert sorted(int(e.object_id) for e in entries) == sorted(a.pk for a in applications)
    assert {e.actor for e in entries} == {world.office}
    for application in applications:
        assert application.events.filter(action="accept", actor=world.office).count() == 1
        assert Message.objects.filter(
            recipient=application.applicant, subject=f"申报“{application.name}”：复核通过"
        ).exists()


def test_batch_reports_refusals_and_carries_on():
    world = World()
    first, second = _recommended(world, 2)
    advance_cycle(world.cycle, CyclePhase.PRELIMINARY, office=world.office)
    owner = unit_applicant()
    submitted = application_submit(
        application=complete_application(owner, announced_cycle()), by=owner
    )
    results = applications_batch(
        applications=[first, submitted, second], by=world.office, action="reject", reason="不达标"
    )
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].message == "该申报当前状态为“已提报”，不能执行“复核不通过”。"
    first.refresh_from_db()
    submitted.refresh_from_db()
    assert (first.state, submitted.state) == (S.RECHECK_FAILED, S.SUBMITTED)
    assert AuditEntry.objects.filter(action="application.reject", reason="不达标").count() == 2


def test_batch_return_needs_a_reason():
    world = World()
    applications = _recommended(world, 1)
    with pytest.raises(ValidationError) as error:
        applications_batch(applications=applications, by=world.office, action="return")
    assert error.value.message_dict == {"reason": ["请填写原因。"]}


@pytest.mark.parametrize("role", [Role.COUNTY, Role.AUDITOR, Role.APPLICANT, Role.AGENCY])
def test_batch_is_for_the_office_only(role):
    world = World()
    applications = _recommended(world, 1)
    with pytest.raises(PermissionDenied):
        applications_batch(applications=applications, by=make_user(role), action="accept")
    assert Application.objects.get().state == S.RECOMMENDED


def test_batch_return_by_office_reopens_editing():
    world = World()
    (application,) = _recommended(world, 1)
    advance_cycle(world.cycle, CyclePhase.RECHECK, office=world.office)
    (result,) = applications_batch(
        applications=[application], by=world.office, action="return", reason="补充证明"
    )
    assert result.ok and result.application.state == S.RETURNED
    # Resubmitted during 复核, it goes back to the county first.
    again = application_submit(application=sign_declarations(application), by=application.applicant)
    assert (again.state, again.round) == (S.SUBMITTED, 2)

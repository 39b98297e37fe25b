"""Winners' obligations (第十八条): the office asks for experience sharing; the holder answers
or declines in writing; the office publishes; a refusal or a long delay lets the office open
a case on 第二十三条第（七）项 / 第二十四条第（七）项."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from award.enums import Role
from award.models import AuditEntry, Message
from award.workbench import workbench
from revocation.enums import SharingState
from revocation.services.obligations import (
    LONG_OVERDUE_DAYS,
    case_blockers,
    sharing_answer,
    sharing_case_open,
    sharing_decline,
    sharing_publish,
    sharing_request,
)
from tests.award.sample_files import minimal_pdf, upload
from tests.revocation.factories import RevocationWorld
from tests.revocation.sharing_helpers import days_later, holder_of, requested

pytestmark = pytest.mark.django_db


def test_the_holder_is_asked_and_told():
    world, request = requested()
    assert request.state == SharingState.REQUESTED
    assert Message.objects.filter(
        recipient=holder_of(world.unit_honour), subject__contains="经验分享"
    ).exists()
    assert AuditEntry.objects.get(action="revocation.sharing_request").article == "第十八条"


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.AGENCY, Role.APPLICANT, Role.LEADER])
def test_only_the_office_asks(user_of_role, role):
    world = RevocationWorld()
    with pytest.raises(PermissionDenied):
        sharing_request(honour=world.unit_honour, topic="x", due_on=None, by=user_of_role(role))


def test_only_the_holder_answers_and_the_office_publishes(user_of_role):
    world, request = requested()
    other_holder = holder_of(world.person_honour)
    for outsider in (other_holder, world.office, user_of_role(Role.AUDITOR)):
        with pytest.raises(PermissionDenied):
            sharing_answer(request=request, by=outsider, title="t", material="m")
    answered = sharing_answer(
        request=request,
        by=holder_of(world.unit_honour),
        title="以卓越绩效引领发展",
        material="一、战略引领。",
        files=[upload("经验.pdf", minimal_pdf())],
    )
    assert answered.state == SharingState.ANSWERED and answered.files.count() == 1
    with pytest.raises(PermissionDenied):
        sharing_publish(request=answered, by=holder_of(world.unit_honour))
    with pytest.raises(PermissionDenied):
        sharing_publish(request=answered, by=user_of_role(Role.AUDITOR))
    published = sharing_publish(request=answered, by=world.office)
    assert published.state == SharingState.PUBLISHED and published.published_at


def test_an_answer_after_the_due_date_is_taken_and_marked_late():
    world, request = requested(days=3)
    with days_later(10):
        sharing_answer(request=request, by=holder_of(world.unit_honour), title="t", material="m")
    assert AuditEntry.objects.get(action="revocation.sharing_answer").after["sharing_late"] is True


def test_a_written_refusal_lets_the_office_open_a_case_on_item_seven():
    """第二十三条第（七）项: 拒不履行本办法第六章规定的责任和义务."""
    world, request = requested()
    assert case_blockers(request)
    with pytest.raises(ValidationError):
        sharing_decline(request=request, by=holder_of(world.unit_honour), reason="")
    declined = sharing_decline(
        request=request, by=holder_of(world.unit_honour), reason="涉及商业机密。"
    )
    assert declined.state == SharingState.DECLINED
    assert case_blockers(declined) == []
    with pytest.raises(PermissionDenied):
        sharing_case_open(request=declined, by=holder_of(world.unit_honour), summary="x")
    linked = sharing_case_open(request=declined, by=world.office, summary="书面拒绝配合经验分享。")
    case = linked.case
    assert [g.citation for g in case.grounds.all()] == ["第二十三条第（七）项"]
    with pytest.raises(ValidationError):
        sharing_case_open(request=linked, by=world.office, summary="again")


def test_long_overdue_lets_the_office_open_a_case_for_an_individual_on_item_seven():
    world = RevocationWorld()
    _, request = requested(world, world.person_honour, days=3)
    with days_later(3 + LONG_OVERDUE_DAYS - 2):
        assert case_blockers(request)
    with days_later(3 + LONG_OVERDUE_DAYS + 2):
        linked = sharing_case_open(request=request, by=world.office, summary="逾期未提交。")
    assert [g.citation for g in linked.case.grounds.all()] == ["第二十四条第（七）项"]


def test_overdue_requests_show_on_both_workbenches():
    world, _request = requested(days=3)
    holder = holder_of(world.unit_honour)

    def titles(user):
        return [item.title for item in workbench.items_for(user)]

    assert "经验分享逾期未提交" not in titles(world.office)
    assert "提交经验分享材料" in titles(holder)
    with days_later(5):
        assert "经验分享逾期未提交" in titles(world.office)
        assert "经验分享已逾期，请尽快提交" in titles(holder)
        assert not any("经验分享" in t for t in titles(holder_of(world.person_honour)))

"""撤回 by the applicant: reason, finality, permissions, who is told."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.enums import ApplicationState as S
from applications.exceptions import ApplicationTransitionRefused
from applications.models import Application
from applications.permissions import CHANGE_APPLICATION, VIEW_APPLICATION
from applications.services import (
    application_create,
    application_delete_draft,
    application_withdraw,
)
from award.enums import CyclePhase
from award.models import AuditEntry, Message, User
from tests.applications.factories import World, advance_cycle, last_message_pk, unit_applicant

pytestmark = pytest.mark.django_db


def test_withdraw_records_the_reason_and_is_final():
    world = World()
    application = world.application_in(S.SUBMITTED)
    withdrawn = application_withdraw(application=application, by=world.owner, reason="企业重组")
    assert withdrawn.state == S.WITHDRAWN and withdrawn.is_final
    event = withdrawn.events.last()
    assert (event.action, event.opinion, event.round) == ("withdraw", "企业重组", 1)
    entry = AuditEntry.objects.get(action="application.withdraw")
    assert (entry.reason, entry.before, entry.after) == (
        "企业重组",
        {"state": "submitted", "round": 1},
        {"state": "withdrawn", "round": 1},
    )
    owner = User.objects.get(pk=world.owner.pk)
    assert owner.has_perm(VIEW_APPLICATION, withdrawn)
    assert not owner.has_perm(CHANGE_APPLICATION, withdrawn)
    with pytest.raises(ValidationError) as error:
        application_create(cycle=world.cycle, by=world.owner)
    assert error.value.messages == ["您在本届已有申报，请在原申报中继续填写。"]


def test_a_draft_cannot_be_withdrawn_it_is_deleted_and_the_applicant_may_start_again(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    world = World()
    application = world.application_in(S.DRAFT)
    stored = [d.file.name for d in application.documents.all()]
    assert stored and all((tmp_path / name).exists() for name in stored)
    with pytest.raises(ApplicationTransitionRefused):
        application_withdraw(application=application, by=world.owner, reason="材料准备不足")
    with pytest.raises(PermissionDenied):
        application_delete_draft(application=application, by=unit_applicant())
    before = last_message_pk()
    with django_capture_on_commit_callbacks(execute=True):
        application_delete_draft(application=application, by=world.owner)
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not any((tmp_path / name).exists() for name in stored)
    assert not Message.objects.filter(pk__gt=before).exists()
    entry = AuditEntry.objects.get(action="application.delete_draft")
    assert entry.object_id == str(application.pk) and entry.before["state"] == "draft"
    assert AuditEntry.objects.filter(action="permission.revoke").count() == 2
    again = application_create(cycle=world.cycle, by=world.owner)
    assert again.state == S.DRAFT


def test_a_submitted_application_is_not_deleted():
    world = World()
    application = world.application_in(S.SUBMITTED)
    with pytest.raises(ApplicationTransitionRefused) as refused:
        application_delete_draft(application=application, by=world.owner)
    assert "请撤回申报" in refused.value.messages[0]
    assert Application.objects.filter(pk=application.pk).exists()


def test_withdrawing_after_recheck_tells_county_and_office():
    world = World()
    application = world.application_in(S.ACCEPTED)
    assert world.cycle.phase == CyclePhase.PRELIMINARY
    before = last_message_pk()
    application_withdraw(application=application, by=world.owner, reason="主动退出")
    recipients = set(Message.objects.filter(pk__gt=before).values_list("recipient", flat=True))
    assert recipients == {world.owner.pk, world.county_user.pk, world.office.pk}


def test_final_states_cannot_be_withdrawn():
    world = World()
    application = world.application_in(S.DECLINED)
    advance_cycle(world.cycle, CyclePhase.PRELIMINARY, office=world.office)
    from applications.exceptions import ApplicationTransitionRefused

    with pytest.raises(ApplicationTransitionRefused):
        application_withdraw(application=application, by=world.owner, reason="撤回")

"""公布 (第十四条第（七）项): the approval, the 公布公告 and the honours it creates."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from applications.enums import ApplicationState
from applications.models import ApplicationEvent
from applications.services.common import check_transition, lock_application
from award.enums import AwardCategory, CyclePhase, NoticeKind, Role
from award.models import AuditEntry
from award.services.notices import notice_create, notice_publish
from decisions.enums import HonourStatus, VoteChoice
from decisions.models import Honour
from decisions.services.honours import SERIAL_PATTERN
from tests.decisions.honours_world import HonoursWorld, approval_exists, published_world
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NO_APPROVAL = "尚未记录市政府批准文件（第十四条第（七）项）"
WINDOW_OPEN = "公示期尚未结束，不能公布（第十四条第（六）（七）项）。"


def result_notice(world):
    return notice_create(
        by=world.office,
        kind=NoticeKind.RESULT,
        cycle=world.cycle,
        title="关于公布获评名单的公告",
        body="经市政府审定，现予公布。",
    )


def test_publishing_the_result_without_approval_is_refused():
    world = HonoursWorld()
    notice = result_notice(world)
    with pytest.raises(ValidationError) as refused:
        notice_publish(notice=notice, by=world.office)
    assert NO_APPROVAL in refused.value.messages
    world.cycle.refresh_from_db()
    assert world.cycle.phase == CyclePhase.PUBLICITY
    assert not Honour.objects.exists()
    assert all(a.state == ApplicationState.IN_PUBLICITY for a in world.applications)


def test_publishing_before_the_window_ends_is_refused_with_the_article():
    world = HonoursWorld(window_over=False)
    notice = result_notice(world)
    with pytest.raises(ValidationError) as refused:
        notice_publish(notice=notice, by=world.office)
    assert WINDOW_OPEN in refused.value.messages
    world.cycle.refresh_from_db()
    assert world.cycle.phase == CyclePhase.PUBLICITY


def test_publishing_awards_every_application_in_publicity_with_an_honour():
    world = published_world(
        units=2,
        individuals=1,
        outcomes=[VoteChoice.AWARD, VoteChoice.NOMINATION, VoteChoice.AWARD],
    )
    assert world.cycle.phase == CyclePhase.PUBLISHED
    assert all(a.state == ApplicationState.AWARDED for a in world.applications)
    honours = {h.application_id: h for h in Honour.objects.all()}
    assert len(honours) == 3
    first, second, person = world.applications
    assert honours[first.pk].category == AwardCategory.AWARD
    assert honours[second.pk].category == AwardCategory.NOMINATION
    assert honours[person.pk].kind == "individual"
    for application in world.applications:
        honour = honours[application.pk]
        assert honour.holder_name == application.name
        assert honour.county_id == application.county_id
        assert honour.status == HonourStatus.ACTIVE
        assert SERIAL_PATTERN.match(honour.serial)
        assert honour.serial.startswith(f"LY{world.cycle.year}")
        # the certificate was rendered after commit (Celery runs eagerly in tests)
        assert honour.certificate and len(honour.certificate_sha256) == 64
        assert ApplicationEvent.objects.filter(
            application=application, action="award", to_state=ApplicationState.AWARDED
        ).exists()
    assert honours[first.pk].serial[6:8] == "AU"
    assert honours[second.pk].serial[6:8] == "NU"
    assert honours[person.pk].serial[6:8] == "AP"
    assert AuditEntry.objects.filter(action="application.award").count() == 3
    assert AuditEntry.objects.filter(action="decisions.honour_create").count() == 3


def test_serials_are_not_in_sequence():
    world = published_world(units=3, individuals=0)
    serials = sorted(Honour.objects.values_list("serial", flat=True))
    checks = {serial.split("-")[1] for serial in serials}
    assert len(checks) == 3
    assert [s.split("-")[0] for s in serials] == [
        f"LY{world.cycle.year}AU01",
        f"LY{world.cycle.year}AU02",
        f"LY{world.cycle.year}AU03",
    ]


@pytest.mark.parametrize("role", [*Role, None], ids=[*(r.value for r in Role), "anonymous"])
def test_award_is_only_taken_by_the_office_once_published(role):
    """State × role for `award`: never by anyone but the office, and for the office only
    in 公布 — i.e. through the 公布公告's listener."""
    world = HonoursWorld(units=1, individuals=0)
    application = lock_application(world.applications[0])
    actor = AnonymousUser() if role is None else make_user(role)
    if role == Role.OFFICE:
        with pytest.raises(ValidationError):  # 公示, not 公布: refused in this phase
            check_transition(application, "award", actor)
    else:
        with pytest.raises(PermissionDenied):
            check_transition(application, "award", actor)
    world.record_approval()
    world.publish()
    assert world.applications[0].state == ApplicationState.AWARDED
    assert approval_exists(world.cycle)

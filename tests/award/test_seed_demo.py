"""seed_demo builds the demo world once, prints one login per role, and can run again."""

from io import StringIO

import pytest
from django.core.management import call_command

from award.demo import DEMO_PASSWORD
from award.enums import CyclePhase, NoticeStatus, Role
from award.models import AuditEntry, Cycle, Notice, User
from award.services.audit import audit_verify_chain

pytestmark = pytest.mark.django_db


def run_seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_one_working_login_per_role_is_printed():
    output = run_seed()
    for role in Role:
        user = User.objects.filter(groups__name=role).first()
        assert user is not None, role
        assert user.username in output
        assert user.check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in output


def test_cycles_are_built_through_the_services_and_audited():
    run_seed()
    assert Cycle.objects.get(number=1).phase == CyclePhase.ARCHIVED
    current = Cycle.objects.get(number=2)
    assert current.phase == CyclePhase.ANNOUNCED
    assert current.accepts_applications
    assert Notice.objects.filter(cycle=current, status=NoticeStatus.PUBLISHED).count() == 1
    assert AuditEntry.objects.filter(action="cycle.archive").count() == 1
    checked, broken = audit_verify_chain()
    assert broken is None
    assert checked == AuditEntry.objects.count()


def test_running_twice_changes_nothing():
    run_seed()
    counts = (User.objects.count(), Cycle.objects.count(), Notice.objects.count())
    audits = AuditEntry.objects.count()
    run_seed()
    assert (User.objects.count(), Cycle.objects.count(), Notice.objects.count()) == counts
    assert AuditEntry.objects.count() == audits

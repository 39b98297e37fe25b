"""Every audit action the code writes, and every field it records, reads in Chinese on the
audit pages: labels live next to each floor's actions (award.audit_labels)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from applications.models import Application
from award import audit_labels
from award.enums import Role
from award.fsm import transitions_of
from award.models import AuditEntry, Cycle
from award.services.audit import audit_record
from tests.factories import CycleFactory, make_user

ACTION = re.compile(r'action="([a-z_]+\.[a-z_]+)"')
FLOORS = ("award", "applications", "review", "decisions", "revocation")


def written_actions() -> set[str]:
    """The literal actions in the portal's code, and one per transition of each FSM."""
    found = set()
    for floor in FLOORS:
        for path in (Path(settings.BASE_DIR) / floor).rglob("*.py"):
            if "migrations" not in path.parts:
                found.update(ACTION.findall(path.read_text(encoding="utf-8")))
    found.update(f"cycle.{t.name}" for t in transitions_of(Cycle))
    found.update(f"application.{t.name}" for t in transitions_of(Application))
    return found


def test_the_scan_finds_the_actions_it_should():
    actions = written_actions()
    assert {"notice.publish", "review.score_save", "application.submit", "cycle.close"} <= actions
    assert len(actions) > 60


def test_every_action_the_code_writes_has_a_chinese_label():
    missing = sorted(a for a in written_actions() if not audit_labels.is_labelled(a))
    assert missing == []
    for action in written_actions():
        label = audit_labels.action_label(action)
        assert re.search(r"[\u4e00-\u9fff]", label), action


@pytest.mark.django_db
def test_the_audit_pages_show_labels_and_values_in_words_never_codes(client):
    office = make_user(Role.OFFICE)
    cycle = CycleFactory()
    with transaction.atomic():
        entry = audit_record(
            actor=office,
            action="cycle.announce",
            obj=cycle,
            before={"phase": "draft"},
            after={"phase": "announced", "sha256": "ab" * 32, "passed": True},
        )
    client.force_login(office)
    for url in (reverse("award:audit_list"), reverse("award:audit_detail", args=[entry.pk])):
        page = re.sub(r'value="[^"]*"', "", client.get(url).content.decode())
        assert "发布申报通知" in page
        assert "cycle.announce" not in page
        assert "阶段" in page and "筹备" in page and "信息发布" in page
        assert "文件校验值（SHA-256）" in page and ">sha256<" not in page
        assert "是否通过" in page
        assert "manage.py" not in page


@pytest.mark.django_db
def test_the_filter_offers_labelled_actions_and_whole_kinds(client):
    office = make_user(Role.OFFICE)
    client.force_login(office)
    page = client.get(reverse("award:audit_list")).content.decode()
    assert '<option value="cycle.">全部评选届次操作</option>' in page
    assert '<option value="application.submit">提交申报</option>' in page
    assert AuditEntry.objects.count() == 0


def test_every_kind_of_action_is_named_in_chinese():
    """The filter's groups are named in words, never by a floor's code name."""
    for group, rows in audit_labels.action_filter_choices():
        assert not re.search(r"[A-Za-z]", group), group
        assert not re.search(r"[A-Za-z]", rows[0][1]), rows[0]


def test_a_recorded_state_reads_in_the_words_of_its_own_model():
    """`state` is labelled with the application's states; a revocation case's own states win
    for the case's entries (and an application's entries keep theirs)."""
    from applications.enums import ApplicationState
    from revocation.models import RevocationCase

    assert audit_labels.field_value("state", "awaiting_answer", RevocationCase) == "待获评者陈述"
    assert audit_labels.field_value("state", "revoked", RevocationCase) == "已撤销"
    assert audit_labels.field_value("state", "draft", Application) == ApplicationState.DRAFT.label
    assert audit_labels.field_value("state", "draft", None) == ApplicationState.DRAFT.label

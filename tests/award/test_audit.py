"""The audit trail: hash chain, append-only at two levels, tamper detection, and its page."""

import datetime
import itertools
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from award.enums import Role
from award.models import AuditChainHead, AuditEntry, Cycle
from award.models.audit import AppendOnlyError
from award.services.audit import GENESIS, audit_record, audit_verify_chain, entry_digest
from tests.factories import CycleFactory, NoticeFactory, make_user

TRIGGER = "award_auditentry_append_only"


def record(actor, obj, n=1, **kwargs):
    """Write `n` entries inside one transaction, as a service would."""
    with transaction.atomic():
        return [
            audit_record(
                actor=actor,
                action=kwargs.get("action", "cycle.announce"),
                obj=obj,
                before=kwargs.get("before", {"phase": "draft"}),
                after=kwargs.get("after", {"phase": "announced"}),
                reason=kwargs.get("reason", f"第{i + 1}次记录"),
                article=kwargs.get("article", "第十四条"),
            )
            for i in range(n)
        ]


def digest_of(entry: AuditEntry, **changes) -> str:
    fields = {
        "prev_hash": entry.prev_hash,
        "created_at": entry.created_at,
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "content_type_id": entry.content_type_id,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "before": entry.before,
        "after": entry.after,
        "reason": entry.reason,
        "article": entry.article,
    }
    return entry_digest(**{**fields, **changes})


def raw_sql_as_attacker(sql: str, params) -> None:
    """Someone with database rights switches the trigger off, edits, and switches it on."""
    with connection.cursor() as cursor:
        # The test's own inserts leave deferred FK checks pending, which ALTER TABLE refuses.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE award_auditentry DISABLE TRIGGER {TRIGGER}")
        cursor.execute(sql, params)
        cursor.execute(f"ALTER TABLE award_auditentry ENABLE TRIGGER {TRIGGER}")


@pytest.fixture
def office(db):
    return make_user(Role.OFFICE)


@pytest.fixture
def cycle(db):
    return CycleFactory()


# --- the chain -----------------------------------------------------------------------------


def test_entries_are_chained_by_hash(office, cycle):
    first, second, third = record(office, cycle, n=3)

    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert AuditChainHead.objects.get(pk=1).last_hash == third.hash
    for entry in AuditEntry.objects.filter(pk__in=[first.pk, second.pk, third.pk]):
        assert entry.hash == digest_of(entry)
    assert audit_verify_chain() == (3, None)


def test_entry_records_who_what_and_why(office, cycle):
    [entry] = record(office, cycle, reason="按计划发布申报通知")
    entry = AuditEntry.objects.get(pk=entry.pk)

    assert entry.actor == office
    assert entry.actor_label == office.username
    assert entry.action == "cycle.announce"
    assert entry.content_type.model_class() is Cycle
    assert entry.object_id == str(cycle.pk)
    assert entry.object_repr == str(cycle)
    assert entry.before == {"phase": "draft"}
    assert entry.after == {"phase": "announced"}
    assert entry.reason == "按计划发布申报通知"
    assert entry.article == "第十四条"


def test_hash_changes_with_any_part_of_the_content(office, cycle):
    [entry] = record(office, cycle)

    assert digest_of(entry, reason=entry.reason + "。") != entry.hash
    assert digest_of(entry, after={"phase": "closed"}) != entry.hash
    assert digest_of(entry, actor_label="someone-else") != entry.hash
    assert digest_of(entry, created_at=entry.created_at + datetime.timedelta(microseconds=1)) != (
        entry.hash
    )
    assert digest_of(entry, prev_hash="f" * 64) != entry.hash


def test_a_system_entry_without_actor_or_object_is_chained_too(office, cycle):
    with transaction.atomic():
        entry = audit_record(actor=None, action="system.sweep", reason="定时任务")

    assert entry.actor_label == "system"
    assert entry.content_type is None
    assert entry.object_id == ""
    assert audit_verify_chain() == (1, None)


# --- append-only ---------------------------------------------------------------------------


def test_the_model_refuses_to_update_or_delete_an_entry(office, cycle):
    [entry] = record(office, cycle)

    entry.reason = "改过的原因"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="改过的原因")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "第1次记录"


def test_the_database_trigger_refuses_raw_update_and_delete(office, cycle):
    assert connection.vendor == "postgresql"
    [entry] = record(office, cycle)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE award_auditentry SET reason = %s WHERE id = %s", ["改过的原因", entry.pk]
        )
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM award_auditentry WHERE id = %s", [entry.pk])

    assert AuditEntry.objects.get(pk=entry.pk).reason == "第1次记录"
    assert audit_verify_chain() == (1, None)


# --- verify_audit --------------------------------------------------------------------------


def test_verify_audit_reports_an_intact_chain(office, cycle):
    record(office, cycle, n=4)
    out = StringIO()

    call_command("verify_audit", stdout=out)

    assert "审计链完整：已校验4条记录。" in out.getvalue()


def test_verify_audit_detects_an_edited_entry(office, cycle):
    entries = record(office, cycle, n=4)
    tampered = entries[2]

    raw_sql_as_attacker(
        "UPDATE award_auditentry SET reason = %s WHERE id = %s", ["事后改写的原因", tampered.pk]
    )

    assert AuditEntry.objects.get(pk=tampered.pk).reason == "事后改写的原因"
    with pytest.raises(CommandError) as refused:
        call_command("verify_audit")
    assert str(refused.value) == (
        f"审计链断裂于记录 #{tampered.pk}：内容与其哈希值不符（记录内容被改动）。"
        "此前2条记录校验无误。"
    )


def test_verify_audit_detects_a_rehashed_entry(office, cycle):
    """Recomputing the edited entry's own hash does not help: the next link no longer fits."""
    entries = record(office, cycle, n=3)
    edited = AuditEntry.objects.get(pk=entries[1].pk)

    raw_sql_as_attacker(
        "UPDATE award_auditentry SET reason = %s, hash = %s WHERE id = %s",
        ["事后改写的原因", digest_of(edited, reason="事后改写的原因"), edited.pk],
    )

    with pytest.raises(CommandError, match=rf"记录 #{entries[2].pk}：前一条哈希与上一条记录不符"):
        call_command("verify_audit")


def test_verify_audit_detects_a_deleted_entry(office, cycle):
    entries = record(office, cycle, n=4)

    raw_sql_as_attacker("DELETE FROM award_auditentry WHERE id = %s", [entries[1].pk])

    with pytest.raises(CommandError) as refused:
        call_command("verify_audit")
    assert str(refused.value) == (
        f"审计链断裂于记录 #{entries[2].pk}：前一条哈希与上一条记录不符（其前的记录被删除、"
        "插入或改动）。此前1条记录校验无误。"
    )


def test_verify_audit_detects_the_newest_entry_deleted(office, cycle):
    entries = record(office, cycle, n=3)

    raw_sql_as_attacker("DELETE FROM award_auditentry WHERE id = %s", [entries[-1].pk])

    with pytest.raises(CommandError) as refused:
        call_command("verify_audit")
    assert str(refused.value) == (
        "审计链断裂于链的末尾：链头指向的最新记录缺失（最新的记录被删除）。此前2条记录校验无误。"
    )


# --- outside a transaction, and concurrent writers ----------------------------------------


@pytest.mark.django_db(transaction=True)
def test_audit_record_outside_a_transaction_is_refused():
    office = make_user(Role.OFFICE)

    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=office, action="cycle.announce", obj=office)

    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain():
    actors = [make_user(Role.OFFICE), make_user(Role.OFFICE)]
    start = threading.Barrier(len(actors))
    errors = []

    def write(actor):
        try:
            start.wait()
            for i in range(20):
                with transaction.atomic():
                    audit_record(actor=actor, action="test.concurrent", obj=actor, reason=str(i))
        except Exception as exc:  # surfaced in the main thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert AuditEntry.objects.count() == 40
    assert audit_verify_chain() == (40, None)
    for actor in actors:
        assert AuditEntry.objects.filter(actor=actor).count() == 20
    # The two writers really interleaved, and still form one line.
    labels = list(AuditEntry.objects.order_by("pk").values_list("actor_label", flat=True))
    assert sum(a != b for a, b in itertools.pairwise(labels)) >= 1


# --- the page ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OFFICE, Role.AUDITOR])
def test_office_and_auditor_read_the_trail(client, role, office, cycle):
    record(
        office,
        cycle,
        before={"phase": "draft"},
        after={"phase": "announced"},
        reason="按计划发布申报通知",
    )
    client.force_login(make_user(role))

    response = client.get(reverse("award:audit_list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "发布申报通知" in html
    assert str(cycle) in html
    assert (
        '<span class="fw-semibold">阶段</span>：<span class="text-secondary">筹备</span>'
        " → <span>信息发布</span>" in html
    )
    assert "按计划发布申报通知" in html
    assert "依据：第十四条" in html


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.COUNTY, Role.EXPERT, Role.LEADER])
def test_other_roles_get_404(client, role, office, cycle):
    [entry] = record(office, cycle)
    client.force_login(make_user(role))

    assert client.get(reverse("award:audit_list")).status_code == 404
    assert client.get(reverse("award:audit_detail", args=[entry.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("award:audit_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("award:login"))


def test_detail_shows_the_hashes(client, office, cycle):
    [entry] = record(office, cycle)
    client.force_login(make_user(Role.AUDITOR))

    response = client.get(reverse("award:audit_detail", args=[entry.pk]))

    assert response.status_code == 200
    assert entry.hash in response.content.decode()
    assert entry.prev_hash in response.content.decode()


def test_user_text_is_escaped(client, office, cycle):
    record(office, cycle, reason='<script>alert("x")</script>', after={"note": "<b>加粗</b>"})
    client.force_login(office)

    html = client.get(reverse("award:audit_list")).content.decode()

    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;加粗&lt;/b&gt;" in html
    assert "<script>alert" not in html


def _entry_ids(response) -> list[int]:
    return [entry.pk for entry in response.context["entries"]]


def test_filters(client, office, cycle):
    other_office = make_user(Role.OFFICE)
    notice = NoticeFactory(author=office)
    [announce] = record(office, cycle, action="cycle.announce")
    [close] = record(other_office, cycle, action="cycle.close")
    [publish] = record(office, notice, action="notice.publish")
    client.force_login(make_user(Role.AUDITOR))
    url = reverse("award:audit_list")
    today = timezone.localdate()

    assert _entry_ids(client.get(url)) == [publish.pk, close.pk, announce.pk]
    assert _entry_ids(client.get(url, {"action": "cycle."})) == [close.pk, announce.pk]
    assert _entry_ids(client.get(url, {"action": "notice.publish"})) == [publish.pk]
    assert _entry_ids(client.get(url, {"actor": other_office.username})) == [close.pk]
    assert _entry_ids(client.get(url, {"actor": office.username.upper()})) == [
        publish.pk,
        announce.pk,
    ]
    assert _entry_ids(client.get(url, {"object_type": publish.content_type_id})) == [publish.pk]
    assert _entry_ids(client.get(url, {"date_from": today, "date_to": today})) == [
        publish.pk,
        close.pk,
        announce.pk,
    ]
    tomorrow, yesterday = today + datetime.timedelta(days=1), today - datetime.timedelta(days=1)
    assert _entry_ids(client.get(url, {"date_from": tomorrow})) == []
    assert _entry_ids(client.get(url, {"date_to": yesterday})) == []
    assert _entry_ids(client.get(url, {"action": "cycle.", "actor": office.username})) == [
        announce.pk
    ]


def test_object_type_choices_are_the_kinds_in_the_trail(client, office, cycle):
    record(office, cycle)
    client.force_login(office)

    form = client.get(reverse("award:audit_list")).context["form"]

    choices = [label for value, label in form.fields["object_type"].choices if value]
    assert choices == [str(Cycle._meta.verbose_name)]


def test_a_reversed_date_range_is_explained(client, office, cycle):
    record(office, cycle)
    client.force_login(office)
    today = timezone.localdate()

    response = client.get(
        reverse("award:audit_list"),
        {"date_from": today, "date_to": today - datetime.timedelta(days=1), "action": "cycle."},
    )

    assert response.status_code == 200
    assert "截止日期不能早于起始日期。" in response.content.decode()
    # The valid part of the filter still applies and what was typed is kept.
    assert len(response.context["entries"]) == 1
    assert 'value="cycle."' in response.content.decode()


def test_list_is_paginated_by_50(client, office, cycle):
    record(office, cycle, n=55)
    client.force_login(office)

    first = client.get(reverse("award:audit_list"))
    second = client.get(reverse("award:audit_list"), {"page": 2, "action": "cycle."})

    assert len(first.context["entries"]) == 50
    assert len(second.context["entries"]) == 5
    assert "action=cycle." in second.content.decode()


def test_list_query_count_does_not_grow_with_entries(client, office, cycle):
    notice = NoticeFactory(author=office)
    auditor = make_user(Role.AUDITOR)
    client.force_login(auditor)
    url = reverse("award:audit_list")
    record(office, cycle, n=2)
    record(auditor, notice, n=1)

    with CaptureQueriesContext(connection) as three:
        assert len(client.get(url).context["entries"]) == 3
    record(office, cycle, n=13)
    record(auditor, notice, n=14)
    with CaptureQueriesContext(connection) as thirty:
        assert len(client.get(url).context["entries"]) == 30

    assert len(thirty) == len(three)

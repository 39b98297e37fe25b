"""Writing and verifying the hash-chained audit trail (DESIGN.md §9)."""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from award.compiled_queries import CompiledQuery
from award.models import AuditChainHead, AuditEntry

GENESIS = "0" * 64
# Every audited change takes the chain's head under a row lock: compiled once, not per change.
CHAIN_HEAD = CompiledQuery(
    lambda pk: AuditChainHead.objects.select_for_update().filter(pk=pk), "pk"
)


def _normalise(value):
    """Round-trip through JSON so what is hashed equals what the database gives back."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def entry_digest(
    *,
    prev_hash,
    created_at,
    actor_id,
    actor_label,
    action,
    content_type_id,
    object_id,
    object_repr,
    before,
    after,
    reason,
    article,
) -> str:
    payload = json.dumps(
        {
            "prev": prev_hash,
            "at": created_at.astimezone(datetime.UTC).isoformat(),
            "actor": actor_id,
            "actor_label": actor_label,
            "action": action,
            "ct": content_type_id,
            "oid": object_id,
            "repr": object_repr,
            "before": before,
            "after": after,
            "reason": reason,
            "article": article,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def audit_record(
    *, actor, action: str, obj=None, before=None, after=None, reason: str = "", article: str = ""
) -> AuditEntry:
    """Append one entry to the chain. Call inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change")
    head = next(iter(CHAIN_HEAD.run(pk=1)), None)
    if head is None:  # the first entry ever
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS}
        )
    fields = {
        "created_at": timezone.now(),
        "actor_id": actor.pk if actor is not None else None,
        "actor_label": actor.get_username() if actor is not None else "system",
        "action": action,
        "content_type_id": ContentType.objects.get_for_model(obj).pk if obj is not None else None,
        "object_id": str(obj.pk) if obj is not None else "",
        "object_repr": str(obj)[:200] if obj is not None else "",
        "before": _normalise(before),
        "after": _normalise(after),
        "reason": reason,
        "article": article,
    }
    digest = entry_digest(prev_hash=head.last_hash, **fields)
    entry = AuditEntry.objects.create(prev_hash=head.last_hash, hash=digest, **fields)
    AuditChainHead.objects.filter(pk=1).update(last_hash=digest)
    return entry


def download_record(*, by, obj, action: str, what: dict) -> None:
    """Record that `by` downloaded or exported a confidential file about `obj` (DESIGN.md §9):
    one audit entry `action` with `what` (which file, its SHA-256, filters, format…), in its
    own transaction so it is written even when the caller is outside one."""
    with transaction.atomic():
        audit_record(actor=by, action=action, obj=obj, after=what)


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    problem: str


def audit_verify_chain(*, limit: int | None = None) -> tuple[int, ChainBreak | None]:
    """Walk the chain oldest first; return how many entries held and the first break, if any.
    With `limit`, stop after that many entries (the newest are then left unchecked)."""
    prev = GENESIS
    checked = 0
    for entry in AuditEntry.objects.order_by("pk").iterator(chunk_size=2000):
        if limit is not None and checked >= limit:
            return checked, None
        if entry.prev_hash != prev:
            return checked, ChainBreak(
                entry.pk, _("前一条哈希与上一条记录不符（其前的记录被删除、插入或改动）")
            )
        digest = entry_digest(
            prev_hash=entry.prev_hash,
            created_at=entry.created_at,
            actor_id=entry.actor_id,
            actor_label=entry.actor_label,
            action=entry.action,
            content_type_id=entry.content_type_id,
            object_id=entry.object_id,
            object_repr=entry.object_repr,
            before=entry.before,
            after=entry.after,
            reason=entry.reason,
            article=entry.article,
        )
        if digest != entry.hash:
            return checked, ChainBreak(entry.pk, _("内容与其哈希值不符（记录内容被改动）"))
        prev = entry.hash
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        return checked, ChainBreak(0, _("链头指向的最新记录缺失（最新的记录被删除）"))
    return checked, None

"""Reading the audit trail: only the office and auditors may (DESIGN.md §5, §9)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from award.models import AuditEntry, User
from award.permissions import STAFF_READERS


def audit_entries_for(user: User, filters: dict | None = None) -> QuerySet[AuditEntry]:
    """Entries newest first, narrowed by the cleaned fields of AuditFilterForm."""
    if not user.has_role(*STAFF_READERS):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.select_related("actor", "content_type").order_by("-pk")
    filters = filters or {}
    if filters.get("action"):
        entries = entries.filter(action__startswith=filters["action"].strip())
    if filters.get("actor"):
        entries = entries.filter(actor_label__iexact=filters["actor"].strip())
    if filters.get("object_type"):
        entries = entries.filter(content_type=filters["object_type"])
    if filters.get("object_id"):
        entries = entries.filter(object_id=filters["object_id"].strip())
    if filters.get("date_from"):
        entries = entries.filter(created_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        entries = entries.filter(created_at__date__lte=filters["date_to"])
    return entries


def audit_entry_for(user: User, pk: int) -> AuditEntry:
    return get_object_or_404(audit_entries_for(user), pk=pk)

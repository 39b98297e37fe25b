"""Reading notices: what the public sees, and what the office and auditors manage."""

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from award.enums import NoticeStatus, Role
from award.models import Notice, NoticeAttachment
from award.permissions import STAFF_READERS


def published_notices(kind: str | None = None) -> QuerySet[Notice]:
    """Published notices, newest first; optionally of one kind."""
    notices = Notice.objects.filter(status=NoticeStatus.PUBLISHED).select_related("cycle")
    if kind:
        notices = notices.filter(kind=kind)
    return notices.order_by("-published_at", "-pk")


def notice_for_public(pk: int) -> Notice:
    """A published notice with its attachments; 404 for drafts and withdrawn notices."""
    return get_object_or_404(published_notices().prefetch_related("attachments"), pk=pk)


def attachment_for_public(notice_pk: int, attachment_pk: int) -> NoticeAttachment:
    return get_object_or_404(
        NoticeAttachment.objects.select_related("notice"),
        pk=attachment_pk,
        notice_id=notice_pk,
        notice__status=NoticeStatus.PUBLISHED,
    )


def notices_for_management(user) -> QuerySet[Notice]:
    """Every notice for the office and auditors (newest work first); nothing for anyone else."""
    if not user.has_role(*STAFF_READERS):
        return Notice.objects.none()
    return (
        Notice.objects.select_related("cycle", "author", "published_by")
        .annotate(attachment_count=Count("attachments"))
        .order_by("-updated_at", "-pk")
    )


def notice_for_management(user, pk: int) -> Notice:
    return get_object_or_404(
        notices_for_management(user)
        .select_related("cycle__rulebook")
        .prefetch_related("attachments"),
        pk=pk,
    )


def attachment_for_management(user, notice_pk: int, attachment_pk: int) -> NoticeAttachment:
    if not user.has_role(*STAFF_READERS):
        return get_object_or_404(NoticeAttachment.objects.none())
    return get_object_or_404(
        NoticeAttachment.objects.select_related("notice"), pk=attachment_pk, notice_id=notice_pk
    )


def draft_notice_count(user) -> int:
    if not user.has_role(Role.OFFICE):
        return 0
    return Notice.objects.filter(status=NoticeStatus.DRAFT).count()

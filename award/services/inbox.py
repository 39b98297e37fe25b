"""Reading one's in-site messages (站内信): marking them read."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from award.models import Message, User


def message_mark_read(*, message: Message, by: User) -> Message:
    """Mark the recipient's own message read; the first reading time is kept."""
    if message.recipient_id != by.pk:
        raise PermissionDenied(_("只能查看发给本人的站内信。"))
    if message.read_at is None:
        # Filter on read_at so two tabs opening the message keep the first reading time.
        now = timezone.now()
        if Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now):
            message.read_at = now
            if getattr(by, "unread_message_count", 0):
                by.unread_message_count -= 1
        else:
            message.refresh_from_db(fields=["read_at"])
    return message


def message_mark_all_read(*, by: User) -> int:
    """Mark every unread message of `by` read; returns how many changed."""
    marked = Message.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    by.unread_message_count = 0
    return marked

"""Reading in-site messages (站内信): each user sees only their own."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from award.models import Message, User


def messages_for(user: User, *, unread_only: bool = False) -> QuerySet[Message]:
    """The user's own messages, newest first."""
    messages = Message.objects.filter(recipient=user).order_by("-created_at", "-pk")
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    return messages


def message_for(user: User, pk: int) -> Message:
    """One of the user's own messages; anyone else's answers 404."""
    return get_object_or_404(messages_for(user), pk=pk)


def unread_message_count(user: User) -> int:
    """Loaded with the signed-in user (award.auth_backends), else counted."""
    count = getattr(user, "unread_message_count", None)
    if count is None:
        count = user.messages.filter(read_at__isnull=True).count()
    return count

"""Values every page needs: the signed-in user's roles, unread message count, idle timeout."""

from django.conf import settings

from award.enums import Role
from award.middleware import idle_timeout_applies
from award.selectors.inbox import unread_message_count

# The page warns this many minutes before an idle staff session ends (at most half the timeout).
IDLE_WARNING_MINUTES = 5


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"Role": Role}
    context = {
        "Role": Role,
        "user_roles": user.role_codes,
        "unread_messages": unread_message_count(user),
    }
    if idle_timeout_applies(user):
        minutes = settings.STAFF_IDLE_TIMEOUT_MINUTES
        warning = min(IDLE_WARNING_MINUTES, minutes // 2)
        context["idle_timeout"] = {
            "minutes": minutes,
            "warn_after": minutes - warning,
            "left": warning,
        }
    return context

"""Values every page needs: the signed-in user's roles, unread message count, idle timeout,
and the key of the menu rendered once per process."""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

from award.enums import Role
from award.middleware import idle_timeout_applies
from award.selectors.inbox import unread_message_count

# The page warns this many minutes before an idle staff session ends (at most half the timeout).
IDLE_WARNING_MINUTES = 5


def nav_cache_key(roles) -> str:
    """What base.html's menu depends on: language, URLs and the roles (none: signed out)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return "|".join([get_language() or "", get_script_prefix(), str(urlconf), *sorted(roles)])


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"Role": Role, "nav_cache_key": nav_cache_key(())}
    context = {
        "Role": Role,
        "user_roles": user.role_codes,
        "unread_messages": unread_message_count(user),
        "nav_cache_key": nav_cache_key(("signed-in", *user.role_codes)),
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

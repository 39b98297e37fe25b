"""Values every page needs: the signed-in user's roles and unread message count."""

from award.enums import Role


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"Role": Role}
    return {
        "Role": Role,
        "user_roles": user.role_codes,
        "unread_messages": user.messages.filter(read_at__isnull=True).count(),
    }

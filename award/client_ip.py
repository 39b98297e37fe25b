"""The client's address for login throttling: nginx's X-Real-IP only when behind our proxy."""

from django.conf import settings


def client_ip(request) -> str:
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")

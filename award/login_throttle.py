"""Login throttling (django-axes): per login name on one address, and per address over all names.

Axes compares every lockout parameter with one limit; the address alone needs a higher one, or
one office behind a shared address would lock itself out. So AXES_FAILURE_LIMIT failures lock a
login name on an address, and AXES_ADDRESS_FAILURE_LIMIT failures from one address, whatever the
names, lock that address: it cannot try four passwords on every account.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, Sum
from django.shortcuts import render


class LoginThrottleHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        recent = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            recent = recent.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        counts = recent.aggregate(
            name=Sum("failures_since_start", filter=Q(username=username)),
            address=Sum("failures_since_start"),
        )
        per_name, per_address = counts["name"] or 0, counts["address"] or 0
        request.login_address_locked = per_address >= settings.AXES_ADDRESS_FAILURE_LIMIT
        if request.login_address_locked:
            return max(per_name, settings.AXES_FAILURE_LIMIT)
        return per_name

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A login clears its own name's failures on this address only: signing in to an
        account of one's own must not wipe the failures the address ran up on others."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page: which lock it is and when to try again."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "address_failure_limit": settings.AXES_ADDRESS_FAILURE_LIMIT,
        "address_locked": getattr(request, "login_address_locked", False),
        "cooloff_timedelta": get_cool_off(request),
    }
    return render(
        request,
        "registration/locked_out.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )

"""Reading two-factor state: who must use it, who has it, how many recovery codes are left, and
whose a given person may reset."""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from award.enums import Role
from award.models import User
from award.permissions import may_reset_two_factor_at_all

# Those who run the award or read everything (GB/T 22239-2019 8.1.4.1 d); Django admin staff too.
TWO_FACTOR_ROLES = (Role.OFFICE, Role.AGENCY, Role.AUDITOR)


def two_factor_required(user) -> bool:
    """Whether the user may not work without a second factor (TWO_FACTOR_REQUIRED on)."""
    return (
        settings.TWO_FACTOR_REQUIRED
        and user.is_authenticated
        and (user.is_staff or user.is_superuser or user.has_role(*TWO_FACTOR_ROLES))
    )


def two_factor_enabled(user) -> bool:
    """Whether the user has a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


RESET_SEARCH_LIMIT = 20


def two_factor_resettable_users(actor) -> QuerySet[User]:
    """The users `actor` may reset the two-factor login of: the queryset form of
    award.permissions.may_reset_two_factor, so that a guessed id outside it is a 404."""
    if not may_reset_two_factor_at_all(actor):
        return User.objects.none()
    users = User.objects.exclude(pk=actor.pk)
    if not actor.is_superuser:
        users = users.filter(is_staff=False, is_superuser=False)
    return users.annotate(
        has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    )


def two_factor_reset_search(actor, query: str) -> list[User]:
    """Up to RESET_SEARCH_LIMIT such users by exact login name, email or mobile, or by part of
    the name: the office looks up the person who called, not a list of everyone."""
    query = query.strip()
    if not query:
        return []
    match = (
        Q(username__iexact=query)
        | Q(email__iexact=query)
        | Q(mobile=query)
        | Q(display_name__icontains=query)
    )
    return list(
        two_factor_resettable_users(actor).filter(match).order_by("username")[:RESET_SEARCH_LIMIT]
    )

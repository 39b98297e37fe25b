"""Reading two-factor state: who must use it, who has it, how many recovery codes are left."""

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from award.enums import Role

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

"""Two-factor login (GB/T 22239-2019 8.1.4.1 d): enrolling an authenticator app, checking a
动态口令 or a one-time 恢复码, switching it off, and a per-user limit on wrong codes."""

import time
from base64 import b32encode
from binascii import unhexlify

import segno
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from award.models import User
from award.selectors.two_factor import two_factor_required
from award.services.audit import audit_record

RECOVERY_CODE_COUNT = 10
# The app's clock may be one 30-second step off either way.
TOLERANCE = 1
WRONG_CODE = _("动态口令或恢复码不正确，请重新输入。")
LOCKED = _("动态口令连续输错%(limit)s次，请%(minutes)s分钟后再试。")
REQUIRED = _("您的角色必须使用双因素认证，不能关闭。")


def new_totp_key() -> str:
    """A fresh 160-bit secret, hex-encoded as django-otp stores it."""
    return random_hex(20)


def totp_uri(user: User, key: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return TOTPDevice(user=user, key=key).config_url


def qr_data_uri(uri: str) -> str:
    """The URI as a QR code in a data: PNG (the CSP allows data: images, no inline script)."""
    return segno.make(uri, error="m").png_data_uri(scale=5, border=2)


def secret_groups(key: str) -> list[str]:
    """The secret in Base32 in groups of four, for typing it into an app by hand."""
    secret = b32encode(unhexlify(key)).decode()
    return [secret[i : i + 4] for i in range(0, len(secret), 4)]


def _failures_key(user: User) -> str:
    return f"two-factor-failures:{user.pk}"


def _refuse_if_locked(user: User) -> None:
    limit = settings.TWO_FACTOR_FAILURE_LIMIT
    if cache.get(_failures_key(user), 0) >= limit:
        raise ValidationError(
            LOCKED,
            code="locked",
            params={"limit": limit, "minutes": settings.TWO_FACTOR_COOLOFF_MINUTES},
        )


def _count_failure(user: User) -> None:
    """One more wrong code; the limit-th locks the code step for the cool-off, then it resets."""
    key = _failures_key(user)
    timeout = settings.TWO_FACTOR_COOLOFF_MINUTES * 60
    cache.add(key, 0, timeout)
    failures = cache.incr(key)
    if failures >= settings.TWO_FACTOR_FAILURE_LIMIT:
        cache.set(key, failures, timeout)
        if failures == settings.TWO_FACTOR_FAILURE_LIMIT:
            with transaction.atomic():
                audit_record(
                    actor=user,
                    action="account.two_factor_locked",
                    obj=user,
                    after={"failures": failures},
                )
    _refuse_if_locked(user)
    raise ValidationError(WRONG_CODE, code="wrong_code")


def _normalise(code: str) -> str:
    return "".join(code.split()).lower()


def two_factor_enable(*, user: User, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the app shows the right code for `key`, then store it as the user's only device
    with RECOVERY_CODE_COUNT new recovery codes, returned to be shown once."""
    _refuse_if_locked(user)
    code = _normalise(code)
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    if not (code.isdigit() and totp.verify(int(code), tolerance=TOLERANCE)):
        _count_failure(user)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user, name="totp", key=key, confirmed=True, tolerance=TOLERANCE, last_t=totp.t()
        )
        recovery = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
        audit_record(
            actor=user,
            action="account.two_factor_enable",
            obj=user,
            after={"recovery_codes": RECOVERY_CODE_COUNT},
            article="GB/T 22239-2019 8.1.4.1",
        )
    cache.delete(_failures_key(user))
    return device, codes


def two_factor_verify(*, user: User, code: str):
    """The device that accepts `code`: the app's current 动态口令, or a 恢复码, which is used
    up and recorded. A wrong code counts toward the lock-out."""
    _refuse_if_locked(user)
    code = _normalise(code)
    with transaction.atomic():
        if code.isdigit():
            for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
                if device.verify_token(code):
                    cache.delete(_failures_key(user))
                    return device
        for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                left = device.token_set.count()
                audit_record(
                    actor=user,
                    action="account.recovery_code_used",
                    obj=user,
                    after={"recovery_codes_left": left},
                    article="GB/T 22239-2019 8.1.4.1",
                )
                cache.delete(_failures_key(user))
                return device
    _count_failure(user)


def two_factor_disable(*, user: User, code: str) -> None:
    """Switch 2FA off for someone who may do without it, after a valid code of theirs."""
    if two_factor_required(user):
        raise PermissionDenied(REQUIRED)
    two_factor_verify(user=user, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(
            actor=user,
            action="account.two_factor_disable",
            obj=user,
            article="GB/T 22239-2019 8.1.4.1",
        )

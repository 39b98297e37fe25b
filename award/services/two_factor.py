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
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from award.models import User
from award.permissions import may_reset_two_factor
from award.selectors.two_factor import two_factor_required
from award.services.audit import audit_record
from award.services.notifications import notify

RECOVERY_CODE_COUNT = 10
# The app's clock may be one 30-second step off either way.
TOLERANCE = 1
WRONG_CODE = _("动态口令或恢复码不正确，请重新输入。")
WRONG_APP_CODE = _("动态口令不正确。请输入身份验证器应用当前显示的6位数字，恢复码不能用于此操作。")
LOCKED = _("动态口令连续输错%(limit)s次，请%(minutes)s分钟后再试。")
REQUIRED = _("您的角色必须使用双因素认证，不能关闭。")
RESET_REFUSED = _("您无权重置该用户的双因素认证。")
REASON_REQUIRED = _("请填写重置原因。")


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


def _count_failure(user: User, wrong=WRONG_CODE) -> None:
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
    raise ValidationError(wrong, code="wrong_code")


def _normalise(code: str) -> str:
    return "".join(code.split()).lower()


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new ones; the old stop working."""
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
    return codes


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
        device = TOTPDevice.objects.create(
            user=user, name="totp", key=key, confirmed=True, tolerance=TOLERANCE, last_t=totp.t()
        )
        codes = _new_recovery_codes(user)
        audit_record(
            actor=user,
            action="account.two_factor_enable",
            obj=user,
            after={"recovery_codes": RECOVERY_CODE_COUNT},
            article="GB/T 22239-2019 8.1.4.1",
        )
    cache.delete(_failures_key(user))
    return device, codes


def two_factor_verify(*, user: User, code: str, recovery_codes: bool = True):
    """The device of `user` that accepts `code`: the app's current 动态口令 or, unless
    `recovery_codes` is off, a 恢复码, which is used up and recorded. A wrong code counts
    toward the lock-out (outside the transaction, so that the lock-out's audit entry stays)
    and raises ValidationError."""
    _refuse_if_locked(user)
    code = _normalise(code)
    with transaction.atomic():
        devices = []
        if code.isdigit():
            devices += TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
        if recovery_codes:
            devices += StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
        device = next((d for d in devices if d.verify_token(code)), None)
        if isinstance(device, StaticDevice):
            audit_record(
                actor=user,
                action="account.recovery_code_used",
                obj=user,
                after={"recovery_codes_left": device.token_set.count()},
                article="GB/T 22239-2019 8.1.4.1",
            )
    if device is None:
        _count_failure(user, WRONG_CODE if recovery_codes else WRONG_APP_CODE)
    cache.delete(_failures_key(user))
    return device


def two_factor_regenerate_recovery_codes(*, user: User, code: str) -> list[str]:
    """New recovery codes for a user whose app shows `code`; every old code stops working.

    Only the app's 动态口令 confirms it, not the password nor a recovery code: the codes stand
    in for the second factor, so minting them takes the second factor, and a single leaked
    paper code must not be able to renew itself. Someone without the phone asks the office
    for a reset (two_factor_reset). Returns the codes, to be shown once.

    Side effects: an `account.recovery_codes_regenerate` audit entry (counts only, never a
    code); a 站内信 and email telling the user, in case it was not them; the wrong-code
    counter as for every code (GB/T 22239-2019 8.1.4.1 d).
    """
    two_factor_verify(user=user, code=code, recovery_codes=False)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        left = StaticToken.objects.filter(device__user=user).count()
        codes = _new_recovery_codes(user)
        audit_record(
            actor=user,
            action="account.recovery_codes_regenerate",
            obj=user,
            before={"recovery_codes_left": left},
            after={"recovery_codes": RECOVERY_CODE_COUNT},
            article="GB/T 22239-2019 8.1.4.1",
        )
        notify(
            recipients=[user],
            template="two_factor_recovery_codes_regenerated",
            context={"count": RECOVERY_CODE_COUNT},
            url=reverse("award:profile"),
        )
    return codes


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


def two_factor_reset(*, user: User, by: User, reason: str) -> None:
    """Reset a lost phone: remove `user`'s app and recovery codes, so that they enrol a new
    app at their next login (at once, for a role that requires it; for others 2FA is off until
    they switch it on again). Sessions verified with the old app lose that verification.

    `by` must be allowed to reset `user` (award.permissions.may_reset_two_factor: the office
    or Django admin staff, never oneself, admin accounts only by a superuser); the reason is
    required, for the audit trail.

    Side effects: an `account.two_factor_reset` audit entry by `by` with the reason; the
    user's wrong-code counter cleared; a 站内信 and email to the user naming the reason.
    Raises PermissionDenied or ValidationError({"reason": ...}) (GB/T 22239-2019 8.1.4.1 d,
    8.1.4.3 a: security events audited).
    """
    if not may_reset_two_factor(by, user):
        raise PermissionDenied(RESET_REFUSED)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(REASON_REQUIRED, code="required")})
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        had_app = TOTPDevice.objects.filter(user=user).delete()[0] > 0
        left = StaticToken.objects.filter(device__user=user).count()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(
            actor=by,
            action="account.two_factor_reset",
            obj=user,
            before={"two_factor_enabled": had_app, "recovery_codes_left": left},
            after={"two_factor_enabled": False, "recovery_codes_left": 0},
            reason=reason,
            article="GB/T 22239-2019 8.1.4.1",
        )
        notify(
            recipients=[user],
            template="two_factor_reset",
            context={"reason": reason, "required": two_factor_required(user)},
            url=reverse("award:profile"),
        )
    cache.delete(_failures_key(user))

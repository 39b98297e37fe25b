"""Account actions: applicant self-registration, contact changes and password changes."""

from axes.utils import reset as axes_reset
from django.contrib.auth import password_validation
from django.contrib.auth.models import BaseUserManager, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from award.enums import ApplicantKind, Role
from award.models import User
from award.selectors.accounts import email_taken, username_taken
from award.services.audit import audit_record
from award.services.notifications import notify
from award.text import clean_model_text

EMAIL_TAKEN = _("该邮箱已注册，可直接登录或找回密码。")
USERNAME_TAKEN = _("该登录名已被使用，请换一个。")
# Django 5.2's own catalogue lacks the current wording of the length message, so it is ours.
PASSWORD_TOO_SHORT = _("密码太短，至少需要 %(min_length)d 个字符。")
PASSWORD_TOO_SIMILAR = _("密码与%(verbose_name)s过于相似，请换一个。")
CONTACT_FIELDS = ("display_name", "email", "mobile")


def mask_mobile(mobile: str) -> str:
    """138****5678: the audit trail records that a number changed without spelling it out."""
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) == 11 else mobile


def password_problems(password: str, user: User) -> list[ValidationError]:
    """The configured password validators' complaints, every one of them in Chinese."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        return [_in_our_words(error) for error in exc.error_list]
    return []


def _in_our_words(error: ValidationError) -> ValidationError:
    if error.code == "password_too_short":
        return ValidationError(PASSWORD_TOO_SHORT, code=error.code, params=error.params)
    if error.code == "password_too_similar":
        # The form calls the username 登录名; the model's verbose name says 用户名.
        name = error.params["verbose_name"]
        if name == User._meta.get_field("username").verbose_name:
            name = _("登录名")
        return ValidationError(PASSWORD_TOO_SIMILAR, code=error.code, params={"verbose_name": name})
    return error


def _contact_snapshot(user: User) -> dict:
    return {
        "display_name": user.display_name,
        "email": user.email,
        "mobile": mask_mobile(user.mobile),
    }


def _conflicts(*, email: str, username: str | None = None, user: User | None = None) -> dict:
    errors = {}
    if username is not None and username_taken(username):
        errors["username"] = [ValidationError(USERNAME_TAKEN, code="username_taken")]
    if email_taken(email, exclude=user):
        errors["email"] = [ValidationError(EMAIL_TAKEN, code="email_taken")]
    return errors


def _save_or_conflict(user: User, *, username: str | None = None, **save_kwargs) -> None:
    """Save; a race lost to another registration becomes the same message as the check."""
    try:
        with transaction.atomic():
            user.save(**save_kwargs)
    except IntegrityError:
        errors = _conflicts(email=user.email, username=username, user=user if user.pk else None)
        raise ValidationError(errors or {"email": [EMAIL_TAKEN]}) from None


def applicant_register(
    *,
    username: str,
    email: str,
    mobile: str,
    display_name: str,
    applicant_kind: str,
    password: str,
) -> User:
    """Create a self-registered 申报单位 or 申报个人 account.

    Side effects: the account joins group `applicant`; an `account.register` audit entry;
    a welcome 站内信 whose email goes out after commit. Staff accounts are never made here.
    Raises ValidationError keyed by argument name (duplicate login name or email, ignoring
    case; malformed mobile; weak password; a name with invisible characters, award.text).
    """
    username = username.strip()
    email = BaseUserManager.normalize_email(email.strip())
    typed, errors = clean_model_text(User, {"display_name": display_name})
    user = User(
        username=username,
        email=email,
        mobile=mobile.strip(),
        display_name=typed["display_name"],
        applicant_kind=applicant_kind,
    )
    errors.update(_conflicts(email=email, username=username))
    if applicant_kind not in ApplicantKind.values:
        errors["applicant_kind"] = [ValidationError(_("请选择申报单位或申报个人。"))]
    if not user.mobile:
        errors["mobile"] = [ValidationError(_("请填写手机号码。"))]
    if problems := password_problems(password, user):
        errors["password"] = problems
    try:
        user.full_clean(exclude=["password", *errors], validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    with transaction.atomic():
        _save_or_conflict(user, username=username)
        user.groups.add(Group.objects.get(name=Role.APPLICANT))
        user.__dict__.pop("role_codes", None)
        audit_record(
            actor=user,
            action="account.register",
            obj=user,
            after={
                "username": user.username,
                **_contact_snapshot(user),
                "applicant_kind": user.applicant_kind,
                "roles": [Role.APPLICANT.value],
            },
        )
        notify(
            recipients=[user],
            template="account_registered",
            context={"user": user, "kind": user.get_applicant_kind_display()},
            url=reverse("award:workbench"),
        )
    return user


def user_update_contact(*, user: User, email: str, mobile: str, display_name: str, by) -> User:
    """Change a user's name, email and mobile; the user themself or the office may do it.

    Side effects: an `account.update_contact` audit entry with the changed fields (mobile
    masked); nothing is written when nothing changed. Raises PermissionDenied for anyone
    else and ValidationError keyed by field (email held by another account, bad mobile,
    a name with invisible characters).
    """
    if by is None or (by.pk != user.pk and not by.has_role(Role.OFFICE)):
        raise PermissionDenied
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = _contact_snapshot(locked)
        old = {f: getattr(locked, f) for f in CONTACT_FIELDS}
        locked.email = BaseUserManager.normalize_email(email.strip())
        locked.mobile = mobile.strip()
        typed, errors = clean_model_text(User, {"display_name": display_name})
        locked.display_name = typed["display_name"]
        errors.update(_conflicts(email=locked.email, user=locked))
        others = [f.name for f in User._meta.fields if f.name not in CONTACT_FIELDS]
        try:
            locked.full_clean(exclude=[*others, *errors], validate_unique=False)
        except ValidationError as exc:
            errors.update(exc.error_dict)
        if errors:
            raise ValidationError(errors)
        changed = [f for f in CONTACT_FIELDS if getattr(locked, f) != old[f]]
        if not changed:
            return locked
        _save_or_conflict(locked, update_fields=changed)
        after = _contact_snapshot(locked)
        audit_record(
            actor=by,
            action="account.update_contact",
            obj=locked,
            before={f: before[f] for f in changed},
            after={f: after[f] for f in changed},
        )
    return locked


def _set_password(*, user: User, password: str, by, action: str, reason: str) -> User:
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if problems := password_problems(password, locked):
            raise ValidationError({"password": problems})
        locked.set_password(password)
        locked.save(update_fields=["password"])
        audit_record(actor=by, action=action, obj=locked, reason=reason)
    return locked


def user_change_password(*, user: User, password: str, by) -> User:
    """Set a new password for a signed-in user who confirmed the old one.

    Side effects: an `account.password_change` audit entry (never the password or its hash).
    Raises PermissionDenied when `by` is someone else, ValidationError for a weak password.
    """
    if by is None or by.pk != user.pk:
        raise PermissionDenied
    return _set_password(
        user=user, password=password, by=by, action="account.password_change", reason=""
    )


def user_reset_password(*, user: User, password: str) -> User:
    """Set a new password through an emailed reset link (the link is the proof of identity).

    Side effects: an `account.password_reset` audit entry, and the login lockout of that
    login name (django-axes) is lifted, so the new password works at once.
    """
    user = _set_password(
        user=user,
        password=password,
        by=user,
        action="account.password_reset",
        reason=str(_("通过电子邮件链接重设密码")),
    )
    axes_reset(username=user.username)
    return user

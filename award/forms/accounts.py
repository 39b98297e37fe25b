"""Forms for signing in, registering as an applicant, contact details and passwords."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from award.enums import ApplicantKind, Role
from award.forms.text import TextRuleFormMixin
from award.models import User
from award.selectors.accounts import email_taken, login_name_for, username_taken
from award.services.accounts import (
    CONTACT_FIELDS,
    EMAIL_TAKEN,
    USERNAME_TAKEN,
    password_problems,
)
from award.validators import mobile_validator

# '@' is kept out of login names so that a typed email is never mistaken for one.
login_name_validator = RegexValidator(
    r"^[\w.+-]+\Z", _("登录名只能包含字母、数字、汉字和 . + - _ 字符，不能包含 @ 或空格。")
)


class ChinesePasswordMixin(auth_forms.SetPasswordMixin):
    """Password checks whose validator and mismatch messages read in Chinese."""

    error_messages = {"password_mismatch": _("两次输入的密码不一致。")}

    def validate_password_for_user(self, user, password_field_name="password2"):
        password = self.cleaned_data.get(password_field_name)
        if password:
            for problem in password_problems(password, user):
                self.add_error(password_field_name, problem)


class LoginForm(auth_forms.AuthenticationForm):
    """Sign in with the login name or the email; the POST field stays `username` for axes."""

    # A login name or an email (254): longer is refused before axes records the attempt.
    username = auth_forms.UsernameField(
        label=_("登录名或电子邮箱"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("登录名（或电子邮箱）或密码不正确。请注意密码区分大小写。"),
        "inactive": _("该账户已停用，请联系质量强市办。"),
    }

    def clean(self):
        identifier = self.cleaned_data.get("username")
        if identifier:
            self.cleaned_data["username"] = login_name_for(identifier)
        return super().clean()


class ContactForm(TextRuleFormMixin, forms.Form):
    """单位名称/姓名, email and mobile, shared by registration and the profile page."""

    display_name = forms.CharField(
        label=_("单位名称/姓名"),
        max_length=120,
        help_text=_("申报单位填写单位全称（与营业执照一致），个人填写真实姓名。"),
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        max_length=254,
        help_text=_("用于接收通知和找回密码，也可用于登录。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    mobile = forms.CharField(
        label=_("手机号码"),
        validators=[mobile_validator],
        help_text=_("用于接收评定工作的提醒。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "numeric", "maxlength": 11}
        ),
    )

    #: the account being edited; None while registering
    account: User | None = None

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email_taken(email, exclude=self.account):
            raise forms.ValidationError(EMAIL_TAKEN, code="email_taken")
        return email


class RegisterForm(ChinesePasswordMixin, ContactForm):
    applicant_kind = forms.ChoiceField(
        label=_("申报主体类型"),
        choices=ApplicantKind.choices,
        widget=forms.RadioSelect,
        help_text=_("企业或其他组织选择“申报单位”，个人选择“申报个人”。"),
    )
    username = forms.CharField(
        label=_("登录名"),
        max_length=150,
        validators=[login_name_validator],
        help_text=_("不超过150个字符，可使用字母、数字、汉字和 . + - _。"),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password_confirm = forms.CharField(
        label=_("确认密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("请再次输入密码。"),
    )

    field_order = [
        "applicant_kind",
        "username",
        "display_name",
        "email",
        "mobile",
        "password",
        "password_confirm",
    ]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if username_taken(username):
            raise forms.ValidationError(USERNAME_TAKEN, code="username_taken")
        return username

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords("password", "password_confirm")
        candidate = User(
            username=cleaned.get("username", ""),
            email=cleaned.get("email", ""),
            display_name=cleaned.get("display_name", ""),
        )
        self.validate_password_for_user(candidate, "password")
        return cleaned


class ProfileForm(ContactForm):
    def __init__(self, *args, account: User, **kwargs):
        self.account = account
        kwargs["initial"] = {
            **{f: getattr(account, f) for f in CONTACT_FIELDS},
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        # Staff accounts may have no mobile on file; applicants are reached by it.
        self.fields["mobile"].required = account.has_role(Role.APPLICANT)


class PasswordChangeForm(ChinesePasswordMixin, auth_forms.PasswordChangeForm):
    error_messages = {
        **ChinesePasswordMixin.error_messages,
        "password_incorrect": _("原密码不正确，请重新输入。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("原密码")
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("确认新密码")
        self.fields["new_password2"].help_text = _("请再次输入新密码。")


class SetPasswordForm(ChinesePasswordMixin, auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("确认新密码")
        self.fields["new_password2"].help_text = _("请再次输入新密码。")


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("注册时填写的电子邮箱"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

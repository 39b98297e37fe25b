"""The code fields of two-factor login."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("动态口令或恢复码"),
        max_length=32,
        help_text=_("输入身份验证器应用显示的6位动态口令；手机不在身边时可输入一个恢复码。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class TwoFactorSetupForm(forms.Form):
    code = forms.CharField(
        label=_("6位动态口令"),
        max_length=8,
        help_text=_("扫码或手动添加后，输入应用当前显示的6位数字以确认。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class TwoFactorDisableForm(TwoFactorCodeForm):
    """On the profile page, below the contact form: no autofocus, its own prefix."""

    prefix = "disable"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.pop("autofocus", None)


class TwoFactorRegenerateForm(forms.Form):
    """On the profile page: the app's code confirms new recovery codes (not a recovery code)."""

    prefix = "regenerate"
    code = forms.CharField(
        label=_("6位动态口令"),
        max_length=8,
        help_text=_("输入身份验证器应用当前显示的6位数字。重新生成后，原有恢复码全部失效。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TwoFactorResetForm(forms.Form):
    """The office's confirmation that it checked who lost the phone, and why it resets."""

    reason = forms.CharField(
        label=_("重置原因"),
        max_length=500,
        help_text=_(
            "例如：本人来电称手机丢失，已通过单位座机回拨核实身份。将记入审计记录并告知本人。"
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("我已核实申请人身份，确认重置其双因素认证"),
        error_messages={"required": _("请勾选确认后再重置。")},
    )


class TwoFactorResetSearchForm(forms.Form):
    q = forms.CharField(
        label=_("登录名、邮箱、手机号码或姓名"),
        max_length=150,
        required=False,
    )

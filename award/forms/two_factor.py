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

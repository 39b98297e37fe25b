"""Forms of the honours part: 市政府 approval, rewards, certificate verification."""

from django import forms
from django.utils.translation import gettext_lazy as _

from award.enums import ApplicantKind
from award.forms.once import OnceFormMixin
from award.text import REASON_TEXT

DATE_FORMAT = "%Y-%m-%d"


class ApprovalForm(OnceFormMixin, forms.Form):
    document_number = forms.CharField(
        label=_("批复文号"), max_length=60, help_text=_("例如：临政字〔2025〕21号")
    )
    approved_on = forms.DateField(
        label=_("批复日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
    )
    file = forms.FileField(
        label=_("市政府批准文件"),
        help_text=_("加盖印章的批复扫描件，PDF、JPG或PNG格式。"),
    )
    confirm = forms.BooleanField(
        label=_("我已核对批复文号、日期和文件；记录后不能修改，公布公告将据此发布。"),
        required=True,
    )


class RewardForm(forms.Form):
    """A unit's money reward or an individual's material reward, by the honour's kind."""

    amount_yuan = forms.IntegerField(label=_("奖励金额（元）"), min_value=0, required=False)
    provincial_amount_yuan = forms.IntegerField(
        label=_("已获山东省省长质量奖奖金（元）"),
        min_value=0,
        required=False,
        help_text=_("同时获得山东省省长质量奖的填写；按就高不重复的原则只补足差额（第十五条）。"),
    )
    material_description = forms.CharField(
        label=_("物质奖励"),
        max_length=REASON_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("向获评个人给予的一定物质奖励，以文字说明（第十五条）。"),
    )
    note = forms.CharField(
        label=_("备注"),
        max_length=REASON_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, kind: str, cap_yuan: int, **kwargs):
        super().__init__(*args, **kwargs)
        if kind == ApplicantKind.UNIT:
            del self.fields["material_description"]
            self.fields["amount_yuan"].required = True
            self.fields["amount_yuan"].help_text = _("单位奖励不超过%(cap)s元（第十五条）。") % {
                "cap": f"{cap_yuan:,}"
            }
        else:
            del self.fields["amount_yuan"]
            del self.fields["provincial_amount_yuan"]
            self.fields["material_description"].required = True


class VerifyForm(forms.Form):
    serial = forms.CharField(
        label=_("证书编号"),
        max_length=40,
        help_text=_("证书右下角的编号，例如 LY2025AU01-7K4QX；也可用手机扫描证书上的二维码。"),
    )

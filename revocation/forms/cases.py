"""Forms of the revocation cases (第二十三条、第二十四条)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from award.forms.once import OnceFormMixin
from award.text import LONG_TEXT, REASON_TEXT
from decisions.forms.publicity import MultipleFileField
from revocation.enums import CaseBallotChoice

DATE_FORMAT = "%Y-%m-%d"


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT)


class GroundsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.citation}：{obj.text}"


class CaseOpenForm(OnceFormMixin, forms.Form):
    grounds = GroundsField(
        label=_("撤销情形"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一项撤销情形。")},
    )
    summary = forms.CharField(
        label=_("案由"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("发现的情况、来源和涉及的事实。获评者不会看到投诉人的身份。"),
    )

    def __init__(self, *args, grounds, article, kind_label, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["grounds"]
        field.queryset = grounds
        field.help_text = _("%(kind)s适用%(article)s所列情形。") % {
            "kind": kind_label,
            "article": article,
        }
        field.error_messages["invalid_choice"] = _(
            "所选情形不适用于该获评者：%(kind)s只适用%(article)s所列情形。"
        ) % {"kind": kind_label, "article": article}


class FindTrueForm(OnceFormMixin, forms.Form):
    findings = forms.CharField(
        label=_("查证情况"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 6})
    )
    answer_due_on = forms.DateField(
        label=_("陈述申辩截止日期"),
        widget=date_input(),
        help_text=_("至少5个工作日；获评者在此日期前（含当日）可以提交陈述申辩。"),
    )
    files = MultipleFileField(
        label=_("查证材料"),
        required=False,
        help_text=_("PDF、JPG、PNG或DOCX；仅质量强市办和审计人员可以下载。"),
    )
    confirm = forms.BooleanField(
        label=_("我已核对查证情况；提交后将告知获评者，不能修改。"), required=True
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("结案理由"), max_length=REASON_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    confirm = forms.BooleanField(label=_("我确认结案；结案后不能恢复。"), required=True)


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("我已核对，确认办理；办理后不能撤回。"), required=True)


class VoteOpenForm(forms.Form):
    held_on = forms.DateField(label=_("会议日期"), widget=date_input())
    members_present = forms.ModelMultipleChoiceField(
        label=_("出席成员"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members_present"].queryset = leaders


class BallotForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("表决意见"), choices=CaseBallotChoice.choices, widget=forms.RadioSelect
    )
    confirm = forms.BooleanField(label=_("我确认投票；投票后不能修改。"), required=True)


class ReplyForm(OnceFormMixin, forms.Form):
    answer = forms.CharField(
        label=_("陈述申辩意见"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 8})
    )
    files = MultipleFileField(
        label=_("证明材料"), required=False, help_text=_("PDF、JPG、PNG或DOCX，可选多个。")
    )
    confirm = forms.BooleanField(
        label=_("我确认提交；陈述申辩只能提交一次，提交后不能修改。"), required=True
    )


class RevokeForm(OnceFormMixin, forms.Form):
    document_number = forms.CharField(
        label=_("市政府撤销决定文号"), max_length=60, help_text=_("例如：临政字〔2026〕12号")
    )
    decided_on = forms.DateField(label=_("决定日期"), widget=date_input())
    file = forms.FileField(
        label=_("撤销决定文件"), help_text=_("加盖印章的决定扫描件，PDF、JPG或PNG格式。")
    )
    confirm = forms.BooleanField(
        label=_("我已核对文号、日期和文件；记录后将撤销称号并发布撤销公告，不能恢复。"),
        required=True,
    )

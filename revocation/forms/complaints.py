"""Forms of the complaints part (第二十一条): the public's complaint and receipt lookup, the
office's settings and handling."""

from django import forms
from django.utils.translation import gettext_lazy as _

from award.forms.once import OnceFormMixin
from award.forms.text import TextRuleFormMixin
from award.text import LONG_TEXT, REASON_TEXT
from decisions.forms.publicity import MultipleFileField, ReceiptLookupForm
from revocation.enums import ComplainantKind, ComplaintSubjectKind
from revocation.models import Complaint, ComplaintSettings

__all__ = ["ReceiptLookupForm"]

FILE_ACCEPT = ".pdf,.jpg,.jpeg,.png"


def _max(name):
    return Complaint._meta.get_field(name).max_length


class ComplaintForm(OnceFormMixin, TextRuleFormMixin, forms.Form):
    """The public's complaint; the service checks the rules (kind, identity, files)."""

    subject = forms.CharField(
        label=_("被举报对象"),
        required=False,
        max_length=_max("subject"),
        help_text=_("单位名称、个人姓名或评审环节，如“某某公司”“第二评审组专家”。"),
    )
    subject_kind = forms.ChoiceField(
        label=_("被举报对象类别（选填）"),
        required=False,
        choices=[("", _("请选择")), *ComplaintSubjectKind.choices],
    )
    facts = forms.CharField(
        label=_("反映的问题"),
        required=False,
        max_length=_max("facts"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("请写明发生了什么、何时何地、违反了哪些评审规则，并尽量提供证明材料。"),
    )
    complainant_kind = forms.ChoiceField(
        label=_("提出方式"), widget=forms.RadioSelect, initial=ComplainantKind.PERSON
    )
    name = forms.CharField(label=_("姓名或单位名称"), required=False, max_length=_max("name"))
    id_number = forms.CharField(
        label=_("身份证号码（个人填写）"),
        required=False,
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    contact_person = forms.CharField(
        label=_("单位联系人（单位填写）"), required=False, max_length=_max("contact_person")
    )
    phone = forms.CharField(
        label=_("联系电话"),
        required=False,
        max_length=_max("phone"),
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    seal_letter = forms.FileField(
        label=_("加盖单位公章的举报投诉书（单位填写）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}),
    )
    evidence = MultipleFileField(label=_("证明材料"), required=False)

    def __init__(self, *args, allows_anonymous=False, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [(ComplainantKind.PERSON, _("个人实名")), (ComplainantKind.UNIT, _("单位实名"))]
        if allows_anonymous:
            kinds.append((ComplainantKind.ANONYMOUS, _("匿名")))
        self.fields["complainant_kind"].choices = kinds


class ComplaintSettingsForm(TextRuleFormMixin, forms.ModelForm):
    class Meta:
        model = ComplaintSettings
        fields = ["allows_anonymous", "contact"]


class RejectForm(TextRuleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("不予受理的理由"),
        max_length=REASON_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("举报人凭回执号可以看到该理由。"),
    )


class CloseForm(TextRuleFormMixin, forms.Form):
    result = forms.CharField(
        label=_("调查核实情况和处理结果"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("举报人凭回执号可以看到办理结果；请勿写入举报人身份。"),
    )


class NoteForm(TextRuleFormMixin, forms.Form):
    text = forms.CharField(
        label=_("调查记录"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class LinkForm(forms.Form):
    application = forms.ModelChoiceField(
        label=_("涉及的申报"), queryset=None, required=False, empty_label=_("无")
    )
    expert = forms.ModelChoiceField(
        label=_("涉及的评审专家"), queryset=None, required=False, empty_label=_("无")
    )
    honour = forms.ModelChoiceField(
        label=_("涉及的荣誉"),
        queryset=None,
        required=False,
        empty_label=_("无"),
        help_text=_("选择荣誉时，涉及的申报自动取该荣誉对应的申报。"),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = choices["applications"]
        self.fields["application"].label_from_instance = lambda a: f"{a.cycle}：{a.name}"
        self.fields["expert"].queryset = choices["experts"]
        self.fields["honour"].queryset = choices["honours"]
        self.fields["honour"].label_from_instance = lambda h: (
            f"{h.serial}　{h.holder_name}（{h.get_category_display()}）"
        )


class OpenCaseForm(OnceFormMixin, TextRuleFormMixin, forms.Form):
    grounds = forms.ModelMultipleChoiceField(
        label=_("撤销情形"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(
        label=_("案由"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("写明举报反映的事实和初步核实情况；不写举报人身份。"),
    )

    def __init__(self, *args, grounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grounds"].queryset = grounds
        self.fields["grounds"].label_from_instance = lambda g: f"{g.citation}：{g.text}"


class DisqualifyForm(TextRuleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("取消评审资格的事实和理由"),
        max_length=REASON_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

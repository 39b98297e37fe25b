"""Forms of the 公示 part: the office's settings and decisions, the public's objection."""

from django import forms
from django.utils.translation import gettext_lazy as _

from award.forms.once import OnceFormMixin
from award.forms.text import TextRuleFormMixin
from award.text import REASON_TEXT
from decisions.enums import ObjectorKind
from decisions.models import Objection, Publicity


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each by its content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class PublicitySettingsForm(TextRuleFormMixin, forms.ModelForm):
    confirm_anonymous = forms.BooleanField(
        label=_("我已知悉：受理匿名异议不同于「不受理匿名异议」的公示惯例，确需受理"),
        required=False,
    )

    class Meta:
        model = Publicity
        fields = ["allows_anonymous_objections", "contact"]


class DecideForm(TextRuleFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("处理结果"),
        choices=[("dismiss", _("异议不成立")), ("uphold", _("异议成立，撤回拟获评资格"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("调查核实情况及处理理由"),
        max_length=REASON_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("将告知异议人（凭回执号查询）；异议成立的，同时告知申报人。"),
    )


class ObjectionForm(OnceFormMixin, TextRuleFormMixin, forms.Form):
    """The public's objection; the service checks the rules (kind, identity, files)."""

    application = forms.TypedChoiceField(
        label=_("异议对象"), coerce=int, required=False, empty_value=None
    )
    objector_kind = forms.ChoiceField(
        label=_("提出方式"), widget=forms.RadioSelect, initial=ObjectorKind.PERSON
    )
    name = forms.CharField(
        label=_("姓名或单位名称"),
        required=False,
        max_length=Objection._meta.get_field("name").max_length,
    )
    id_number = forms.CharField(
        label=_("身份证号码（个人填写）"),
        required=False,
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    contact_person = forms.CharField(
        label=_("单位联系人（单位填写）"),
        required=False,
        max_length=Objection._meta.get_field("contact_person").max_length,
    )
    phone = forms.CharField(
        label=_("联系电话"),
        required=False,
        max_length=Objection._meta.get_field("phone").max_length,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    reasons = forms.CharField(
        label=_("异议内容及理由"),
        required=False,
        max_length=Objection._meta.get_field("reasons").max_length,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("请写明具体事实，并尽量提供证明材料。"),
    )
    seal_letter = forms.FileField(
        label=_("加盖单位公章的异议书（单位填写）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    evidence = MultipleFileField(label=_("证明材料"), required=False)

    def __init__(self, *args, applications=(), allows_anonymous=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [("", _("请选择"))] + [
            (a.pk, f"{a.name}（{a.county.name}）") for a in applications
        ]
        kinds = [
            (ObjectorKind.PERSON, _("个人实名")),
            (ObjectorKind.UNIT, _("单位实名")),
        ]
        if allows_anonymous:
            kinds.append((ObjectorKind.ANONYMOUS, _("匿名")))
        self.fields["objector_kind"].choices = kinds


class ReceiptLookupForm(TextRuleFormMixin, forms.Form):
    code = forms.CharField(
        label=_("受理回执号"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

"""Forms of the periodic assessment pages (第二十五条)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from award.forms.once import OnceFormMixin
from award.models import Agency, Cycle
from award.text import LONG_TEXT, NOTE_TEXT, REASON_TEXT
from decisions.selectors.honours import PUBLISHED_PHASES
from revocation.enums import AssessmentOutcome

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def textarea(rows):
    return forms.Textarea(attrs={"rows": rows})


class LabelledChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class RoundForm(OnceFormMixin, forms.Form):
    name = forms.CharField(label=_("评估名称"), max_length=100)
    year = forms.IntegerField(label=_("评估年度"), min_value=2000, max_value=2100)
    due_on = forms.DateField(label=_("完成期限"), widget=DATE_INPUT)
    cycles = LabelledChoices(
        label=_("覆盖届次"),
        queryset=Cycle.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("为所选届次每一项有效荣誉建立一条评估记录。"),
    )
    agency = forms.ModelChoiceField(
        label=_("协助评估的第三方机构"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("（由质量强市办自行评估）"),
        help_text=_("第二十五条：质量强市办组织或者聘请第三方机构协助实施定期评估。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycles"].queryset = Cycle.objects.filter(phase__in=PUBLISHED_PHASES).order_by(
            "-number"
        )
        self.fields["agency"].queryset = Agency.objects.order_by("name")


class FindingsForm(forms.Form):
    lawful = forms.CharField(
        label=_("守法经营"), max_length=LONG_TEXT, required=False, widget=textarea(3)
    )
    leadership = forms.CharField(
        label=_("示范引领"), max_length=LONG_TEXT, required=False, widget=textarea(3)
    )
    improvement = forms.CharField(
        label=_("持续改进"), max_length=LONG_TEXT, required=False, widget=textarea(3)
    )
    proposed_outcome = forms.ChoiceField(
        label=_("建议结论"),
        choices=[("", _("（暂不建议）")), *AssessmentOutcome.choices],
        required=False,
    )
    files = MultipleFileField(
        label=_("证明材料"), help_text=_("PDF、JPG、PNG或Word（DOCX）格式，可多选。")
    )


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("评估结论"), choices=AssessmentOutcome.choices, widget=forms.RadioSelect
    )
    interview_on = forms.DateField(label=_("约谈日期"), required=False, widget=DATE_INPUT)
    interview_attendees = forms.CharField(label=_("参加人员"), max_length=NOTE_TEXT, required=False)
    interview_minutes = forms.CharField(
        label=_("约谈纪要"), max_length=LONG_TEXT, required=False, widget=textarea(3)
    )
    follow_up = forms.CharField(
        label=_("整改要求"), max_length=REASON_TEXT, required=False, widget=textarea(2)
    )
    follow_up_due = forms.DateField(label=_("整改期限"), required=False, widget=DATE_INPUT)
    grounds = LabelledChoices(
        label=_("撤销情形（认定不符合条件时选择）"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm = forms.BooleanField(
        label=_("我已核对评估情况；结论认定后不能修改，认定不符合条件的将据此立案。"),
        required=True,
    )

    def __init__(self, *args, grounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grounds"].queryset = grounds

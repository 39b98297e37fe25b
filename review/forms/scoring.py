"""Forms of the expert's and the group leader's pages; the services do the real checking."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from award.forms.text import TextRuleFormMixin
from award.text import LONG_TEXT, NOTE_TEXT, REASON_TEXT
from review.scoring import BANDS, clean_percentage

NO_CONFLICT, CONFLICT = "none", "conflict"
CONSENSUS_TARGET = "consensus"


def percentage_choices():
    """The percentages grouped by scoring band, for a <select>."""
    return [("", _("请选择"))] + [
        (band.label, [(str(v), f"{v}%") for v in band.choices]) for band in BANDS
    ]


class ScoreForm(TextRuleFormMixin, forms.Form):
    """One item: the percentage (checked against the bands by the service) and comments."""

    percentage = forms.CharField(
        label=_("得分比例"),
        error_messages={"required": _("请选择本项的得分比例，优势和改进机会随得分一并保存。")},
    )
    strengths = forms.CharField(
        label=_("优势"), required=False, max_length=REASON_TEXT, widget=forms.Textarea
    )
    opportunities = forms.CharField(
        label=_("改进机会"), required=False, max_length=REASON_TEXT, widget=forms.Textarea
    )

    def clean(self):
        # The band rule here as well as in the service, so that one refusal names every
        # problem of the item (a percentage off the steps and invisible characters).
        cleaned = super().clean()
        if "percentage" in cleaned:
            try:
                cleaned["percentage"] = clean_percentage(cleaned["percentage"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class ConflictForm(TextRuleFormMixin, forms.Form):
    """回避声明 (第二十条): no relationship, or the relationship described."""

    has_conflict = forms.ChoiceField(
        label=_("与申报主体的利害关系"),
        choices=[
            (NO_CONFLICT, _("无利害关系")),
            (CONFLICT, _("存在利害关系，申请回避")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择有无利害关系。")},
    )
    relationship = forms.CharField(
        label=_("利害关系说明"),
        required=False,
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如在该单位任职或近三年内任职、有亲属在该单位、存在业务往来等。"),
    )

    def __init__(self, *args, conflict_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        if conflict_only:  # no conflict was declared already; only a conflict may follow
            self.fields["has_conflict"].choices = [(CONFLICT, _("存在利害关系，申请回避"))]
            self.fields["has_conflict"].initial = CONFLICT

    @property
    def declares_conflict(self) -> bool:
        return self.cleaned_data.get("has_conflict") == CONFLICT


class SiteVisitForm(TextRuleFormMixin, forms.Form):
    visited_on = forms.DateField(
        label=_("现场评审日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("请填写现场评审日期。"),
            "invalid": _("请按“年-月-日”填写日期。"),
        },
    )
    issues_found = forms.CharField(
        label=_("发现的问题"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CorrectionForm(TextRuleFormMixin, forms.Form):
    """A change after sign-off: a new audited row with its reason (DESIGN.md §9)."""

    criterion = forms.ModelChoiceField(
        label=_("评分项"),
        queryset=None,
        empty_label=_("请选择"),
        error_messages={"required": _("请选择要更正的评分项。")},
    )
    target = forms.ChoiceField(label=_("更正对象"))
    percentage = forms.CharField(
        label=_("更正后的得分比例"),
        widget=forms.Select(choices=percentage_choices()),
        error_messages={"required": _("请选择更正后的得分比例。")},
    )
    reason = forms.CharField(
        label=_("更正原因"),
        max_length=REASON_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写更正原因。")},
    )

    def __init__(self, *args, criteria, experts, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["criterion"]
        field.queryset = criteria
        field.label_from_instance = lambda c: f"{c.code} {c.name}（{c.points}分）"
        self.fields["target"].choices = [(CONSENSUS_TARGET, _("合议分"))] + [
            (str(expert.pk), _("专家评分：%(name)s") % {"name": expert.name}) for expert in experts
        ]
        self.experts = {str(expert.pk): expert for expert in experts}

    @property
    def expert(self):
        """None for the consensus item; the Expert whose own score is corrected otherwise."""
        return self.experts.get(self.cleaned_data.get("target"))

"""Forms of the candidate list: minimum scores per applicant kind, nominating ticked rows."""

from django import forms
from django.utils.translation import gettext_lazy as _

from award.forms.fields import IdMultipleChoiceField


class MinimumScoreForm(forms.Form):
    min_score_unit = forms.DecimalField(
        label=_("单位类最低分"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text=_("留空表示不设最低分。"),
    )
    min_score_individual = forms.DecimalField(
        label=_("个人类最低分"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text=_("留空表示不设最低分。"),
    )


class NominateForm(forms.Form):
    """Reviewed applications of the cycle ticked (or one, from its own button)."""

    applications = IdMultipleChoiceField(
        label=_("列入候选名单的申报"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("请至少勾选一件申报。"),
            "invalid_choice": _("所选申报不在本届评审完成的申报之中，请刷新页面后重试。"),
        },
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = queryset

    def chosen_in_order(self):
        chosen = {a.pk: a for a in self.cleaned_data["applications"]}
        order = [int(pk) for pk in self.data.getlist("applications") if str(pk).isdigit()]
        return [chosen[pk] for pk in dict.fromkeys(order) if pk in chosen]

"""Forms of the deliberation: opening a meeting, a member's ballot, recording a resolution."""

from django import forms
from django.utils.translation import gettext_lazy as _

from award.forms.fields import IdMultipleChoiceField
from award.forms.text import TextRuleFormMixin
from decisions.enums import VoteChoice
from decisions.models import Meeting

DATE_FORMAT = "%Y-%m-%d"


class MemberChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name or obj.get_username()


class MeetingOpenForm(TextRuleFormMixin, forms.Form):
    held_on = forms.DateField(
        label=_("会议日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        input_formats=[DATE_FORMAT],
    )
    place = forms.CharField(
        label=_("会议地点"), max_length=Meeting._meta.get_field("place").max_length
    )
    members_present = MemberChoiceField(
        label=_("出席成员"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("出席人数须超过领导小组成员总数的法定比例，方可审议表决。"),
        error_messages={
            "required": _("请勾选出席会议的领导小组成员。"),
            "invalid_choice": _("所选成员不是在职的领导小组成员，请刷新页面后重试。"),
        },
    )
    secret_ballot = forms.BooleanField(
        label=_("无记名投票"),
        required=False,
        help_text=_("无记名投票只保留票数，不记录谁投了什么票。"),
    )

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members_present"].queryset = leaders


class BallotForm(forms.Form):
    """One radio group per candidate put to the vote: field `c<application id>`."""

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        for candidate in self.candidates:
            self.fields[f"c{candidate.application_id}"] = forms.ChoiceField(
                label=candidate.application.name,
                choices=VoteChoice.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("请对该候选对象作出表决。")},
            )

    def rows(self):
        return [(candidate, self[f"c{candidate.application_id}"]) for candidate in self.candidates]

    def choices(self) -> dict[int, str]:
        return {
            candidate.application_id: self.cleaned_data[f"c{candidate.application_id}"]
            for candidate in self.candidates
        }


class ResolutionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("审议结果"),
        choices=VoteChoice.choices,
        error_messages={"required": _("请选择审议结果。")},
    )

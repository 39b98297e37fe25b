"""Forms for cycles (届): their dates and limits, a step's reason, engaging the agency."""

from django import forms
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from award.enums import CyclePhase
from award.forms.once import OnceFormMixin
from award.forms.text import TextRuleFormMixin
from award.models import Agency, Cycle, Rulebook
from award.services.cycles import CYCLE_FIELDS, FIXED_ONCE_ANNOUNCED
from award.text import REASON_TEXT

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DATE_FORMAT = "%Y-%m-%d"


class CycleForm(OnceFormMixin, forms.ModelForm):
    """Create or edit a cycle; `Cycle.clean` puts deadline and rulebook errors by their fields."""

    class Meta:
        model = Cycle
        fields = list(CYCLE_FIELDS)
        widgets = {
            "application_deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
            ),
            "preliminary_deadline": forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
            "recheck_deadline": forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
            "review_deadline": forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        }
        help_texts = {
            "number": _("市长质量奖每两年评审一次（第四条）。"),
            "rulebook": _("评定规则须在申报截止日有效（第二十六条）。"),
            "application_deadline": _("北京时间；申报通知发布后只能改为将来的时间。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rulebook"].queryset = Rulebook.objects.order_by("-effective_from")
        self.fields["application_deadline"].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        if self.instance.pk is None:
            latest = Cycle.objects.aggregate(latest=Max("number"))["latest"] or 0
            self.initial.setdefault("number", latest + 1)
            self.initial.setdefault("year", timezone.localdate().year)
        elif self.instance.phase == CyclePhase.ANNOUNCED:
            for name in FIXED_ONCE_ANNOUNCED:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("申报通知已发布，不能再修改。")


class CycleTransitionForm(TextRuleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=REASON_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("可选；记入审计记录。"),
    )


class CycleAgencyForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("承担评审的第三方机构"),
        queryset=Agency.objects.order_by("name"),
        empty_label=_("（请选择）"),
        help_text=_("由质量强市办选择确定（第七条第（二）项）；专家评审开始后不能更换。"),
        error_messages={"required": _("请选择第三方机构。")},
    )

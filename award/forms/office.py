"""Forms for the office's reference data: counties, holiday schedules, agencies."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from award.forms.once import OnceFormMixin
from award.forms.text import TextRuleFormMixin
from award.models import Agency, County, HolidaySchedule

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_is_valid(code: str) -> bool:
    """GB 32100-2015: 18 characters, the last a MOD 31 check character."""
    if len(code) != 18 or any(char not in USCC_CHARS for char in code):
        return False
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(code[:17], USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31] == code[17]


class CountyForm(OnceFormMixin, TextRuleFormMixin, forms.ModelForm):
    class Meta:
        model = County
        fields = ["name", "code", "sort_order", "is_active"]
        help_texts = {
            "code": _("6位行政区划代码；管委会等没有代码的可不填。"),
            "sort_order": _("数字小的排在前面。"),
            "is_active": _("停用后不再出现在申报单位可选的县区中，已有数据不受影响。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].validators.append(
            RegexValidator(r"^\d{6}$", _("行政区划代码应为6位数字。"))
        )

    def clean_code(self):
        return self.cleaned_data["code"] or None


class AgencyForm(OnceFormMixin, TextRuleFormMixin, forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "uscc", "contact_name", "contact_phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_phone"].validators.append(
            RegexValidator(
                r"^[0-9+\-() ]{7,20}$",
                _("请填写有效的电话号码，例如 0539-8888888 或 13812345678。"),
            )
        )

    def clean_uscc(self):
        code = self.cleaned_data["uscc"].strip().upper()
        if code and not uscc_is_valid(code):
            raise forms.ValidationError(
                _("统一社会信用代码不正确：应为18位，且校验位符合GB 32100-2015。")
            )
        return code


class HolidayScheduleForm(OnceFormMixin, TextRuleFormMixin, forms.ModelForm):
    class Meta:
        model = HolidaySchedule
        fields = ["year", "source"]
        help_texts = {
            "source": _(
                "例如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）"
            ),
        }

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("请填写2000至2100之间的年度。"))
        return year


class CalendarDayForm(TextRuleFormMixin, forms.Form):
    date = forms.DateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    is_workday = forms.TypedChoiceField(
        label=_("安排"),
        choices=[("0", _("放假")), ("1", _("调休上班"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("说明"), max_length=60, required=False, help_text=_("例如：国庆节、春节调休上班")
    )

    def __init__(self, *args, schedule, **kwargs):
        super().__init__(*args, **kwargs)
        self.schedule = schedule

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date.year != self.schedule.year:
            raise forms.ValidationError(
                _("日期必须在%(year)s年内。") % {"year": self.schedule.year}
            )
        return date

"""Forms of the application pages: profiles, the 申报表 steps, uploads, review opinions."""

import unicodedata
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.eligibility import full_years_between
from applications.enums import ApplicationState, DocumentKind
from applications.form_data import (
    FIGURE_LIMIT,
    FIGURES,
    KEY_FIGURES,
    SIGNED_FIGURES,
    TEXT_MAX_LENGTH,
    TEXT_SECTIONS,
    key_figure_years,
)
from applications.models import IndividualProfile, UnitProfile
from applications.models.documents import ALLOWED_TYPES
from applications.selectors_pages import active_counties
from applications.services.profiles import INDIVIDUAL_FIELDS, UNIT_FIELDS
from applications.validators import normalise_identifier
from award.enums import ApplicantKind
from award.forms.fields import IdMultipleChoiceField
from award.forms.once import OnceFormMixin
from award.forms.text import TextRuleFormMixin
from award.forms.widgets import FilterSelect
from award.text import REASON_TEXT
from award.uploads import kinds_label

DATE_FORMAT = "%Y-%m-%d"
# Above 1000亿元 a figure in 万元 is almost surely typed in 元: refuse it (the service's own
# limit, FIGURE_LIMIT, is a last guard against nonsense).
PLAUSIBLE_FIGURE_LIMIT = min(Decimal("10000000"), FIGURE_LIMIT)


def date_widget():
    return forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT)


def half_width(value):
    """Full-width digits and letters typed with a Chinese input method, as ASCII."""
    return unicodedata.normalize("NFKC", value) if isinstance(value, str) else value


class IdentifierField(forms.CharField):
    """A code typed with spaces, in lower case or full width is normalised before the model
    checks it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalise_identifier(super().to_python(half_width(value)))


class FigureField(forms.DecimalField):
    """An amount in 万元; thousands separators and full-width digits are accepted."""

    def to_python(self, value):
        if isinstance(value, str):
            value = half_width(value).replace(",", "").replace(" ", "")
        return super().to_python(value)


class UnitProfileForm(TextRuleFormMixin, forms.ModelForm):
    uscc = IdentifierField(
        label=_("统一社会信用代码"),
        help_text=_("18位，见营业执照。"),
        error_messages={"required": _("请填写统一社会信用代码。")},
    )

    class Meta:
        model = UnitProfile
        fields = list(UNIT_FIELDS)
        widgets = {
            "founded_on": date_widget(),
            "main_products": forms.Textarea(attrs={"rows": 3}),
            "address": forms.TextInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = active_counties()
        self.fields["founded_on"].input_formats = [DATE_FORMAT]


class IndividualProfileForm(TextRuleFormMixin, forms.ModelForm):
    id_number = IdentifierField(
        label=_("身份证号码"),
        help_text=_("18位居民身份证号码；仅本人和质量强市办可见完整号码。"),
        error_messages={"required": _("请填写身份证号码。")},
    )

    class Meta:
        model = IndividualProfile
        # The years of quality work are not asked: the service counts them from the start
        # date, so the two can never disagree.
        fields = [name for name in INDIVIDUAL_FIELDS if name != "quality_work_years"]
        widgets = {"birth_date": date_widget(), "quality_work_since": date_widget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = active_counties()
        for name in ("birth_date", "quality_work_since"):
            self.fields[name].input_formats = [DATE_FORMAT]
        since = self.fields["quality_work_since"]
        since.help_text = _(
            "从事质量工作年限按此日期自动计算，无需另行填写；资格审查按此日期计算至申报截止日"
            "（第十二条第（二）项）。"
        )
        saved = self.instance.quality_work_since
        if saved:
            since.help_text += _("按已保存的起始时间，至今已满%(years)s年。") % {
                "years": full_years_between(saved, timezone.localdate())
            }


PROFILE_FORMS = {
    ApplicantKind.UNIT: UnitProfileForm,
    ApplicantKind.INDIVIDUAL: IndividualProfileForm,
}


def figure_field_name(key: str, year) -> str:
    return f"{key}_{year}"


class KeyFiguresForm(forms.Form):
    """近三年主要指标 of a unit, in 万元: one field per figure and year."""

    def __init__(self, *args, cycle, form_data=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = key_figure_years(cycle)
        stored = (form_data or {}).get(KEY_FIGURES) or {}
        for key, label in FIGURES:
            for year in self.years:
                name = figure_field_name(key, year)
                self.fields[name] = FigureField(
                    label=_("%(year)s年%(label)s（万元）") % {"year": year, "label": label},
                    required=False,
                    decimal_places=2,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                    error_messages={
                        "invalid": _("%(year)s年%(label)s应为数字（单位：万元）。")
                        % {"year": year, "label": label}
                    },
                )
                self.initial.setdefault(name, (stored.get(str(year)) or {}).get(key, ""))

    @property
    def rows(self):
        """(label, [bound field per year]) for the table the template draws."""
        return [
            (label, [self[figure_field_name(key, year)] for year in self.years])
            for key, label in FIGURES
        ]

    def clean(self):
        cleaned = super().clean()
        for key, label in FIGURES:
            for year in self.years:
                name = figure_field_name(key, year)
                value = cleaned.get(name)
                if value is None:
                    continue
                words = {"year": year, "label": label}
                if value < 0 and key not in SIGNED_FIGURES:
                    self.add_error(name, _("%(year)s年%(label)s不能为负数。") % words)
                elif abs(value) >= PLAUSIBLE_FIGURE_LIMIT:
                    self.add_error(
                        name,
                        _("%(year)s年%(label)s数值不合理（超过1000亿元），请核对单位是否为万元。")
                        % words,
                    )
        for year in self.years:
            revenue = cleaned.get(figure_field_name("revenue", year))
            exports = cleaned.get(figure_field_name("exports", year))
            name = figure_field_name("exports", year)
            if (
                revenue is not None
                and exports is not None
                and name not in self.errors
                and exports > revenue
            ):
                self.add_error(name, _("%(year)s年出口额不能大于同年营业收入。") % {"year": year})
        return cleaned

    def to_form_data(self) -> dict:
        figures = {}
        for year in self.years:
            figures[str(year)] = {
                key: "" if value is None else str(value)
                for key, _label in FIGURES
                for value in [self.cleaned_data.get(figure_field_name(key, year))]
            }
        return {KEY_FIGURES: figures}


class TextSectionsForm(TextRuleFormMixin, forms.Form):
    """Free-text sections of the 申报表 (主要事迹, 荣誉, 认证, 竞赛成绩)."""

    def __init__(self, *args, kind, keys, form_data=None, **kwargs):
        super().__init__(*args, **kwargs)
        form_data = form_data or {}
        for key, label, required in TEXT_SECTIONS[kind]:
            if key not in keys:
                continue
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                max_length=TEXT_MAX_LENGTH,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 8 if required else 5}),
                help_text=(
                    _("提交前必须填写，不超过%(max)s字。")
                    if required
                    else _("如有请填写，不超过%(max)s字。")
                )
                % {"max": TEXT_MAX_LENGTH},
            )
            self.initial.setdefault(key, form_data.get(key, ""))

    def to_form_data(self) -> dict:
        return {key: self.cleaned_data.get(key, "") for key in self.fields}


def document_kinds_for(kind: str) -> list[tuple[str, str]]:
    kinds = [DocumentKind.SELF_ASSESSMENT, DocumentKind.EVIDENCE]
    if kind == ApplicantKind.INDIVIDUAL:
        kinds.append(DocumentKind.PHOTO)
    kinds.append(DocumentKind.INTERNAL_PUBLICITY_PROOF)
    return [(k.value, k.label) for k in kinds]


class DocumentForm(OnceFormMixin, TextRuleFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("材料类别"), error_messages={"required": _("请选择材料类别。")}
    )
    title = forms.CharField(
        label=_("材料名称"),
        required=False,
        max_length=200,
        help_text=_("证实性材料须填写名称，如“ISO 9001认证证书”。"),
    )
    file = forms.FileField(
        label=_("文件"),
        error_messages={
            "required": _("请选择要上传的文件。"),
            "empty": _("文件为空，请重新选择要上传的文件。"),
            "invalid": _("未收到文件，请重新选择后上传。"),
        },
    )

    def __init__(self, *args, application, **kwargs):
        kwargs.setdefault("auto_id", "id_document_%s")
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("（请选择）")), *document_kinds_for(application.kind)]
        cycle = application.cycle
        self.fields["file"].help_text = _(
            "自我评价报告/个人事迹材料仅限PDF，不超过%(report)sMB；证实性材料可为%(evidence)s，"
            "每个不超过%(limit)sMB。文件类型按内容检查。"
        ) % {
            "report": cycle.self_assessment_max_mb,
            "evidence": kinds_label(ALLOWED_TYPES[DocumentKind.EVIDENCE]),
            "limit": cycle.evidence_max_mb,
        }
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"

    def clean(self):
        cleaned = super().clean()
        untitled = not cleaned.get("title") and "title" not in self.errors
        if cleaned.get("kind") == DocumentKind.EVIDENCE and untitled:
            self.add_error("title", _("请填写材料名称。"))
        return cleaned


class DeclarationsForm(TextRuleFormMixin, forms.Form):
    signed_name = forms.CharField(
        label=_("签名"),
        max_length=40,
        error_messages={"required": _("请输入签名。")},
    )

    def __init__(self, *args, signer_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_name"].help_text = _(
            "输入%(who)s即表示对以上承诺负责，须与申报主体信息一致。"
        ) % {"who": signer_label}


class SubmitForm(OnceFormMixin, forms.Form):
    """Submitting takes no input; the form only carries the CSRF and one-time tokens."""


def reason_field(label, required_message, *, required=True, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        error_messages={"required": required_message},
    )


class WithdrawForm(TextRuleFormMixin, forms.Form):
    reason = reason_field(
        _("撤回原因"),
        _("请填写撤回原因。"),
        help_text=_("撤回后本届不能再次申报；原因记入审计记录，并告知县区和质量强市办。"),
    )


class RecommendForm(TextRuleFormMixin, forms.Form):
    opinion = reason_field(
        _("初审推荐意见"),
        _("请填写初审推荐意见。"),
        help_text=_("申报人和质量强市办可见。"),
    )


class ReturnForm(TextRuleFormMixin, forms.Form):
    reason = reason_field(
        _("退回修改的原因"),
        _("请填写退回修改的原因。"),
        help_text=_("申报人将看到这段说明，请写明需要修改或补充的内容。"),
    )


class DeclineForm(TextRuleFormMixin, forms.Form):
    reason = reason_field(
        _("不予推荐的理由"), _("请填写不予推荐的理由。"), help_text=_("申报人将看到这段说明。")
    )


class AcceptForm(TextRuleFormMixin, forms.Form):
    opinion = reason_field(_("复核意见"), "", required=False, help_text=_("可选。"))


class RejectForm(TextRuleFormMixin, forms.Form):
    reason = reason_field(
        _("复核不通过的理由"),
        _("请填写复核不通过的理由。"),
        help_text=_("申报人和所属县区将看到这段说明。"),
    )


class QueueFilterForm(forms.Form):
    """Filters of the county's list; values that are not choices are ignored."""

    state = forms.ChoiceField(label=_("状态"), required=False, widget=FilterSelect)
    kind = forms.ChoiceField(label=_("类型"), required=False, widget=FilterSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("全部状态")), *ApplicationState.choices]
        self.fields["kind"].choices = [("", _("全部类型")), *ApplicantKind.choices]

    def value(self, name):
        """The field's value if valid, else empty: a bad filter is ignored, not an error."""
        self.is_valid()
        return self.cleaned_data.get(name) or ("" if name in ("state", "kind") else None)


class OfficeFilterForm(QueueFilterForm):
    cycle = forms.ModelChoiceField(
        label=_("届次"), required=False, queryset=None, widget=FilterSelect
    )
    county = forms.ModelChoiceField(
        label=_("县区"), required=False, queryset=None, widget=FilterSelect
    )

    field_order = ["cycle", "county", "state", "kind"]

    def __init__(self, *args, cycles, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles
        self.fields["cycle"].empty_label = _("全部届次")
        self.fields["county"].queryset = counties
        self.fields["county"].empty_label = _("全部县区")


BATCH_CHOICES = [
    ("accept", _("复核通过")),
    ("return", _("退回修改")),
    ("reject", _("复核不通过")),
]


class BatchForm(TextRuleFormMixin, forms.Form):
    applications = IdMultipleChoiceField(
        label=_("所选申报"),
        queryset=None,
        error_messages={
            "required": _("请至少勾选一件申报。"),
            "invalid_choice": _("所选申报不存在或不在您的办理范围内。"),
            "invalid_pk_value": _("所选申报不存在或不在您的办理范围内。"),
        },
    )
    action = forms.ChoiceField(
        label=_("批量操作"),
        choices=[("", _("（请选择）")), *BATCH_CHOICES],
        error_messages={"required": _("请选择批量操作。")},
    )
    reason = reason_field(
        _("意见或原因"),
        "",
        required=False,
        help_text=_("退回修改和复核不通过必须填写，对所选申报同样适用。"),
    )

    def __init__(self, *args, queryset, **kwargs):
        kwargs.setdefault("auto_id", "id_batch_%s")
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = queryset

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") in ("return", "reject") and not cleaned.get("reason"):
            self.add_error("reason", _("退回修改和复核不通过必须填写原因。"))
        return cleaned

    def chosen_in_order(self) -> list:
        """The chosen applications in the order they were ticked on the page."""
        order = {str(pk): index for index, pk in enumerate(self.data.getlist("applications"))}
        return sorted(self.cleaned_data["applications"], key=lambda a: order.get(str(a.pk), 0))

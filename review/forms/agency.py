"""Forms of the agency's and the office's review pages: experts, plan, groups, checks, criteria."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.forms import IdentifierField
from applications.selectors_pages import active_counties
from applications.validators import phone_validator, validate_uscc
from award.enums import ApplicantKind
from award.forms.fields import IdMultipleChoiceField
from award.forms.once import OnceFormMixin
from award.forms.text import TextRuleFormMixin
from award.text import LONG_TEXT, REASON_TEXT
from review.enums import Aggregation
from review.models import CriteriaSet, Expert, ReviewGroup, Speciality
from review.models.plans import MIN_GROUP_FLOOR

DATE_FORMAT = "%Y-%m-%d"
WEIGHT_FIELDS = ("materials_weight", "site_visit_weight", "defence_weight")
REASON_MAX_LENGTH = REASON_TEXT


def date_widget():
    return forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT)


def reason_field(label, help_text="", required=True):
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        strip=True,
    )


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.employer}）"


class ExpertMultipleChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.employer}）"


# 专家库


class ExpertForm(TextRuleFormMixin, forms.Form):
    """An expert's details; on create also the account's email and login name."""

    name = forms.CharField(label=_("姓名"), max_length=40)
    employer = forms.CharField(label=_("工作单位"), max_length=120)
    employer_uscc = IdentifierField(
        label=_("工作单位统一社会信用代码"),
        required=False,
        validators=[validate_uscc],
        help_text=_("用于自动识别回避：与申报单位相同即自动回避。"),
    )
    specialities = IdMultipleChoiceField(
        label=_("专业领域"),
        queryset=Speciality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    county = forms.ModelChoiceField(
        label=_("所在县区"),
        queryset=active_counties(),
        required=False,
        empty_label=_("（市外或不限）"),
        help_text=_("评审工作计划要求同县区回避时用于自动识别回避。"),
    )
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=20, required=False, validators=[phone_validator]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialities"].queryset = Speciality.objects.all()
        self.fields["county"].queryset = active_counties()


class ExpertCreateForm(OnceFormMixin, ExpertForm):
    email = forms.EmailField(
        label=_("电子邮箱"),
        help_text=_("专家凭此邮箱通过“找回密码”设置自己的登录密码。"),
    )
    username = forms.CharField(
        label=_("登录名"),
        max_length=150,
        required=False,
        help_text=_("可不填，不填则以电子邮箱作为登录名。"),
    )
    mobile = forms.CharField(
        label=_("手机号码"), max_length=20, required=False, validators=[phone_validator]
    )

    field_order = ["name", "email", "username", "mobile", "employer", "employer_uscc"]


class ExpertUpdateForm(ExpertForm):
    is_active = forms.BooleanField(
        label=_("在库"), required=False, help_text=_("不在库的专家不再参加新的评审分组。")
    )

    @classmethod
    def initial_for(cls, expert: Expert) -> dict:
        return {
            "name": expert.name,
            "employer": expert.employer,
            "employer_uscc": expert.employer_uscc,
            "specialities": list(expert.specialities.all()),
            "county": expert.county_id,
            "contact_phone": expert.contact_phone,
            "is_active": expert.is_active,
        }


class DisqualifyForm(TextRuleFormMixin, forms.Form):
    reason = reason_field(
        _("取消评审资格的事实和理由"),
        help_text=_("如滥用职权、玩忽职守、徇私舞弊等情形及其后果（第二十二条）。"),
    )


# 评审工作计划


class PlanForm(forms.Form):
    starts_on = forms.DateField(label=_("评审开始日期"), required=False, widget=date_widget())
    ends_on = forms.DateField(label=_("评审结束日期"), required=False, widget=date_widget())
    materials_weight = forms.IntegerField(label=_("材料评审权重（%）"), min_value=0, max_value=100)
    site_visit_weight = forms.IntegerField(label=_("现场评审权重（%）"), min_value=0, max_value=100)
    defence_weight = forms.IntegerField(label=_("陈述答辩权重（%）"), min_value=0, max_value=100)
    min_group_size = forms.IntegerField(
        label=_("评审组最少专家人数"),
        min_value=MIN_GROUP_FLOOR,
        max_value=99,
        help_text=_("回避后每件申报仍须有不少于此数的专家评审；去掉最高分和最低分须至少3人。"),
        error_messages={
            "min_value": _("评审组最少专家人数不能少于%(limit_value)s人。"),
        },
    )
    aggregation = forms.ChoiceField(label=_("环节得分计算规则"), choices=Aggregation.choices)
    unit_criteria = forms.ModelChoiceField(
        label=_("单位评分标准"), queryset=CriteriaSet.objects.none(), empty_label=None
    )
    individual_criteria = forms.ModelChoiceField(
        label=_("个人评分标准"), queryset=CriteriaSet.objects.none(), empty_label=None
    )
    award_min_percent = forms.IntegerField(
        label=_("市长质量奖最低得分率（%）"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("可不设；设定后得分率低于此值的不列入该类别候选。"),
    )
    nomination_min_percent = forms.IntegerField(
        label=_("提名奖最低得分率（%）"), min_value=0, max_value=100, required=False
    )
    exclude_same_county = forms.BooleanField(
        label=_("同县区专家回避"),
        required=False,
        help_text=_("选中后，专家不评审本县区的申报。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_criteria"].queryset = CriteriaSet.objects.filter(kind=ApplicantKind.UNIT)
        self.fields["individual_criteria"].queryset = CriteriaSet.objects.filter(
            kind=ApplicantKind.INDIVIDUAL
        )

    @classmethod
    def initial_for(cls, plan) -> dict:
        if plan is None:
            return {
                "materials_weight": 40,
                "site_visit_weight": 40,
                "defence_weight": 20,
                "min_group_size": 5,
                "aggregation": Aggregation.CONSENSUS,
                "unit_criteria": CriteriaSet.objects.filter(
                    kind=ApplicantKind.UNIT, is_default=True
                ).first(),
                "individual_criteria": CriteriaSet.objects.filter(
                    kind=ApplicantKind.INDIVIDUAL, is_default=True
                ).first(),
            }
        return {name: getattr(plan, name) for name in cls.base_fields}

    def clean(self):
        cleaned = super().clean()
        weights = [cleaned.get(name) for name in WEIGHT_FIELDS]
        if all(weight is not None for weight in weights) and sum(weights) != 100:
            self.add_error(
                "materials_weight",
                _("材料评审、现场评审、陈述答辩的权重之和须为100%%，现为%(total)s%%。")
                % {"total": sum(weights)},
            )
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("评审结束日期不能早于开始日期。"))
        return cleaned


# 评审组与分配


class GroupForm(OnceFormMixin, TextRuleFormMixin, forms.Form):
    name = forms.CharField(label=_("评审组名称"), max_length=60)
    leader = ExpertChoiceField(
        label=_("组长"),
        queryset=Expert.objects.none(),
        empty_label=_("请选择组长"),
        help_text=_("组长负责制：组长主持合议并签字确认。"),
    )
    members = ExpertMultipleChoiceField(
        label=_("成员"),
        queryset=Expert.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("组长自动计入成员；每位专家在同一届只能参加一个评审组。"),
    )

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = experts
        self.fields["members"].queryset = experts


class AssignForm(forms.Form):
    """Give one application to a group by hand."""

    application = forms.IntegerField(widget=forms.HiddenInput)
    group = forms.ModelChoiceField(
        label=_("评审组"), queryset=ReviewGroup.objects.none(), empty_label=_("请选择评审组")
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class AssignmentRemoveForm(TextRuleFormMixin, forms.Form):
    reason = reason_field(
        _("撤销分配的原因"),
        help_text=_("如专家被取消评审资格或回避后评审组人数不足，需要改由其他评审组评审。"),
    )


class BatchStartForm(forms.Form):
    applications = forms.TypedMultipleChoiceField(
        label=_("申报"),
        coerce=int,
        choices=(),
        error_messages={"required": _("请至少勾选一件申报。")},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].choices = choices


# 舆情调查 / 资格审查


class CheckForm(TextRuleFormMixin, forms.Form):
    evidence = forms.CharField(
        label=_("调查或审查情况"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("填写调查或审查的方法、范围和结论；也可以只上传证明材料。"),
    )
    evidence_file = forms.FileField(
        label=_("证明材料"), required=False, help_text=_("PDF、JPG或PNG文件。")
    )


class CheckFailForm(CheckForm):
    reason = reason_field(
        _("不通过的理由"), help_text=_("将记入评审记录并告知申报主体（一票否决）。")
    )


# 评分标准


class CriteriaCopyForm(TextRuleFormMixin, forms.Form):
    name = forms.CharField(label=_("副本名称"), max_length=120)


class CriterionForm(TextRuleFormMixin, forms.Form):
    """One row of a set; its inputs sit in the table's cells, tied to the row's <form>."""

    name = forms.CharField(label=_("评分项"), max_length=60)
    points = forms.IntegerField(label=_("分值"), min_value=0, max_value=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["form"] = f"{self.prefix}-form"

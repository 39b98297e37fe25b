"""Forms of the winners' obligations pages (第十八条)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from award.forms.once import OnceFormMixin
from award.text import LONG_TEXT, REASON_TEXT
from decisions.enums import HonourStatus
from decisions.models import Honour
from revocation.forms.assessments import DATE_INPUT, MultipleFileField, textarea


class HonourChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.holder_name}（{obj.cycle}，{obj.get_category_display()}）"


class SharingRequestForm(OnceFormMixin, forms.Form):
    honour = HonourChoiceField(label=_("获评单位/个人"), queryset=Honour.objects.none())
    topic = forms.CharField(label=_("分享主题"), max_length=100)
    details = forms.CharField(
        label=_("具体要求"), max_length=REASON_TEXT, required=False, widget=textarea(3)
    )
    due_on = forms.DateField(label=_("提交期限"), widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["honour"].queryset = (
            Honour.objects.filter(status=HonourStatus.ACTIVE)
            .select_related("cycle")
            .order_by("-cycle__number", "holder_name")
        )


class AnswerForm(forms.Form):
    title = forms.CharField(label=_("经验分享标题"), max_length=100)
    material = forms.CharField(
        label=_("经验分享材料"),
        max_length=LONG_TEXT,
        widget=textarea(8),
        help_text=_("质量管理模式和方法、先进经验和成果；涉及商业机密的内容除外（第十八条）。"),
    )
    files = MultipleFileField(
        label=_("附件"), help_text=_("PDF、JPG、PNG或Word（DOCX）格式，可多选；发布后公众可下载。")
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("拒绝理由"), max_length=REASON_TEXT, widget=textarea(4))
    confirm = forms.BooleanField(
        label=_("我确认书面拒绝本次经验分享；拒绝后不能再提交，质量强市办可据第六章依法处理。"),
        required=True,
    )


class SharingCaseForm(OnceFormMixin, forms.Form):
    summary = forms.CharField(label=_("案由"), max_length=LONG_TEXT, widget=textarea(4))
    confirm = forms.BooleanField(
        label=_("我确认据第二十三条、第二十四条第（七）项立案调查。"), required=True
    )

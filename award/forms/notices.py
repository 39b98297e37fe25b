"""Forms for writing notices, attaching files and withdrawing notices."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from award.forms.once import OnceFormMixin
from award.forms.text import TextRuleFormMixin
from award.models import Cycle, Notice
from award.models.notice import CYCLE_KINDS
from award.services.notices import ATTACHMENT_KINDS
from award.text import REASON_TEXT
from award.uploads import KINDS, kinds_label


class NoticeForm(OnceFormMixin, TextRuleFormMixin, forms.ModelForm):
    class Meta:
        model = Notice
        fields = ["kind", "cycle", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}
        help_texts = {
            "cycle": _(
                "申报通知、公示公告和公布公告必须选择评选届次；发布后该届评选即进入相应阶段。"
            ),
            "body": _("正文按原样显示，空一行分段；不支持 HTML。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = Cycle.objects.order_by("-number")
        self.fields["cycle"].empty_label = _("（不关联届次）")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") in CYCLE_KINDS and not cleaned.get("cycle"):
            self.add_error("cycle", _("申报通知、公示公告和公布公告必须关联评选届次。"))
        return cleaned


class NoticeAttachmentForm(OnceFormMixin, TextRuleFormMixin, forms.Form):
    title = forms.CharField(label=_("附件名称"), max_length=200)
    file = forms.FileField(label=_("文件"))

    def __init__(self, *args, **kwargs):
        # Shown beside the notice form on one page: keep the element ids apart.
        kwargs.setdefault("auto_id", "id_attachment_%s")
        super().__init__(*args, **kwargs)
        extensions = [
            f".{extension}" for code in ATTACHMENT_KINDS for extension in KINDS[code].extensions
        ]
        self.fields["file"].widget.attrs["accept"] = ",".join(sorted(extensions))
        self.fields["file"].help_text = _("支持%(kinds)s，单个文件不超过%(limit)sMB。") % {
            "kinds": kinds_label(ATTACHMENT_KINDS),
            "limit": settings.NOTICE_ATTACHMENT_MAX_MB,
        }


class NoticeWithdrawForm(TextRuleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("撤回原因"),
        max_length=REASON_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("撤回原因记入审计记录。"),
        error_messages={"required": _("请填写撤回原因。")},
    )

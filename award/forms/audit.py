"""Filtering the audit trail (DESIGN.md §9)."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from award.audit_labels import action_filter_choices
from award.models import AuditEntry


class ContentTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj.model_class()._meta.verbose_name) if obj.model_class() else obj.model


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("操作"), required=False)
    actor = forms.CharField(label=_("操作人账号"), required=False, max_length=150)
    object_type = ContentTypeChoiceField(
        label=_("对象类型"),
        queryset=ContentType.objects.none(),
        required=False,
        empty_label=_("全部"),
    )
    object_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("全部")), *action_filter_choices()]
        # Only the kinds of object the trail actually mentions.
        self.fields["object_type"].queryset = ContentType.objects.filter(
            pk__in=AuditEntry.objects.exclude(content_type=None).values("content_type")
        ).order_by("app_label", "model")

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return cleaned

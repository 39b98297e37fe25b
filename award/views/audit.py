"""审计记录: the office and auditors read the hash-chained trail (DESIGN.md §9)."""

import json

from django.urls import path
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from award.audit_labels import action_label, field_label, field_value
from award.forms.audit import AuditFilterForm
from award.models import AuditEntry
from award.permissions import STAFF_READERS, RoleRequiredMixin
from award.selectors.audit import audit_entries_for, audit_entry_for
from award.services.audit import audit_verify_chain

# The page walks at most this many entries per request; `manage.py verify_audit` walks all.
VERIFY_PAGE_LIMIT = 200_000


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(_shown(item) for item in value) or "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def audit_changes(entry) -> list[tuple[str, str, str]]:
    """(field, before, after) rows in words: one per key when both sides are objects, else
    one row. Keys and values are labelled (award.audit_labels), never shown as codes."""
    before, after = entry.before, entry.after
    if before is None and after is None:
        return []
    model = entry.content_type.model_class() if entry.content_type_id else None
    if isinstance(before or {}, dict) and isinstance(after or {}, dict):
        before, after = before or {}, after or {}
        keys = list(before) + [key for key in after if key not in before]
        return [
            (
                field_label(key, model),
                _shown(field_value(key, before.get(key), model)),
                _shown(field_value(key, after.get(key), model)),
            )
            for key in keys
        ]
    return [("", _shown(before), _shown(after))]


def _label(entry):
    entry.action_label = action_label(entry.action)
    entry.changes = audit_changes(entry)
    return entry


class AuditListView(RoleRequiredMixin, ListView):
    roles = STAFF_READERS
    template_name = "award/audit_list.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self):
        self.form = AuditFilterForm(self.request.GET or None)
        filters = {}
        if self.form.is_bound:
            self.form.is_valid()
            filters = self.form.cleaned_data
            if "object_type" in self.form.errors:
                # A kind of object the trail never mentions: nothing to show, not everything.
                return AuditEntry.objects.none()
        return audit_entries_for(self.request.user, filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=self.form, **kwargs)
        data = self.form.cleaned_data if self.form.is_bound else {}
        if data.get("object_type") and data.get("object_id") and context["entries"]:
            context["subject"] = context["entries"][0]
        for entry in context["entries"]:
            _label(entry)
        return context


class AuditDetailView(RoleRequiredMixin, DetailView):
    roles = STAFF_READERS
    template_name = "award/audit_detail.html"
    context_object_name = "entry"

    def get_object(self, queryset=None):
        return _label(audit_entry_for(self.request.user, self.kwargs["pk"]))


class AuditVerifyView(RoleRequiredMixin, TemplateView):
    """校验审计链: walk the hash chain on request (a GET, so the auditor may run it too) and show
    how many entries held and where the chain breaks, if it does (DESIGN.md §9)."""

    roles = STAFF_READERS
    template_name = "award/audit_verify.html"
    limit = VERIFY_PAGE_LIMIT

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["total"] = AuditEntry.objects.count()
        if self.request.GET.get("run") != "1":
            return context
        checked, broken = audit_verify_chain(limit=self.limit)
        context.update(
            ran=True,
            checked=checked,
            broken=broken,
            partial=broken is None and checked < context["total"],
        )
        if broken is not None and broken.entry_id:
            entry = AuditEntry.objects.filter(pk=broken.entry_id).first()
            context["broken_entry"] = entry and _label(entry)
        return context


urlpatterns = [
    path("audit/verify/", AuditVerifyView.as_view(), name="audit_verify"),
    path("audit/", AuditListView.as_view(), name="audit_list"),
    path("audit/<int:pk>/", AuditDetailView.as_view(), name="audit_detail"),
]

"""审计记录: the office and auditors read the hash-chained trail (DESIGN.md §9)."""

import json

from django.urls import path
from django.views.generic import DetailView, ListView

from award.forms.audit import AuditFilterForm
from award.permissions import STAFF_READERS, RoleRequiredMixin
from award.selectors.audit import audit_entries_for, audit_entry_for


def _shown(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def audit_changes(entry) -> list[tuple[str, str, str]]:
    """(field, before, after) rows: one per key when both sides are objects, else one row."""
    before, after = entry.before, entry.after
    if before is None and after is None:
        return []
    if isinstance(before or {}, dict) and isinstance(after or {}, dict):
        before, after = before or {}, after or {}
        keys = list(before) + [key for key in after if key not in before]
        return [(key, _shown(before.get(key)), _shown(after.get(key))) for key in keys]
    return [("", _shown(before), _shown(after))]


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
        return audit_entries_for(self.request.user, filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=self.form, **kwargs)
        for entry in context["entries"]:
            entry.changes = audit_changes(entry)
        return context


class AuditDetailView(RoleRequiredMixin, DetailView):
    roles = STAFF_READERS
    template_name = "award/audit_detail.html"
    context_object_name = "entry"

    def get_object(self, queryset=None):
        entry = audit_entry_for(self.request.user, self.kwargs["pk"])
        entry.changes = audit_changes(entry)
        return entry


urlpatterns = [
    path("audit/", AuditListView.as_view(), name="audit_list"),
    path("audit/<int:pk>/", AuditDetailView.as_view(), name="audit_detail"),
]

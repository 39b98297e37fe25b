"""{% audit_history_link obj %}: a 「操作记录」 link to the audit trail of one object, shown only to
the office and the auditor (DESIGN.md §9, 第七章)."""

from urllib.parse import urlencode

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from award.permissions import is_staff_reader

register = template.Library()


def audit_history_url(obj) -> str:
    """The audit trail filtered to `obj`."""
    content_type = ContentType.objects.get_for_model(obj)
    query = urlencode({"object_type": content_type.pk, "object_id": obj.pk})
    return f"{reverse('award:audit_list')}?{query}"


@register.inclusion_tag("award/partials/audit_history_link.html", takes_context=True)
def audit_history_link(context, obj):
    user = context.get("user")
    if obj is None or getattr(obj, "pk", None) is None or not is_staff_reader(user):
        return {"url": None}
    return {"url": audit_history_url(obj)}

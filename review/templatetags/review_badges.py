"""{% check_badge passed %}: a 舆情/资格 check's outcome, as review/agency_check_badge.html
writes it, without an include per row of a list."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def check_badge(passed):
    if passed is None:
        return format_html('<span class="text-secondary">{}</span>', _("未记录"))
    if passed:
        return format_html('<span class="badge text-bg-success">{}</span>', _("通过"))
    return format_html('<span class="badge text-bg-danger">{}</span>', _("不通过"))

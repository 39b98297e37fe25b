"""{% state_badge application %}: the state's label in the badge its floor registered."""

from django import template
from django.utils.html import format_html

from applications.presentation import state_badge_class

register = template.Library()


@register.simple_tag
def state_badge(application):
    return format_html(
        '<span class="badge {}">{}</span>',
        state_badge_class(application.state),
        application.get_state_display(),
    )

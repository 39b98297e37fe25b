"""How the portal writes numbers: every score and computed percentage with two decimals."""

from decimal import Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()

MISSING = "—"


def two_decimals(value) -> str:
    """55.1500000000000 → "55.15"; None or "" → "—"."""
    if value is None or value == "":
        return MISSING
    try:
        Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return floatformat(value, 2)


@register.filter
def score(value) -> str:
    return two_decimals(value)


@register.filter
def percent(value) -> str:
    shown = two_decimals(value)
    return shown if shown == MISSING else f"{shown}%"

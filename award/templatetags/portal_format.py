"""How the portal writes numbers and times: every score and computed percentage with two
decimals, a moment in a list to the minute."""

import datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import date, floatformat

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


@register.filter(expects_localtime=True)
def minute(value) -> str:
    """{{ moment|minute }} writes what {{ moment|date:"Y-m-d H:i" }} does (local time, "" for
    none) with one strftime, not Django's format machinery: a list writes it on every row."""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return date(value, "Y-m-d H:i")

"""How the portal writes numbers and times: every score and computed percentage with two
decimals, a moment in a list to the minute."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.template.defaultfilters import date, floatformat
from django.utils.formats import get_format

register = template.Library()

MISSING = "—"


TWO_PLACES = Decimal("0.01")


def two_decimals(value) -> str:
    """55.1500000000000 → "55.15"; None or "" → "—"."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        shown = _two_places(value)
        if shown is not None:
            return shown
    try:
        Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return floatformat(value, 2)


def _two_places(value: Decimal | int) -> str | None:
    """What floatformat(value, 2) writes (half up, "-0.00" as "0.00", the locale's decimal
    separator) in one quantize, for the lists that write hundreds of scores; None where
    floatformat's own way is needed (thousand separators on, a value beyond the context)."""
    if settings.USE_THOUSAND_SEPARATOR:
        return None
    try:
        rounded = Decimal(value).quantize(TWO_PLACES, ROUND_HALF_UP)
    except InvalidOperation:
        return None
    if not rounded.is_finite():
        return None
    if not rounded:
        rounded = abs(rounded)
    return f"{rounded:f}".replace(".", get_format("DECIMAL_SEPARATOR"))


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

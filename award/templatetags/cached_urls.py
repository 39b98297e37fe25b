"""{% cached_url name arg… %}: {% url %} for list rows and the menus, each name reversed once.

A list of 100 rows reverses the same few names 100 times each, every page its menu's 20; here
the first call reverses the name with placeholder arguments and keeps the result as a pattern,
later calls fill in the arguments. Arguments that are not integers or slugs take reverse().
"""

import re
from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

register = template.Library()

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


@lru_cache(maxsize=1024)
def _pattern(urlconf, prefix, language, name, kinds) -> tuple[str, ...] | None:
    """The URL split around its placeholders, or None when it cannot be split cleanly. An
    integer stands in as digits, a slug with letters (so it cannot match an <int:> part)."""
    placeholders = [f"{987654300 + i}" if k == "int" else f"zq{987654300 + i}" for i, k in kinds]
    try:
        url = reverse(name, args=placeholders)
    except NoReverseMatch:
        return None
    parts = [url]
    for placeholder in placeholders:
        head, found, tail = parts[-1].partition(placeholder)
        if not found or placeholder in tail:
            return None
        parts[-1:] = [head, tail]
    return tuple(parts)


@register.simple_tag
def cached_url(name, *args):
    if not all(
        (isinstance(a, int) and not isinstance(a, bool)) or (isinstance(a, str) and SLUG.match(a))
        for a in args
    ):
        return reverse(name, args=args)
    kinds = tuple((i, "int" if isinstance(a, int) else "str") for i, a in enumerate(args))
    parts = _pattern(
        get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language(), name, kinds
    )
    if parts is None:
        return reverse(name, args=args)
    pieces = [parts[0]]
    for arg, tail in zip(args, parts[1:], strict=True):
        pieces += [str(arg), tail]
    return "".join(pieces)

"""Validators for identifiers, contact data and typed text used across the portal."""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$", gettext_lazy("请输入11位中国大陆手机号码，例如 13812345678。")
)

MULTILINE_ALLOWED = frozenset("\t\n\r")
# Cc: C0/C1 controls and DEL; Cf: zero-width and bidi controls (U+200B, U+202E, U+FEFF…);
# Cs: lone surrogates; Zl/Zp: U+2028/U+2029, line breaks no field shows as such.
# Private-use characters stay allowed: some input methods type rare names with them.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def control_character_positions(value: str, *, multiline: bool = False) -> list[int]:
    """1-based positions of the invisible control characters in `value`.

    Tab, CR and LF count as control characters unless `multiline`.
    """
    return [
        index
        for index, char in enumerate(value, start=1)
        if unicodedata.category(char) in INVISIBLE_CATEGORIES
        and not (multiline and char in MULTILINE_ALLOWED)
    ]


def reject_control_characters(value, *, multiline: bool = False, label: str = "") -> None:
    """Refuse text holding characters one cannot see or that break a line where none belongs.

    Single-line text (names, addresses…) may hold none of them, not even a line break;
    `multiline` text may hold tab, CR and LF. The message names the first position, since
    the character itself cannot be seen.
    """
    if not isinstance(value, str):
        return
    positions = control_character_positions(value, multiline=multiline)
    if not positions:
        return
    words = {"label": label or _("内容"), "position": positions[0]}
    if not multiline and all(value[p - 1] in "\r\n\u2028\u2029" for p in positions):
        message = _("%(label)s应在一行内填写，请删除其中的换行。")
    else:
        message = _(
            "%(label)s中含有不可见的控制字符（第%(position)s个字符处），"
            "常见于从网页或文档复制的内容，请删除后重新填写。"
        )
    raise ValidationError(message % words, code="control_characters")


def normalise_line(value: str) -> str:
    """Single-line text trimmed, with each run of spaces (full-width too) made one space."""
    return " ".join(value.split())

"""The one rule for text people type, applied by every form and every service that stores it.

Nothing one cannot see is kept: control characters, zero-width and bidi format characters
(U+200B, U+202E, U+FEFF…), lone surrogates and the Unicode line and paragraph separators
are refused; multi-line text may hold tab, CR and LF. One-line text is trimmed and each run
of spaces (full-width too) made one; multi-line text is trimmed and its line breaks made LF.
Text over its field's limit is refused. A refusal names the field and the position of the
first bad character, since the character itself cannot be seen.
"""

import unicodedata

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _

# Limits, in characters, of multi-line text (one-line fields have their CharField's).
NOTE_TEXT = 500  # a short note: the relationship an expert declares
REASON_TEXT = 2000  # an opinion, a reason, a score comment
LONG_TEXT = 5000  # findings, evidence, a section of the 申报表
NOTICE_TEXT = 20000  # a notice's body

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


def normalise_lines(value: str) -> str:
    """Multi-line text trimmed, its CR LF and lone CR (as browsers send them) made LF."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def too_long_message(label) -> str:
    """The refusal of text over its limit, awaiting MaxLengthValidator's parameters."""
    return _(
        "%(label)s不能超过%%(limit_value)s个字（现有%%(show_value)s个字），请精简后重新填写。"
    ) % {"label": label or _("内容")}


def reject_too_long(value: str, *, max_length: int | None, label: str = "") -> None:
    if max_length is not None and len(value) > max_length:
        raise ValidationError(
            too_long_message(label),
            code="max_length",
            params={"limit_value": max_length, "show_value": len(value)},
        )


def clean_line(value, *, label: str = "", max_length: int | None = None) -> str:
    """One-line text by the rule, or ValidationError; None counts as empty."""
    value = "" if value is None else str(value)
    reject_control_characters(value, label=label)
    value = normalise_line(value)
    reject_too_long(value, max_length=max_length, label=label)
    return value


def clean_text(value, *, label: str = "", max_length: int | None = None) -> str:
    """Multi-line text by the rule, or ValidationError; None counts as empty."""
    value = "" if value is None else str(value)
    reject_control_characters(value, multiline=True, label=label)
    value = normalise_lines(value)
    reject_too_long(value, max_length=max_length, label=label)
    return value


def clean_model_text(model, fields: dict) -> tuple[dict, dict]:
    """`fields` with each value for a text field of `model` cleaned by the rule, and the
    errors keyed by field name of those that cannot be kept.

    A TextField is multi-line, a CharField one line; the label and the limit are the model
    field's. Fields with choices, other kinds of field and non-text values pass unchanged.
    """
    cleaned, errors = dict(fields), {}
    for name, value in fields.items():
        if not isinstance(value, str):
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not isinstance(field, (models.CharField, models.TextField)) or field.choices:
            continue
        clean = clean_text if isinstance(field, models.TextField) else clean_line
        try:
            cleaned[name] = clean(value, label=field.verbose_name, max_length=field.max_length)
        except ValidationError as error:
            errors[name] = error.error_list
    return cleaned, errors


def clean_model_value(model, name: str, value, *, key: str = "", label: str = "") -> str:
    """One value for `model`'s text field `name` by the rule, its refusal keyed by `key`
    (the form's field name, default `name`) and labelled `label` (default the field's)."""
    field = model._meta.get_field(name)
    clean = clean_text if isinstance(field, models.TextField) else clean_line
    try:
        return clean(value, label=label or field.verbose_name, max_length=field.max_length)
    except ValidationError as error:
        raise ValidationError({key or name: error.error_list}) from None


def refuse_bad_model_text(model, fields: dict) -> dict:
    """As clean_model_text, raising one ValidationError keyed by field for what is refused."""
    cleaned, errors = clean_model_text(model, fields)
    if errors:
        raise ValidationError(errors)
    return cleaned


class TextRule:
    """The rule's refusals as a field validator (forms normalise in their clean())."""

    def __init__(self, *, label: str = "", multiline: bool = False):
        self.label, self.multiline = label, multiline

    def __call__(self, value):
        reject_control_characters(value, multiline=self.multiline, label=self.label)

"""Forms apply award.text's rule to every text field they show (passwords and hidden aside)."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from award.text import TextRule, normalise_line, normalise_lines, too_long_message


def is_typed_text(field) -> bool:
    widget = field.widget
    return (
        isinstance(field, forms.CharField)
        and not widget.is_hidden
        and not isinstance(widget, forms.PasswordInput)
    )


def is_multiline(field) -> bool:
    return isinstance(field.widget, forms.Textarea)


class TextRuleFormMixin:
    """Each text field refuses invisible characters next to itself, with its label; a
    textarea is multi-line, any other text input one line (trimmed, spaces collapsed).

    The typed value stays in the bound form. Textarea line breaks are made LF before the
    length check, so `maxlength` counts as the browser does. Put the mixin first.
    """

    def text_fields(self):
        return [(name, field) for name, field in self.fields.items() if is_typed_text(field)]

    def full_clean(self):
        for _name, field in self.text_fields():
            if not any(isinstance(v, TextRule) for v in field.validators):
                # NUL is one of the invisible characters: one message for all of them.
                field.validators = [
                    v
                    for v in field.validators
                    if not isinstance(v, ProhibitNullCharactersValidator)
                ]
                field.validators.append(TextRule(label=field.label, multiline=is_multiline(field)))
                field.error_messages["max_length"] = too_long_message(field.label)
        if self.is_bound:
            self._normalise_line_breaks()
        super().full_clean()

    def _normalise_line_breaks(self):
        data = self.data.copy()
        for name, field in self.text_fields():
            key = self.add_prefix(name)
            if not is_multiline(field) or key not in data:
                continue
            if hasattr(data, "setlist"):  # a QueryDict, as requests bring
                data.setlist(key, [v.replace("\r\n", "\n") for v in data.getlist(key)])
            elif isinstance(data[key], str):
                data[key] = data[key].replace("\r\n", "\n")
        self.data = data

    def clean(self):
        cleaned = super().clean()
        for name, field in self.text_fields():
            value = cleaned.get(name)
            if isinstance(value, str):
                cleaned[name] = (
                    normalise_lines(value) if is_multiline(field) else normalise_line(value)
                )
        return cleaned

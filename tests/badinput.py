"""Hostile values for every form (issue 13, bad-input corpus): the forms a page offers, read
from its HTML, and the values a careless or malicious person could type into them.

    for form in page_forms(html, path):
        data = form.data(text="\\x00")
"""

import datetime
import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

# What a person (or a script) could type into a text field.
TEXT_VALUES = {
    "long": "质" * 100_000,
    "nul": "申报\x00单位",
    "control": "a" + "".join(chr(c) for c in range(1, 32) if c not in (10, 13)) + "\x7fb",
    "rtl": "\u202eTXT.EXE\u202d \u200b\u200f\ufeff",
    "emoji": "质量🏆👨\u200d👩\u200d👧\u200d👦🇨🇳",
    "markup": "<script>alert('x')</script>\"' OR 1=1 -- {{ x }} %s {0}",
    "blank": " \t\u3000 ",
    "digits": "9" * 40,
}
# Wrong values for fields that take a number, a date, a choice or an id.
NUMBER_VALUES = {
    "huge": "9" * 30,
    "negative": "-99999999999",
    "overflow": "1e309",
    "nan": "NaN",
    "word": "一百",
    "nul": "1\x00",
}
DATE_VALUES = {
    "feb30": "2023-02-30",
    "zero": "0000-00-00",
    "far": "99999-12-31",
    "word": "昨天",
    "nul": "2024-01-01\x00",
    "huge": "9" * 30,
}
CHOICE_VALUES = {
    "huge": "9" * 30,
    "negative": "-1",
    "word": "不存在",
    "nul": "\x00",
}

TEXT_TYPES = {"text", "search", "email", "tel", "url", "textarea", "password"}
NUMBER_TYPES = {"number", "range"}
DATE_TYPES = {"date", "datetime-local", "month", "week", "time"}
# Fields whose value is never shown back on purpose.
NOT_ECHOED = {"password", "file", "hidden"}


def plausible(kind: str) -> str:
    """A value a field of `kind` accepts, for the fields not under attack in a POST."""
    today = datetime.date.today()
    return {
        "number": "1",
        "range": "1",
        "date": today.isoformat(),
        "datetime-local": f"{today.isoformat()}T09:00",
        "month": today.strftime("%Y-%m"),
        "time": "09:00",
        "email": "someone@example.org",
        "url": "https://example.org/",
        "tel": "13912345678",
    }.get(kind, "正常文本")


@dataclass
class Field:
    name: str
    kind: str  # an <input> type, "textarea", "select" or "select-multiple"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: list[Field] = field(default_factory=list)

    def of(self, *kinds) -> list[Field]:
        return [f for f in self.fields if f.kind in kinds]

    def baseline(self) -> dict[str, list[str]]:
        """What a browser sends when the form is submitted as shown, with empty number and
        date fields filled with a plausible value."""
        data: dict[str, list[str]] = {}
        for f in self.fields:
            if f.kind in ("checkbox", "radio"):
                if f.checked:
                    data.setdefault(f.name, []).append(f.value or "on")
                continue
            if f.kind in ("select", "select-multiple"):
                value = f.value or next((o for o in f.options if o), "")
                data.setdefault(f.name, []).append(value)
                continue
            if f.kind in ("submit", "file"):
                continue
            value = f.value
            if not value and (f.kind in NUMBER_TYPES or f.kind in DATE_TYPES):
                value = plausible(f.kind)
            data.setdefault(f.name, []).append(value)
        submit = next((f for f in self.fields if f.kind == "submit"), None)
        if submit is not None:
            data.setdefault(submit.name, [submit.value])
        return data

    def signature(self) -> tuple:
        return tuple(sorted({(f.name, f.kind) for f in self.fields}))


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: Field | None = None
        self._select: Field | None = None
        self._option: dict | None = None
        self._option_text = ""
        self._button: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                multipart="multipart" in a.get("enctype", ""),
            )
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("button", "reset", "image"):
                return
            value = a.get("value", "on" if kind == "checkbox" else "")
            self._form.fields.append(Field(name, kind, value, "checked" in a))
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            self._form.fields.append(Field(name, "submit", a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "select" and name:
            self._select = Field(name, "select-multiple" if "multiple" in a else "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = a
            self._option_text = ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:
            self._option_text += data

    def _close_option(self):
        if self._option is not None and self._select is not None:
            value = self._option.get("value", self._option_text.strip())
            self._select.options.append(value)
            if "selected" in self._option and not self._select.value:
                self._select.value = value
        self._option = None

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            # The HTML parser drops one newline right after <textarea>.
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None
        elif tag == "option":
            self._close_option()
        elif tag == "select":
            self._close_option()
            self._select = None
        elif tag == "form":
            self._form = None


def page_forms(page: str, path: str) -> list[Form]:
    """Every form of `page` (served at `path`), its action made absolute."""
    parser = _FormParser()
    parser.feed(page)
    for form in parser.forms:
        action = html.unescape(form.action) if form.action else path
        if action.startswith("?"):
            action = path.partition("?")[0] + action
        form.action = action
    return parser.forms


def shown_value(page: str, path: str, name: str) -> str | None:
    """The value a re-rendered page shows in its text field `name`, None if it has none."""
    for form in page_forms(page, path):
        for f in form.fields:
            if f.name == name and f.kind in TEXT_TYPES:
                return f.value
    return None

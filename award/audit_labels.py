"""Chinese labels of audit actions and of the fields their entries record (DESIGN.md §9).

Each floor registers the actions it writes, and the fields it records, in its own
`audit_actions.py` (loaded in AppConfig.ready()); a transition's action is labelled from the
transition itself. `audit_record` refuses an action nobody labelled, so no page ever shows a
code (tests/award/test_audit_labels.py checks every action the code writes).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from award.fsm import transitions_of


@dataclass(frozen=True)
class FieldLabel:
    label: str
    shown: Callable | None = None  # turns a stored value into words (e.g. a state's label)


_actions: dict[str, str] = {}
_fields: dict[str, FieldLabel] = {}
_permissions: dict[str, str] = {}


def register_actions(labels: dict[str, str]) -> None:
    for action, label in labels.items():
        if _actions.get(action, label) != label:
            raise ValueError(f"audit action {action!r} is already labelled otherwise")
        _actions[action] = label


def register_transition_actions(prefix: str, model) -> None:
    """`<prefix>.<transition>` for each transition of `model`, labelled as its button is."""
    register_actions(
        {
            f"{prefix}.{transition.name}": transition.custom.get("label", transition.name)
            for transition in transitions_of(model)
        }
    )


def register_fields(labels: dict[str, str | tuple[str, Callable]]) -> None:
    """`{key: label}` or `{key: (label, shown)}` where `shown(value)` gives the value in words."""
    for key, spec in labels.items():
        label, shown = spec if isinstance(spec, tuple) else (spec, None)
        _fields[key] = FieldLabel(label, shown)


def register_permissions(labels: dict[str, str]) -> None:
    """`{"app.codename": label}` of the object permissions a floor grants."""
    _permissions.update(labels)


def choices_shown(choices) -> Callable:
    """A `shown` for a field holding a TextChoices value."""
    labels = dict(choices.choices)
    return lambda value: labels.get(value, value)


def is_labelled(action: str) -> bool:
    return action in _actions


def action_label(action: str) -> str:
    return str(_actions.get(action, _("其他操作")))


# What each action code's first part is about, for filtering a whole kind at once.
_KINDS = {
    "account": _("账号"),
    "agency": _("第三方机构"),
    "county": _("县区"),
    "holiday_schedule": _("节假日安排"),
    "calendar_day": _("节假日安排"),
    "cycle": _("评选届次"),
    "notice": _("公告"),
    "permission": _("权限"),
    "profile": _("申报主体"),
    "application": _("申报"),
    "review": _("专家评审"),
}


def register_action_kind(prefix: str, label: str) -> None:
    _KINDS[prefix] = label


def action_filter_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Labelled actions grouped by kind, each group led by "all of this kind" (`prefix.`)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code in sorted(_actions):
        prefix = code.split(".", 1)[0]
        groups.setdefault(prefix, []).append((code, str(_actions[code])))
    return [
        (
            str(_KINDS.get(prefix, prefix)),
            [(f"{prefix}.", _("全部%(kind)s操作") % {"kind": _KINDS.get(prefix, prefix)}), *rows],
        )
        for prefix, rows in groups.items()
    ]


def _model_field(model, key):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except Exception:  # FieldDoesNotExist, or a reverse relation without verbose_name
        return None


def is_field_labelled(key: str, model=None) -> bool:
    field = _model_field(model, key)
    return key in _fields or (field is not None and hasattr(field, "verbose_name"))


def field_label(key: str, model=None) -> str:
    """The registered label, else the verbose name of the entry's model's field."""
    if key in _fields:
        return str(_fields[key].label)
    field = _model_field(model, key)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return str(_("其他"))


def field_value(key: str, value, model=None):
    """A recorded value in words: a choice's label, 是/否, a permission's name…"""
    if value is None:
        return value
    known = _fields.get(key)
    # The entry's own model knows its field best: a case's "state" is not an application's.
    field = _model_field(model, key)
    choices = dict(getattr(field, "flatchoices", None) or ())
    if choices:
        fallback = known.shown if known is not None and known.shown is not None else None

        def shown(item):
            if item in choices:
                return choices[item]
            return fallback(item) if fallback else item

    elif known is not None and known.shown is not None:
        shown = known.shown
    elif isinstance(value, bool):
        shown = _yes_no
    else:
        return value
    if isinstance(value, list):
        return [shown(item) for item in value]
    return shown(value)


def labelled_actions() -> set[str]:
    return set(_actions)


def _yes_no(value):
    return _("是") if value else _("否")


# What the ground floor's own entries record.
register_fields(
    {
        "passed": (_("是否通过"), _yes_no),
        "created": (_("是否新建"), _yes_no),
        "sha256": _("文件校验值（SHA-256）"),
        "format": _("格式"),
        "filters": _("筛选条件"),
        "rows": _("条数"),
        "user": _("账号编号"),
        "perm": (_("权限"), lambda code: _permissions.get(code, code)),
        "round": _("提报轮次"),
        "name": _("名称"),
        "title": _("标题"),
        "reason": _("原因"),
    }
)

"""Every page of the URLconf as a concrete address, for tests that must cover a new page
without being told about it: the auditor's read-only test (tests/award/test_auditor_read_only.py)
and the role isolation matrix (issue 13) walk the same list.

    for page in walk_urls():
        client.post(page.url)

Arguments get dummy values: an integer is the pk of a real row of the model it most likely
names (the view's model, or the model named like the argument or ending so), else 1; a string
is a real serial or slug where one exists, else "x". Which row an integer names is the caller's
choice: `walk_urls(picking(pick))` asks `pick(model)` for the pk (the default takes the first
row), so the isolation matrix can point every address at someone else's objects. A page whose
address cannot be built is skipped and listed in `unbuilt_patterns()` so a test can insist that
list stays short.
"""

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from django.urls.resolvers import RegexPattern, RoutePattern

ROUTE_ARG = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*(?:\([^()]*\)[^()]*)*)\)")


@dataclass(frozen=True)
class Page:
    """One concrete address of a URL pattern."""

    name: str  # "namespace:name", or "" for an unnamed pattern
    url: str
    route: str  # the pattern as written, for messages
    args: dict = field(default_factory=dict, compare=False)  # argument name → kind ("int", "str")
    view: Callable | None = field(default=None, compare=False)

    @property
    def has_args(self) -> bool:
        return bool(self.args)


def _model_named(name: str, view=None):
    """The model named `name` ("meeting", "cycle_pk"), else the one model whose name ends so
    ("file_pk": ObjectionFile, ComplaintFile...) that the view's class names or that points at
    the view's model."""
    stem = re.sub(r"_(pk|id)$", "", name).replace("_", "")
    models = apps.get_models()
    for model in models:
        if model._meta.model_name == stem:
            return model
    endings = [m for m in models if m._meta.model_name.endswith(stem)]
    view_class = getattr(view, "view_class", None)
    named = [m for m in endings if m._meta.model_name in (view_class or object).__name__.lower()]
    if len(named) == 1:
        return named[0]
    owner = _view_model(view)
    related = [
        m
        for m in endings
        if owner is not None
        and any(f.related_model is owner for f in m._meta.get_fields() if f.many_to_one)
    ]
    if len(related) == 1:
        return related[0]
    return endings[0] if len(endings) == 1 else None


def _view_model(view):
    view_class = getattr(view, "view_class", None)
    model = getattr(view_class, "model", None)
    if model is None:
        queryset = getattr(view_class, "queryset", None)
        model = getattr(queryset, "model", None)
    return model


def first_pk(model) -> int | None:
    return model._default_manager.order_by("pk").values_list("pk", flat=True).first()


def default_value(name: str, kind: str, view, pick: Callable = first_pk) -> str:
    """A plausible value for argument `name` of `kind` ("int" or "str") of `view`; an integer
    is `pick(model)` for the model it most likely names."""
    if kind == "int":
        model = _view_model(view) if name == "pk" else _model_named(name, view)
        if model is not None:
            pk = pick(model)
            if isinstance(pk, int):
                return str(pk)
        return "1"
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if name in names and not model._meta.get_field(name).is_relation:
            value = model._default_manager.values_list(name, flat=True).first()
            if value and re.fullmatch(r"[\w.-]+", str(value)):
                return str(value)
    return "x"


def _route_part(pattern, view, values, args) -> str | None:
    if isinstance(pattern, RoutePattern):
        route = str(pattern._route)
        converters = pattern.converters

        def fill(match):
            name = match["name"]
            converter = converters.get(name)
            kind = "int" if isinstance(converter, IntConverter) else "str"
            args[name] = kind
            return values(name, kind, view)

        return ROUTE_ARG.sub(fill, route)
    if isinstance(pattern, RegexPattern):
        regex = pattern._regex

        def group(match):
            name, body = match["name"], match["body"]
            if re.fullmatch(r"(\[0-9\]|\\d)[+*]?", body):
                args[name] = "int"
                return values(name, "int", view)
            args[name] = "str"
            plain = body.split("|")[0]
            if re.fullmatch(r"[\w-]+", plain):
                return plain
            return values(name, "str", view)

        text = REGEX_GROUP.sub(group, regex).removeprefix("^").removesuffix("$")
        text = text.removesuffix(r"\Z").replace(r"\.", ".").replace(r"\-", "-")
        if re.search(r"[()\[\]*+?|\\]", text):
            return None
        return text
    return None


def picking(pick: Callable) -> Callable[[str, str, Callable], str]:
    """Argument values whose integers are `pick(model)` (None: fall back to 1)."""
    return functools.partial(default_value, pick=pick)


_UNBUILT: list[str] = []


def walk_urls(values: Callable[[str, str, Callable], str] = default_value) -> Iterator[Page]:
    """Every URL pattern of the root URLconf, with its arguments filled by `values`."""
    _UNBUILT.clear()
    yield from _walk(get_resolver(), "/", (), values)


def unbuilt_patterns() -> list[str]:
    """Patterns the last walk_urls() could not turn into an address."""
    return list(_UNBUILT)


def _walk(resolver: URLResolver, prefix: str, namespaces: tuple, values) -> Iterator[Page]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            args: dict = {}
            part = _route_part(entry.pattern, None, values, args)
            if part is None or args:
                _UNBUILT.append(prefix + str(entry.pattern))
                continue
            spaces = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from _walk(entry, prefix + part, spaces, values)
        elif isinstance(entry, URLPattern):
            args = {}
            part = _route_part(entry.pattern, entry.callback, values, args)
            route = prefix + str(entry.pattern)
            if part is None:
                _UNBUILT.append(route)
                continue
            name = ":".join((*namespaces, entry.name)) if entry.name else ""
            yield Page(name=name, url=prefix + part, route=route, args=args, view=entry.callback)

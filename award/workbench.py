"""The workbench (我的待办) registry: each floor registers what waits for which role."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class TodoItem:
    title: str
    url: str
    count: int | None = None
    detail: str = ""
    urgent: bool = False


Provider = Callable[[object], Iterable[TodoItem]]


class Workbench:
    def __init__(self):
        self._providers: list[tuple[frozenset[str], Provider]] = []

    def register(self, *roles: str):
        """Register `provider(user) -> items` for these roles (none: every signed-in user)."""

        def decorate(provider: Provider) -> Provider:
            self._providers.append((frozenset(str(r) for r in roles), provider))
            return provider

        return decorate

    def unregister(self, provider: Provider) -> None:
        self._providers = [(r, p) for r, p in self._providers if p is not provider]

    def items_for(self, user) -> list[TodoItem]:
        items = []
        for roles, provider in self._providers:
            if not roles or roles & user.role_codes:
                items.extend(provider(user))
        return items


workbench = Workbench()

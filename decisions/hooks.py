"""Registries the floor above fills in so honours can point at what happens to them later
(DESIGN.md §2): e.g. the revocation floor's 「立案调查」 on an honour's page."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HonourLink:
    """A page of a later floor about one honour, shown on the honour's page."""

    title: str
    url: str
    detail: str = ""


HonourLinkSource = Callable[[object, object], list[HonourLink]]

_honour_link_sources: list[HonourLinkSource] = []


def register_honour_links(source: HonourLinkSource) -> HonourLinkSource:
    """Register `source(honour, user) -> [HonourLink]`: pages `user` may open."""
    _honour_link_sources.append(source)
    return source


def unregister_honour_links(source: HonourLinkSource) -> None:
    _honour_link_sources.remove(source)


def honour_links(honour, user) -> list[HonourLink]:
    found = []
    for source in _honour_link_sources:
        found.extend(source(honour, user))
    return found

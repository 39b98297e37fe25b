"""The seeded demo world as tests read it: its private files' storage, and the crawl that
follows every link a demo login is shown (tests/award/demo_world/)."""

import html
import re
from dataclasses import dataclass, field

from django.conf import settings

LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/static/", "/admin/", "/accounts/logout/")
# Far above any role's pages; reaching it means the crawl runs away (a link that grows).
PAGES_PER_LOGIN = 1500
TITLE = re.compile(r"<title>\s*\S[^<]*</title>")


def storages(location) -> dict:
    return {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }


def crawl_key(path: str) -> tuple:
    """Links to one page differing only in the values of their query (filters, page numbers)
    lead to the same links again: one of each is enough."""
    base, _, query = path.partition("?")
    return base, tuple(sorted({pair.split("=", 1)[0] for pair in query.split("&") if pair}))


@dataclass
class Crawl:
    """path → status of each page reached, and the HTML of those that answered 200."""

    statuses: dict[str, int | str] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)


def crawl(client, start: str) -> Crawl:
    """Follow every same-site link breadth first from `start`, to the end; the status of each
    page reached (an HTML page without a title or a main heading counts as 'untitled')."""
    reached, keys, queue = Crawl(), set(), [start]
    seen = reached.statuses
    while queue:
        path = html.unescape(queue.pop(0))
        if path in seen or path.startswith(SKIP) or crawl_key(path) in keys:
            continue
        assert len(seen) < PAGES_PER_LOGIN, "the crawl does not end"
        keys.add(crawl_key(path))
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            page = response.content.decode()
            reached.pages[path] = page
            if not (TITLE.search(page) and "<h1" in page):
                seen[path] = "untitled"
            queue.extend(LINK.findall(page))
    return reached

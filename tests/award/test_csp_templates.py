"""The CSP allows scripts and styles from the portal's own files only (no 'unsafe-inline'), so
no page template may rely on what it would block: inline <script> bodies, on* event handler
attributes, javascript: URLs, <style> elements or style= attributes (等保 2.0 level 3)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.template.utils import get_app_template_dirs

# Rendered to PDF by WeasyPrint or sent as email, never served to a browser under the CSP.
NOT_SERVED = ("pdf/", "emails/", "email/")

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.DOTALL)
EVENT_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def page_templates() -> list[tuple[str, str]]:
    dirs = [Path(d) for d in engines["django"].dirs]
    dirs += [Path(d) for d in get_app_template_dirs("templates")]
    base = Path(settings.BASE_DIR)
    found = []
    for folder in dirs:
        if base not in folder.parents or "site-packages" in folder.parts:
            continue  # Django's and third-party packages' own templates
        for file in sorted(folder.rglob("*.html")):
            name = file.relative_to(folder).as_posix()
            if not any(part in name for part in NOT_SERVED):
                found.append((name, file.read_text(encoding="utf-8")))
    return found


TEMPLATES = page_templates()


def problems(source: str) -> list[str]:
    found = []
    for attributes, body in SCRIPT.findall(source):
        if body.strip() or "src=" not in attributes:
            found.append(f"inline <script{attributes}>")
    for tag in TAG.findall(source):
        if EVENT_ATTRIBUTE.search(tag):
            found.append(f"event handler attribute in {tag[:80]}")
        if STYLE_ATTRIBUTE.search(tag):
            found.append(f"style= attribute in {tag[:80]}")
    found += [f"<style> element at {m.start()}" for m in STYLE_ELEMENT.finditer(source)]
    found += [f"javascript: URL at {m.start()}" for m in JAVASCRIPT_URL.finditer(source)]
    return found


def test_the_scan_sees_the_portals_templates():
    names = {name for name, _source in TEMPLATES}
    assert {"base.html", "registration/login.html", "award/two_factor_setup.html"} <= names
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script src="/static/x.js">alert(1)</script>',
        '<button type="button" onclick="go()">x</button>',
        '<a href="#" \n  onMouseOver="go()">x</a>',
        '<div class="x" style="color: red">x</div>',
        "<style>p { color: red }</style>",
        '<a href="javascript:go()">x</a>',
    ],
)
def test_the_scan_catches_what_the_csp_would_block(snippet):
    assert problems(f"<main>{snippet}</main>")


def test_the_scan_lets_external_scripts_and_ordinary_attributes_through():
    source = (
        "<script src=\"{% static 'js/portal.js' %}\" defer></script>"
        '<input name="only" data-confirm="确定？" aria-describedby="x-help">'
        "<p>Use the onclick-free design; style matters.</p>"
    )
    assert problems(source) == []


def test_no_page_template_relies_on_inline_script_or_style():
    offending = {name: found for name, source in TEMPLATES if (found := problems(source))}
    assert offending == {}


@pytest.mark.parametrize("directive", ["script-src", "style-src", "default-src"])
def test_the_policy_allows_nothing_inline(directive):
    sources = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"][directive]
    assert sources == ["'self'"]
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(sources)

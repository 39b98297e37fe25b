"""Public pages (the home page, 公示, 获评名单, 证书查验) rendered once and served from the
cache to anonymous visitors, for as long as what they show is unchanged.

The cache key holds a fingerprint of every value the page shows, read with one light query
(values only, no model instances, no template): any change to those rows, by a service or by
a plain UPDATE (a revocation, an upheld objection, a moved 公示期), gives a new key at once,
so a visitor never sees a page older than the data. Signed-in people, visitors with a session
or pending messages, and anything but GET/HEAD are rendered as before.

The page's CSRF token (base.html hands it to htmx) differs per visitor: the page is rendered
with a placeholder, and each response gets the visitor's own token in its place.
"""

import hashlib
import hmac

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

CACHE_SECONDS = 600
KEY_PREFIX = "award:public-page"


def _placeholder() -> str:
    """A stand-in for the CSRF token no page text can contain by chance (derived from the
    secret key, the same in every worker process)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), b"public-page-csrf", hashlib.sha256)
    return "csrf" + digest.hexdigest()[:40]


def cacheable(request) -> bool:
    """An anonymous GET/HEAD without a session or messages: the page is the same for all."""
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return False
    return not request.user.is_authenticated


def page_key(path: str, fingerprint) -> str:
    """The cache key of `path` showing `fingerprint` today (windows and dates change by day)."""
    source = repr((path, translation.get_language(), timezone.localdate().isoformat(), fingerprint))
    return f"{KEY_PREFIX}:{hashlib.sha256(source.encode()).hexdigest()}"


def serve(view, request, fingerprint, render) -> HttpResponse:
    """The page for `fingerprint` from the cache, or `render()` (a TemplateResponse of `view`,
    rendered with the placeholder token) stored when it is a 200; either way with the
    visitor's own CSRF token."""
    key = page_key(request.path, fingerprint)
    body = cache.get(key)
    if body is None:
        view.csrf_placeholder = _placeholder()
        response = render()
        if response.status_code != 200:
            return response
        body = response.render().content.decode(response.charset)
        cache.set(key, body, CACHE_SECONDS)
    return HttpResponse(body.replace(_placeholder(), get_token(request)))


class AnonymousPageCacheMixin:
    """For a TemplateView that defines `page_fingerprint()`: the values the page shows (one
    query), or None when the page does not exist (the view then answers as usual, e.g. 404).
    A view with its own get() calls `serve()` itself and keeps this mixin for the context."""

    def get(self, request, *args, **kwargs):
        if not cacheable(request):
            return super().get(request, *args, **kwargs)
        fingerprint = self.page_fingerprint()
        if fingerprint is None:
            return super().get(request, *args, **kwargs)
        return serve(
            self,
            request,
            fingerprint,
            lambda: super(AnonymousPageCacheMixin, self).get(request, *args, **kwargs),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        placeholder = getattr(self, "csrf_placeholder", None)
        if placeholder:
            context["csrf_token"] = placeholder
        return context

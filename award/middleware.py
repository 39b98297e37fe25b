"""The portal's own middleware: a fresh interpreter stack for each request, response headers,
staff sessions that end when idle, and the auditor's read-only sessions (第七章)."""

import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, resolve_url
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from award.enums import Role
from award.fresh_stack import run_on_fresh_stack
from award.permissions import is_auditor_only
from award.selectors.two_factor import two_factor_enabled, two_factor_required


class FreshStackMiddleware:
    """The outermost middleware: each request runs on a fresh CPython data-stack chunk, so no
    page's loop falls on a chunk boundary and runs several times slower (award.fresh_stack)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return run_on_fresh_stack(self.get_response, request)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# What an auditor may still POST: their own sign-in, sign-out, password and contact details;
# nothing of the award.
AUDITOR_MAY_POST = frozenset(
    {
        "award:login",
        "award:logout",
        "award:password_change",
        "award:profile",
        "award:password_reset",
        "award:password_reset_confirm",
        "award:two_factor_verify",
        "award:two_factor_setup",
        "award:two_factor_regenerate",
        # Public look-ups by receipt code: they read, they change nothing.
        "public_decisions:objection_receipt",
        "public_revocation:complaint_receipt",
    }
)

# Those who act for an authority or read everything; applicants and experts keep normal sessions.
IDLE_TIMEOUT_ROLES = (Role.OFFICE, Role.AGENCY, Role.COUNTY, Role.AUDITOR)
LAST_ACTIVITY_KEY = "award_last_activity"


def idle_timeout_applies(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.has_role(*IDLE_TIMEOUT_ROLES))


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; a signed-in person's pages are never cached, so
    the browser's back button or a shared computer shows nothing after logging out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class StaffIdleTimeoutMiddleware:
    """Log staff out after STAFF_IDLE_TIMEOUT_MINUTES without a request, and say so on the
    login page. Needs the session, authentication and messages middleware before it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if idle_timeout_applies(request.user):
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            minutes = settings.STAFF_IDLE_TIMEOUT_MINUTES
            if last is not None and now - last >= minutes * 60:
                return self.sign_out(request, minutes)
            request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)

    def sign_out(self, request, minutes):
        logout(request)
        messages.warning(
            request,
            _("您已超过%(minutes)s分钟未操作，为保护数据安全已自动退出，请重新登录。")
            % {"minutes": minutes},
        )
        response = redirect_to_login(self.come_back_to(request))
        if request.headers.get("HX-Request") == "true":  # HtmxMiddleware comes later
            # An htmx request would swap the login page into a fragment: reload the whole page.
            return HttpResponseClientRedirect(response["Location"])
        return response

    @staticmethod
    def come_back_to(request) -> str:
        """Where to go after logging in again: the page itself, or for a form's POST (which
        cannot be repeated by a redirect) the page the form was on."""
        if request.method in ("GET", "HEAD"):
            return request.get_full_path()
        referer = request.headers.get("Referer", "")
        if url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            parts = urlsplit(referer)
            return parts.path + (f"?{parts.query}" if parts.query else "")
        return resolve_url(settings.LOGIN_REDIRECT_URL)


# What a signed-in person may reach before the second factor: the 2FA pages and signing out.
TWO_FACTOR_OPEN = frozenset(
    {
        "award:two_factor_verify",
        "award:two_factor_setup",
        "award:two_factor_recovery_codes",
        "award:logout",
    }
)
# Whether this user had an app when the session began, so a request asks the database nothing.
TWO_FACTOR_ENABLED_KEY = "two_factor_enabled"


def note_two_factor_at_login(sender, request, user, **kwargs):
    """user_logged_in receiver: remember in the new session whether the user has an app."""
    if request is not None and hasattr(request, "session"):
        request.session[TWO_FACTOR_ENABLED_KEY] = two_factor_enabled(user)


class TwoFactorMiddleware:
    """Send a signed-in person who needs a second factor and has not given it in this session
    to the code step (or, without an app yet, to enrolment) from every page, the Django admin
    included, except TWO_FACTOR_OPEN and static files (GB/T 22239-2019 8.1.4.1 d). Needs
    django_otp's OTPMiddleware and the messages middleware before it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path_info.startswith(settings.STATIC_URL)
            and self.needs_code(request, user)
            and AuditorReadOnlyMiddleware.url_name(request) not in TWO_FACTOR_OPEN
        ):
            return self.send_to_step(request, user)
        return self.get_response(request)

    @staticmethod
    def needs_code(request, user) -> bool:
        if two_factor_required(user):
            return True
        enabled = request.session.get(TWO_FACTOR_ENABLED_KEY)
        if enabled is None:  # a session begun before the key existed
            enabled = request.session[TWO_FACTOR_ENABLED_KEY] = two_factor_enabled(user)
        return enabled

    @staticmethod
    def send_to_step(request, user):
        step = "award:two_factor_verify" if two_factor_enabled(user) else "award:two_factor_setup"
        come_back = StaffIdleTimeoutMiddleware.come_back_to(request)
        location = f"{resolve_url(step)}?{urlencode({'next': come_back})}"
        if request.headers.get("HX-Request") == "true":
            return HttpResponseClientRedirect(location)
        return redirect(location)


class AuditorReadOnlyMiddleware:
    """Defence in depth behind the views' own checks: refuse every unsafe request of an
    auditor-only account with the portal's 403 page, whatever view the URL reaches, except
    the account pages in AUDITOR_MAY_POST. Needs the authentication middleware before it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method not in SAFE_METHODS
            and is_auditor_only(request.user)
            and self.url_name(request) not in AUDITOR_MAY_POST
        ):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def url_name(request) -> str:
        try:
            return resolve(request.path_info).view_name
        except Resolver404:
            return ""

    @staticmethod
    def refuse(request):
        html = render_to_string(
            "403.html",
            {"reason": _("监督账号只能查阅，不能修改任何内容（第七章）。")},
            request=request,
        )
        return HttpResponseForbidden(html)

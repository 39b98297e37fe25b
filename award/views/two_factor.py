"""Two-factor login pages: the code step after the password, enrolment with the QR code, the
recovery codes shown once, and switching it off (GB/T 22239-2019 8.1.4.1 d)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from award.forms.two_factor import TwoFactorCodeForm, TwoFactorDisableForm, TwoFactorSetupForm
from award.selectors.two_factor import recovery_codes_left, two_factor_enabled
from award.services.two_factor import (
    new_totp_key,
    qr_data_uri,
    secret_groups,
    totp_uri,
    two_factor_disable,
    two_factor_enable,
    two_factor_verify,
)

PENDING_KEY = "two_factor_pending_key"
FRESH_CODES = "two_factor_fresh_codes"


def next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class TwoFactorVerifyView(LoginRequiredMixin, FormView):
    """第二步: the 动态口令 (or a 恢复码) after the password."""

    form_class = TwoFactorCodeForm
    template_name = "award/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not two_factor_enabled(request.user):
            return redirect(f"{resolve_url('award:two_factor_setup')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=next_url(self.request), **kwargs)

    def form_valid(self, form):
        try:
            device = two_factor_verify(user=self.request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
            return self.form_invalid(form)
        otp_login(self.request, device)
        if isinstance(device, StaticDevice):
            messages.warning(
                self.request,
                _("您使用了一个恢复码，它已失效；还剩%(left)s个恢复码。")
                % {"left": recovery_codes_left(self.request.user)},
            )
        return redirect(next_url(self.request))


class TwoFactorSetupView(LoginRequiredMixin, FormView):
    """开启双因素认证: scan the QR code (or type the secret), confirm with a code."""

    form_class = TwoFactorSetupForm
    template_name = "award/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        # A second device needs the first one's code: that is the verify page's job.
        if request.user.is_authenticated and two_factor_enabled(request.user):
            if not request.user.is_verified():
                return redirect(
                    f"{resolve_url('award:two_factor_verify')}?{request.GET.urlencode()}"
                )
            messages.info(request, _("您已开启双因素认证。"))
            return redirect("award:profile")
        return super().dispatch(request, *args, **kwargs)

    def pending_key(self) -> str:
        key = self.request.session.get(PENDING_KEY)
        if not key:
            key = self.request.session[PENDING_KEY] = new_totp_key()
        return key

    def get_context_data(self, **kwargs):
        key = self.pending_key()
        return super().get_context_data(
            qr=qr_data_uri(totp_uri(self.request.user, key)),
            secret=secret_groups(key),
            next=next_url(self.request),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            device, codes = two_factor_enable(
                user=self.request.user, key=self.pending_key(), code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            form.add_error("code", exc)
            return self.form_invalid(form)
        del self.request.session[PENDING_KEY]
        otp_login(self.request, device)
        self.request.session[FRESH_CODES] = codes
        return redirect(
            f"{resolve_url('award:two_factor_recovery_codes')}?{self.request.GET.urlencode()}"
        )


class TwoFactorRecoveryCodesView(LoginRequiredMixin, View):
    """The ten recovery codes, once, right after enrolment."""

    def get(self, request):
        codes = request.session.pop(FRESH_CODES, None)
        if not codes:
            return redirect("award:profile")
        return render(
            request,
            "award/two_factor_recovery_codes.html",
            {"codes": codes, "next": next_url(request)},
        )


class TwoFactorDisableView(LoginRequiredMixin, View):
    """关闭双因素认证, for those whose role does not require it, with a current code."""

    def post(self, request):
        form = TwoFactorDisableForm(request.POST)
        if form.is_valid():
            try:
                two_factor_disable(user=request.user, code=form.cleaned_data["code"])
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("双因素认证已关闭。"))
        else:
            messages.error(request, _("请输入动态口令或恢复码。"))
        return redirect("award:profile")


urlpatterns = [
    path("accounts/two-factor/", TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("accounts/two-factor/setup/", TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path(
        "accounts/two-factor/recovery-codes/",
        TwoFactorRecoveryCodesView.as_view(),
        name="two_factor_recovery_codes",
    ),
    path("accounts/two-factor/disable/", TwoFactorDisableView.as_view(), name="two_factor_disable"),
]

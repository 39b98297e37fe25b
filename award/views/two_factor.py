"""Two-factor login pages: the code step after the password, enrolment with the QR code, the
recovery codes shown once (and renewed), switching it off, and the office's reset of a lost
phone (GB/T 22239-2019 8.1.4.1 d)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from award.forms.two_factor import (
    TwoFactorCodeForm,
    TwoFactorDisableForm,
    TwoFactorRegenerateForm,
    TwoFactorResetForm,
    TwoFactorResetSearchForm,
    TwoFactorSetupForm,
)
from award.models import User
from award.permissions import may_reset_two_factor_at_all
from award.selectors.two_factor import (
    recovery_codes_left,
    two_factor_enabled,
    two_factor_required,
    two_factor_reset_search,
    two_factor_resettable_users,
)
from award.services.two_factor import (
    new_totp_key,
    qr_data_uri,
    secret_groups,
    totp_uri,
    two_factor_disable,
    two_factor_enable,
    two_factor_regenerate_recovery_codes,
    two_factor_reset,
    two_factor_verify,
)
from award.views.refusals import show_refusal

PENDING_KEY = "two_factor_pending_key"
FRESH_CODES = "two_factor_fresh_codes"
# Set when the fresh codes replace earlier ones rather than come with a new app.
FRESH_CODES_RENEWED = "two_factor_fresh_codes_renewed"


def next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def mark_verified(request, device) -> None:
    """Record the second factor in the session and give the session a new key, keeping its
    contents and the login: a key planted or seen before the code step is worthless after it
    (session fixation; GB/T 22239-2019 8.1.4.1 d)."""
    otp_login(request, device)
    request.session.cycle_key()


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
        mark_verified(self.request, device)
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
        mark_verified(self.request, device)
        self.request.session[FRESH_CODES] = codes
        return redirect(
            f"{resolve_url('award:two_factor_recovery_codes')}?{self.request.GET.urlencode()}"
        )


class TwoFactorRecoveryCodesView(LoginRequiredMixin, View):
    """The ten recovery codes, once, right after enrolment or after renewing them."""

    def get(self, request):
        codes = request.session.pop(FRESH_CODES, None)
        renewed = request.session.pop(FRESH_CODES_RENEWED, False)
        if not codes:
            return redirect("award:profile")
        return render(
            request,
            "award/two_factor_recovery_codes.html",
            {"codes": codes, "renewed": renewed, "next": next_url(request)},
        )


class TwoFactorRegenerateView(LoginRequiredMixin, View):
    """重新生成恢复码, from the profile page, confirmed with the app's current code."""

    def post(self, request):
        form = TwoFactorRegenerateForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请输入身份验证器应用当前显示的6位动态口令。"))
            return redirect("award:profile")
        try:
            codes = two_factor_regenerate_recovery_codes(
                user=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("award:profile")
        request.session[FRESH_CODES] = codes
        request.session[FRESH_CODES_RENEWED] = True
        messages.success(request, _("已生成新的恢复码，原有恢复码已全部失效。"))
        profile = resolve_url("award:profile")
        return redirect(f"{resolve_url('award:two_factor_recovery_codes')}?next={profile}")


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


class TwoFactorResetAccessMixin(LoginRequiredMixin):
    """The office and Django admin staff; everyone else gets 404 so nothing leaks."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not may_reset_two_factor_at_all(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class TwoFactorResetSearchView(TwoFactorResetAccessMixin, View):
    """重置双因素认证: find the person who lost their phone."""

    def get(self, request):
        form = TwoFactorResetSearchForm(request.GET)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        return render(
            request,
            "award/two_factor_reset_search.html",
            {
                "form": form,
                "query": query,
                "found": two_factor_reset_search(request.user, query),
            },
        )


class TwoFactorResetView(TwoFactorResetAccessMixin, FormView):
    """The confirmation step: who, whether they have an app, the reason, a tick; then reset."""

    model = User
    form_class = TwoFactorResetForm
    template_name = "award/two_factor_reset_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and may_reset_two_factor_at_all(request.user):
            self.account = get_object_or_404(
                two_factor_resettable_users(request.user), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            account=self.account,
            recovery_codes_left=recovery_codes_left(self.account),
            required=two_factor_required(self.account),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            two_factor_reset(
                user=self.account, by=self.request.user, reason=form.cleaned_data["reason"]
            )
        except (PermissionDenied, ValidationError) as refused:
            show_refusal(form, refused)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("已重置%(name)s的双因素认证，并已通知本人；其下次登录时需重新绑定身份验证器。")
            % {"name": self.account},
        )
        return redirect("award:two_factor_reset_search")


urlpatterns = [
    path("accounts/two-factor/", TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("accounts/two-factor/setup/", TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path(
        "accounts/two-factor/recovery-codes/",
        TwoFactorRecoveryCodesView.as_view(),
        name="two_factor_recovery_codes",
    ),
    path("accounts/two-factor/disable/", TwoFactorDisableView.as_view(), name="two_factor_disable"),
    path(
        "accounts/two-factor/recovery-codes/renew/",
        TwoFactorRegenerateView.as_view(),
        name="two_factor_regenerate",
    ),
    path(
        "accounts/two-factor/reset/",
        TwoFactorResetSearchView.as_view(),
        name="two_factor_reset_search",
    ),
    path(
        "accounts/two-factor/reset/<int:pk>/",
        TwoFactorResetView.as_view(),
        name="two_factor_reset",
    ),
]

"""Account pages: sign in and out, applicant registration, passwords and the profile."""

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from award.forms.accounts import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    ProfileForm,
    RegisterForm,
    SetPasswordForm,
)
from award.forms.two_factor import TwoFactorDisableForm, TwoFactorRegenerateForm
from award.selectors.accounts import role_labels
from award.selectors.two_factor import (
    recovery_codes_left,
    two_factor_enabled,
    two_factor_required,
)
from award.services.accounts import (
    applicant_register,
    user_change_password,
    user_reset_password,
    user_update_contact,
)

# Registration logs the new applicant in directly; axes comes first in the backends list.
MODEL_BACKEND = "award.auth_backends.PortalBackend"


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET with 405); the page then says the user has left."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("您已安全退出登录。"))
        return response


class RegisterView(FormView):
    """申报注册: only applicants register themselves; staff accounts are made by the office."""

    form_class = RegisterForm
    template_name = "registration/register.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            messages.info(request, _("您已登录，无需再次注册。"))
            return redirect("award:workbench")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user = applicant_register(
                username=data["username"],
                email=data["email"],
                mobile=data["mobile"],
                display_name=data["display_name"],
                applicant_kind=data["applicant_kind"],
                password=data["password"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        login(self.request, user, backend=MODEL_BACKEND)
        messages.success(
            self.request,
            _("注册成功，欢迎%(name)s使用临沂市市长质量奖评定平台。") % {"name": user},
        )
        return redirect("award:workbench")


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("award:password_change_done")

    def form_valid(self, form):
        try:
            user = user_change_password(
                user=form.user, password=form.cleaned_data["new_password1"], by=self.request.user
            )
        except ValidationError as exc:
            form.add_error("new_password2", exc.messages)
            return self.form_invalid(form)
        # Other sessions of this user end; this one stays signed in.
        update_session_auth_hash(self.request, user)
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("award:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("award:password_reset_complete")

    def form_valid(self, form):
        try:
            user_reset_password(user=form.user, password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            form.add_error("new_password2", exc.messages)
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class ProfileView(LoginRequiredMixin, FormView):
    """账户信息: the user's roles and posts, and their own contact details to edit."""

    form_class = ProfileForm
    template_name = "award/profile.html"
    success_url = reverse_lazy("award:profile")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "account": self.request.user}

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            account=user,
            roles=role_labels(user),
            two_factor_enabled=two_factor_enabled(user),
            two_factor_required=two_factor_required(user),
            recovery_codes_left=recovery_codes_left(user),
            disable_form=TwoFactorDisableForm(),
            regenerate_form=TwoFactorRegenerateForm(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            user_update_contact(
                user=self.request.user,
                email=form.cleaned_data["email"],
                mobile=form.cleaned_data["mobile"],
                display_name=form.cleaned_data["display_name"],
                by=self.request.user,
            )
        except PermissionDenied:
            form.add_error(None, _("您无权修改该账户信息。"))
            return self.form_invalid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("账户信息已保存。"))
        return super().form_valid(form)


urlpatterns = [
    path("accounts/register/", RegisterView.as_view(), name="register"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/change/done/",
        PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/profile/", ProfileView.as_view(), name="profile"),
]

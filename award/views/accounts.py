"""accounts pages."""

from django.urls import path
from django.views.generic import TemplateView

# SCAFFOLD: placeholder routes so base.html renders; replaced by the real views.
urlpatterns = [
    path("accounts/register/", TemplateView.as_view(template_name="base.html"), name="register"),
    path("accounts/login/", TemplateView.as_view(template_name="base.html"), name="login"),
    path("accounts/logout/", TemplateView.as_view(template_name="base.html"), name="logout"),
    path(
        "accounts/password/change/",
        TemplateView.as_view(template_name="base.html"),
        name="password_change",
    ),
    path("accounts/profile/", TemplateView.as_view(template_name="base.html"), name="profile"),
]

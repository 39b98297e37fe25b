"""notices pages."""

from django.urls import path
from django.views.generic import TemplateView

# SCAFFOLD: placeholder routes so base.html renders; replaced by the real views.
urlpatterns = [
    path(
        "office/notices/",
        TemplateView.as_view(template_name="base.html"),
        name="notice_manage_list",
    ),
]

"""office pages."""

from django.urls import path
from django.views.generic import TemplateView

# SCAFFOLD: placeholder routes so base.html renders; replaced by the real views.
urlpatterns = [
    path("office/counties/", TemplateView.as_view(template_name="base.html"), name="county_list"),
    path(
        "office/rulebooks/", TemplateView.as_view(template_name="base.html"), name="rulebook_list"
    ),
    path(
        "office/calendar/",
        TemplateView.as_view(template_name="base.html"),
        name="holiday_schedule_list",
    ),
]

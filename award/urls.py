"""Root URLs: the ground floor's pages, then each higher floor's, then the admin."""

from django.contrib import admin
from django.urls import include, path

from award.views import (
    accounts,
    audit,
    cycles,
    inbox,
    notices,
    office,
    public,
    two_factor,
    workbench,
)

ground_floor = (
    public.urlpatterns
    + accounts.urlpatterns
    + two_factor.urlpatterns
    + workbench.urlpatterns
    + inbox.urlpatterns
    + cycles.urlpatterns
    + notices.urlpatterns
    + office.urlpatterns
    + audit.urlpatterns
)

urlpatterns = [
    path("", include((ground_floor, "award"))),
    path("applications/", include("applications.urls")),
    path("review/", include("review.urls")),
    path("decisions/", include("decisions.urls")),
    path("", include("decisions.public_urls")),
    path("revocation/", include("revocation.urls")),
    path("", include("revocation.public_urls")),
    path("django-admin/", admin.site.urls),
]

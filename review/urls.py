"""URLs of the review floor: agency, office and report pages; expert and leader pages."""

from django.urls import include, path

from review.views import agency, office, report

app_name = "review"

urlpatterns = [
    *agency.urlpatterns,
    *office.urlpatterns,
    *report.urlpatterns,
    path("", include("review.urls_scoring")),
]

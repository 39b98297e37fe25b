"""URLs of the applications floor: applicant, county, office pages and downloads."""

from applications.views import applicant, county, documents, office

app_name = "applications"

urlpatterns = (
    county.urlpatterns + office.urlpatterns + documents.urlpatterns + applicant.urlpatterns
)

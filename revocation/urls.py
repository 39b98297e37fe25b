"""Staff pages of the revocation floor under /revocation/ (namespace "revocation")."""

from revocation.views import complaints

app_name = "revocation"

urlpatterns = [*complaints.urlpatterns]

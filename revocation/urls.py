"""Staff pages of the revocation floor under /revocation/ (namespace "revocation")."""

from revocation.views import cases

app_name = "revocation"

urlpatterns = []
urlpatterns += cases.urlpatterns

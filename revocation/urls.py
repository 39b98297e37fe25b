"""Staff pages of the revocation floor under /revocation/ (namespace "revocation")."""

from revocation.views import assessments, obligations

app_name = "revocation"

urlpatterns = []
urlpatterns += assessments.urlpatterns
urlpatterns += obligations.urlpatterns

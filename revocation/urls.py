"""Staff pages of the revocation floor under /revocation/ (namespace "revocation")."""

from revocation.views import assessments, cases, complaints, obligations

app_name = "revocation"

urlpatterns = []
urlpatterns += cases.urlpatterns
urlpatterns += assessments.urlpatterns
urlpatterns += obligations.urlpatterns
urlpatterns += complaints.urlpatterns

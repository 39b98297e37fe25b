"""Staff pages of the revocation floor under /revocation/ (namespace "revocation")."""

app_name = "revocation"

urlpatterns = []

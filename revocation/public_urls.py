"""Public pages of the revocation floor at the site root (namespace "public_revocation"):
revocation announcements, complaints and their receipts."""

from revocation.views import complaints

app_name = "public_revocation"

urlpatterns = [*complaints.public_urlpatterns]

"""Public pages of the revocation floor at the site root (namespace "public_revocation"):
revocation announcements, complaints and their receipts."""

app_name = "public_revocation"

urlpatterns = []

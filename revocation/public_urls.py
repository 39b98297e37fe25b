"""Public pages of the revocation floor at the site root (namespace "public_revocation"):
revocation announcements, complaints and their receipts."""

from revocation.views import cases, complaints, obligations

app_name = "public_revocation"

urlpatterns = []
urlpatterns += cases.public_urlpatterns
urlpatterns += obligations.public_urlpatterns
urlpatterns += complaints.public_urlpatterns

"""The public pages of the decisions floor: 公示, objections, winners, certificate checks."""

from decisions.urls import AREAS

app_name = "public_decisions"
urlpatterns = [pattern for area in AREAS for pattern in area.public_urlpatterns]

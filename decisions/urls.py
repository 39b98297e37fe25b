"""The decisions floor's pages: staff pages under /decisions/, public pages from the root."""

from decisions.views import (
    candidates,
    dashboard,
    exports,
    feedback,
    honours,
    meetings,
    publicity,
)

AREAS = (candidates, meetings, publicity, honours, feedback, exports, dashboard)

app_name = "decisions"
urlpatterns = [pattern for area in AREAS for pattern in area.urlpatterns]

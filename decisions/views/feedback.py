"""Pages of the decisions floor: feedback."""

urlpatterns = []
public_urlpatterns = []

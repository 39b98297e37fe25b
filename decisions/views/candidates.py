"""Pages of the decisions floor: candidates."""

urlpatterns = []
public_urlpatterns = []

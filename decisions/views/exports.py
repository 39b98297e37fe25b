"""Pages of the decisions floor: exports."""

urlpatterns = []
public_urlpatterns = []

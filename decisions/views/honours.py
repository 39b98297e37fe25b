"""Pages of the decisions floor: honours."""

urlpatterns = []
public_urlpatterns = []

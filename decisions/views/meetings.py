"""Pages of the decisions floor: meetings."""

urlpatterns = []
public_urlpatterns = []

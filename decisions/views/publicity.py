"""Pages of the decisions floor: publicity."""

urlpatterns = []
public_urlpatterns = []

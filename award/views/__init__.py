"""Views of the ground floor; each module exports its own urlpatterns."""

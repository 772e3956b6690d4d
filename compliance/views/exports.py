"""Pages of this area (to be filled in)."""

urlpatterns: list = []

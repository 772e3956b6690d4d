"""REST API URLs (see issue: REST API with OpenAPI)."""

urlpatterns: list = []

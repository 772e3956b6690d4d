"""Page-number pagination: ?page=2&page_size=100 (at most 200 rows a page)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    page_size_query_description = _("每页的行数，默认 50，最多 200（更大的值按 200 处理）。")

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """The page size's bounds are part of the contract: 1..200, default 50."""
        parameters = super().get_schema_operation_parameters(view)
        for p in parameters:
            if p["name"] == self.page_size_query_param:
                p["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
            elif p["name"] == self.page_query_param:
                p["schema"] = {"type": "integer", "minimum": 1}
        return parameters

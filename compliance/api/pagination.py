"""Page-number pagination: ?page=2&page_size=100 (at most 200 rows a page).

The count is bounded (compliance/paging.py): past ``DUBAN_LIST_COUNT_CAP`` rows it stops counting,
answers ``count`` = the cap with ``count_capped: true``, and pages end there; narrow the list with
the filters to reach the rest.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from ..paging import BoundedPaginator


class ApiPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = BoundedPaginator
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

    def get_paginated_response(self, data) -> Response:
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "True when there are more rows than `count` (the count stops at the server's cap).",
        }
        out["required"] = [*out.get("required", []), "count_capped"]
        return out

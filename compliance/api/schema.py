"""OpenAPI generation: every operation documents the shared error format for its error codes."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema


class DubanAutoSchema(AutoSchema):
    """Add the error responses every endpoint can give, so clients (and schemathesis) know them.

    401/403 everywhere, 400 where input is read (a body or a query string), 404 where the path
    names an object or a list is paged, 409 where the view declares ``api_conflict_responses = True``.
    """

    def _error_codes(self) -> list[str]:
        codes = []
        if self.method != "DELETE":
            codes.append("400")
        codes += ["401", "403"]
        if "{" in self.path or (self.method == "GET" and self._is_list_view()):  # list: page out of range
            codes.append("404")
        if getattr(self.view, "api_conflict_responses", False):
            codes.append("409")
        return codes

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        from .serializers import ErrorApiSerializer

        responses = super()._get_response_bodies(direction=direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorApiSerializer, code, direction=direction)
        return responses

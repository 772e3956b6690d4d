"""GET /api/: the API root — where the documentation, the schema and every endpoint are."""

from __future__ import annotations

import re

from django.urls import URLPattern
from rest_framework import decorators
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response


def _endpoints(request: Request) -> dict[str, str]:
    from .urls import urlpatterns

    base = request.build_absolute_uri("/api/")
    out: dict[str, str] = {}
    for pattern in urlpatterns:
        if not isinstance(pattern, URLPattern) or not pattern.name or pattern.name in ("api-root", "api-not-found"):
            continue
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        out[pattern.name.removeprefix("api-")] = base + route
    return out


@decorators.api_view(["GET"])
@decorators.permission_classes([AllowAny])
@decorators.authentication_classes([])
@decorators.schema(None)
def api_root(request: Request) -> Response:
    """Links to the documentation, the schema and every endpoint (``{pk}`` stands for an id)."""
    return Response(
        {
            "docs": request.build_absolute_uri("/api/docs/"),
            "schema": request.build_absolute_uri("/api/schema/"),
            "authentication": "Authorization: Token <key> (POST /api/auth/token/ with username and password)",
            "endpoints": _endpoints(request),
        }
    )

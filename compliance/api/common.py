"""What the API views share: the user's object or 404, file-download negotiation, the 404 catch-all.

Visibility rule (see errors.py): an object the user may not read answers 404, exactly like an id
that does not exist; an object the user may read but not change answers 403; an endpoint no
one of the user's role may use (imports, exports for department staff) answers 403.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from rest_framework import decorators, exceptions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from .. import selectors
from ..models import Assignment

M = TypeVar("M", bound=Model)
MAX_ID = 2**63 - 1


def get_visible(qs: QuerySet[M], pk: int) -> M:
    """One object of a user-scoped queryset, or 404 (also for ids beyond the database's range)."""
    if not 0 < pk <= MAX_ID:
        raise exceptions.NotFound()
    try:
        return qs.get(pk=pk)
    except qs.model.DoesNotExist:
        raise exceptions.NotFound() from None


def visible_assignment(request: Request, pk: int) -> Assignment:
    return get_visible(selectors.assignment_scope(user=request.user), pk)


class TodayContextMixin:
    """Serializers of assignments judge 临期/逾期 against one "today" per request."""

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        context["today"] = selectors.today()
        return context


class AnyAcceptNegotiation(BaseContentNegotiation):
    """File downloads answer whatever the client accepts; errors are still rendered as JSON."""

    def select_parser(self, request: Request, parsers: list) -> Any:
        return parsers[0]

    def select_renderer(self, request: Request, renderers: list, format_suffix: str | None = None) -> tuple:
        return renderers[0], renderers[0].media_type


@decorators.api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@decorators.permission_classes([AllowAny])
@decorators.authentication_classes([])
@decorators.schema(None)
def api_not_found(request: Request) -> Response:
    """Unknown /api/ paths (and ids that are not numbers) answer in the API's error format."""
    raise exceptions.NotFound()

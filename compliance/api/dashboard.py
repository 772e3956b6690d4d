"""Dashboard figures, scoped to the caller (the same selector as the dashboard page)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, selectors_dashboard
from . import serializers as s


def _counts(c: Any) -> dict[str, Any]:
    return {**vars(c), "completion_rate": c.completion_rate, "on_time_rate": c.on_time_rate}


def dashboard_body(d: selectors_dashboard.Dashboard) -> dict[str, Any]:
    """The selector's figures in the shape of DashboardApiSerializer."""
    return {
        "today": d.today,
        "totals": _counts(d.totals),
        "by_department": [{"id": r.id, "name": r.name, "counts": _counts(r.counts)} for r in d.by_department],
        "by_document": [{"id": r.id, "name": r.name, "counts": _counts(r.counts)} for r in d.by_document],
        "overdue": d.overdue,
        "due_soon": d.due_soon,
        "completed_by_month": s.month_rows(d.completed_by_month),
        "ranking": [_counts(r) for r in d.ranking],
        "rank_from": d.rank_from,
        "rank_to": d.rank_to,
    }


class DashboardApi(APIView):
    @extend_schema(
        tags=["dashboard"],
        parameters=[s.DashboardQueryApiSerializer],
        responses={200: s.DashboardApiSerializer},
        summary="Dashboard figures (scoped to you)",
    )
    def get(self, request: Request) -> Response:
        query = s.DashboardQueryApiSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        data = selectors_dashboard.dashboard(
            user=request.user,
            filters={k: q.get(k) for k in ("document", "department", "year")},
            rank_from=q.get("rank_from"),
            rank_to=q.get("rank_to"),
        )
        return Response(s.DashboardApiSerializer(dashboard_body(data), context={"today": selectors.today()}).data)

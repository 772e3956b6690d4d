"""Dashboard page: figures scoped to the user, server-side SVG charts, every figure a link to its items."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from .. import rules, selectors_dashboard
from ..models import Assignment


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _pct(rate: float | None) -> float:
    return round((rate or 0) * 100, 1)


class Links:
    """Build /tasks/ links that keep the dashboard's filters (the task list reads the same GET names)."""

    def __init__(self, filters: dict[str, Any]) -> None:
        self.base = {k: v for k, v in filters.items() if v not in (None, "")}

    def __call__(self, **params: Any) -> str:
        query = {**self.base, **{k: v for k, v in params.items() if v not in (None, "")}}
        return "/tasks/" + (f"?{urlencode(query)}" if query else "")


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = {
        "document": _int(request.GET.get("document")),
        "department": _int(request.GET.get("department")),
        "year": _int(request.GET.get("year")),
    }
    rank_from, rank_to = _date(request.GET.get("from")), _date(request.GET.get("to"))
    if rank_from and rank_to and rank_from > rank_to:
        rank_from, rank_to = rank_to, rank_from
    data = selectors_dashboard.dashboard(user=user, filters=filters, rank_from=rank_from, rank_to=rank_to)
    link = Links(filters)
    labels = dict(Assignment.Status.choices)

    departments = [
        {
            "name": r.name,
            "counts": r.counts,
            "completion": _pct(r.counts.completion_rate),
            "on_time": _pct(r.counts.on_time_rate),
            "href": link(department=r.id),
            "href_completed": link(department=r.id, status=Assignment.Status.COMPLETED),
            "href_overdue": link(department=r.id, overdue=1),
            "href_soon": link(department=r.id, due_within=rules.due_soon_days()),
            "y": 30 + i * 34,
        }
        for i, r in enumerate(data.by_department)
    ]
    documents = [
        {
            "name": r.name,
            "counts": r.counts,
            "completion": _pct(r.counts.completion_rate),
            "on_time": _pct(r.counts.on_time_rate),
            "href": link(document=r.id),
            "href_completed": link(document=r.id, status=Assignment.Status.COMPLETED),
            "href_overdue": link(document=r.id, overdue=1),
        }
        for r in data.by_document
    ]
    most = max(data.totals.by_status.values(), default=0) or 1
    statuses = [
        {
            "label": labels[value],
            "value": value,
            "n": n,
            "width": round(n * 280 / most, 2),
            "y": 6 + i * 22,
            "href": link(status=value),
        }
        for i, (value, n) in enumerate(data.totals.by_status.items())
    ]
    peak = max((n for _, n in data.completed_by_month), default=0) or 1
    months = [
        {
            "label": f"{m.year}-{m.month:02d}",
            "short": _("%(m)s月") % {"m": m.month},
            "n": n,
            "height": round(n * 80 / peak, 2),
            "top": round(100 - n * 80 / peak, 2),
            "x": i * 40 + 8,
            "href": link(status=Assignment.Status.COMPLETED, completed_month=f"{m.year}-{m.month:02d}"),
        }
        for i, (m, n) in enumerate(data.completed_by_month)
    ]
    ranking = [
        {
            "row": r,
            "completion": _pct(r.completion_rate),
            "on_time": _pct(r.on_time_rate),
            "href": link(department=r.department_id),
            "href_overdue": link(department=r.department_id, overdue=1),
            "href_completed": link(department=r.department_id, status=Assignment.Status.COMPLETED),
        }
        for r in data.ranking
    ]
    today = data.today
    context = {
        "data": data,
        "filters": filters,
        "departments": departments,
        "dept_chart_height": 34 * len(departments) + 40,
        "documents": documents,
        "statuses": statuses,
        "months": months,
        "months_width": 40 * len(months) + 16,
        "status_chart_height": 22 * len(statuses) + 8,
        "ranking": ranking,
        "totals": data.totals,
        "completion": _pct(data.totals.completion_rate),
        "on_time": _pct(data.totals.on_time_rate),
        "links": {
            "all": link(),
            "completed": link(status=Assignment.Status.COMPLETED),
            "overdue": link(overdue=1),
            "soon": link(due_within=rules.due_soon_days()),
        },
        "document_options": data.document_options,
        "department_options": data.department_options,
        "year_options": list(range(today.year + 1, today.year - 4, -1)),
        "soon_days": rules.due_soon_days(),
    }
    return render(request, "dashboard/index.html", context)


urlpatterns = [path("dashboard/", dashboard_page, name="dashboard")]

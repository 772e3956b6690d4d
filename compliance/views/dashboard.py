"""Dashboard page: figures scoped to the user, server-side SVG charts, every figure a link to its items.

The figures come from ``selectors_dashboard.dashboard``; this module only lays them out (chart
geometry) and builds the links into 我的任务 that keep the dashboard's filters.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from .. import rules, selectors_dashboard
from ..models import Assignment
from ..selectors_dashboard import Dashboard

S = Assignment.Status
DEPT_ROW_HEIGHT = 34
STATUS_ROW_HEIGHT = 22
MONTH_WIDTH = 40


def _int(value: str | None) -> int | None:
    """A positive id that fits the database's integer, or None."""
    try:
        number = int(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is not None and 0 < number < 2**63 else None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _pct(rate: float | None) -> float:
    return round((rate or 0) * 100, 1)


class Links:
    """Links into 我的任务 that keep the dashboard's filters (the task list reads the same GET names)."""

    def __init__(self, filters: dict[str, Any]) -> None:
        self.base = {k: v for k, v in filters.items() if v not in (None, "")}
        self.url = reverse("task_list")

    def __call__(self, **params: Any) -> str:
        query = {**self.base, **{k: v for k, v in params.items() if v not in (None, "")}}
        return self.url + (f"?{urlencode(query)}" if query else "")


def _department_rows(data: Dashboard, link: Links) -> list[dict[str, Any]]:
    return [
        {
            "name": r.name,
            "counts": r.counts,
            "completion": _pct(r.counts.completion_rate),
            "on_time": _pct(r.counts.on_time_rate),
            "href": link(department=r.id),
            "href_completed": link(department=r.id, status=S.COMPLETED),
            "href_on_time": link(department=r.id, on_time=1),
            "href_overdue": link(department=r.id, overdue=1),
            "href_soon": link(department=r.id, due_within=rules.due_soon_days()),
            "y": 30 + i * DEPT_ROW_HEIGHT,
        }
        for i, r in enumerate(data.by_department)
    ]


DOCUMENT_ROWS = 30  # documents shown in 各文件进展; the rest are one click away in the document list


def _document_rows(data: Dashboard, link: Links) -> list[dict[str, Any]]:
    return [
        {
            "name": r.name,
            "counts": r.counts,
            "completion": _pct(r.counts.completion_rate),
            "on_time": _pct(r.counts.on_time_rate),
            "href": link(document=r.id),
            "href_completed": link(document=r.id, status=S.COMPLETED),
            "href_overdue": link(document=r.id, overdue=1),
        }
        for r in data.by_document
    ]


def _status_bars(data: Dashboard, link: Links) -> list[dict[str, Any]]:
    labels = dict(S.choices)
    most = max(data.totals.by_status.values(), default=0) or 1
    return [
        {
            "label": labels[value],
            "value": value,
            "n": n,
            "width": round(n * 280 / most, 2),
            "y": 6 + i * STATUS_ROW_HEIGHT,
            "href": link(status=value),
        }
        for i, (value, n) in enumerate(data.totals.by_status.items())
    ]


def _month_bars(data: Dashboard, link: Links) -> list[dict[str, Any]]:
    peak = max((n for _, n in data.completed_by_month), default=0) or 1
    return [
        {
            "label": f"{m.year}-{m.month:02d}",
            "short": _("%(m)s月") % {"m": m.month},
            "n": n,
            "height": round(n * 80 / peak, 2),
            "top": round(100 - n * 80 / peak, 2),
            "x": i * MONTH_WIDTH + 8,
            "href": link(status=S.COMPLETED, completed_month=f"{m.year}-{m.month:02d}"),
        }
        for i, (m, n) in enumerate(data.completed_by_month)
    ]


def _ranking_rows(data: Dashboard, link: Links) -> list[dict[str, Any]]:
    """The ranking counts items due in the period: every link carries the period too."""
    period = {"due_from": data.rank_from.isoformat(), "due_to": data.rank_to.isoformat()}
    return [
        {
            "row": r,
            "completion": _pct(r.completion_rate),
            "on_time": _pct(r.on_time_rate),
            "href": link(department=r.department_id, **period),
            "href_overdue": link(department=r.department_id, overdue=1, **period),
            "href_completed": link(department=r.department_id, status=S.COMPLETED, **period),
            "href_on_time": link(department=r.department_id, on_time=1, **period),
        }
        for r in data.ranking
    ]


def _year(value: str | None) -> int | None:
    """A year the dashboard can filter by; anything else is no filter."""
    year = _int(value)
    return year if year is not None and 1900 <= year <= 2999 else None


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    filters = {
        "document": _int(request.GET.get("document")),
        "department": _int(request.GET.get("department")),
        "year": _year(request.GET.get("year")),
    }
    data = selectors_dashboard.dashboard(
        user=request.user,
        filters=filters,
        rank_from=_date(request.GET.get("from")),
        rank_to=_date(request.GET.get("to")),
        document_limit=DOCUMENT_ROWS,
    )
    link = Links(filters)
    departments = _department_rows(data, link)
    statuses = _status_bars(data, link)
    months = _month_bars(data, link)
    soon_days = rules.due_soon_days()
    context = {
        "data": data,
        "filters": filters,
        "departments": departments,
        "dept_chart_height": DEPT_ROW_HEIGHT * len(departments) + 40,
        "documents": _document_rows(data, link),
        "documents_not_shown": max(0, data.documents_total - len(data.by_document)),
        "statuses": statuses,
        "months": months,
        "months_width": MONTH_WIDTH * len(months) + 16,
        "status_chart_height": STATUS_ROW_HEIGHT * len(statuses) + 8,
        "ranking": _ranking_rows(data, link),
        "totals": data.totals,
        "completion": _pct(data.totals.completion_rate),
        "on_time": _pct(data.totals.on_time_rate),
        "links": {
            "all": link(),
            "completed": link(status=S.COMPLETED),
            "overdue": link(overdue=1),
            "soon": link(due_within=soon_days),
        },
        "document_options": data.document_options,
        "department_options": data.department_options,
        "year_options": list(range(data.today.year + 1, data.today.year - 4, -1)),
        "soon_days": soon_days,
    }
    return render(request, "dashboard/index.html", context)


urlpatterns = [path("dashboard/", dashboard_page, name="dashboard")]

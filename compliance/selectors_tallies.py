"""The dashboard's figures read from the tallies (compliance/models/tallies.py) instead of a scan.

``tally_figures`` returns the same plain data as selectors_dashboard's scan (rows grouped by
department and status, by document and status, completions per month) for the view the tallies
keep: everything a reader who sees every department may see, no filter, this year's ranking. It
returns None where they cannot answer (SQLite, a narrower scope or a filter, another ranking
period, or a rebuild already running elsewhere) and the dashboard scans instead.

When the tallies were built for another day, 临期 window or time zone (the buckets move with the
day), the first reader rebuilds them: one statement, under an advisory lock so that two readers do
not rebuild together; the daily beat task (tasks.dashboard) usually gets there first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import connection

from . import rules
from .models import Assignment
from .models.tallies import TallyBucket

REBUILD_LOCK = 1685414497  # the advisory lock duban_tally_rebuild takes (migration 0011)

_FIGURES = f"""
sum(n) AS n,
coalesce(sum(n) FILTER (WHERE on_time), 0) AS on_time,
coalesce(sum(n) FILTER (WHERE bucket = {TallyBucket.PAST_DUE}), 0) AS past_due,
coalesce(sum(n) FILTER (WHERE bucket = {TallyBucket.DUE_SOON}), 0) AS due_soon
"""

# {documents} is replaced by _MOST_URGENT (a page showing a few documents) or by nothing.
_READ = f"""
WITH s AS (
  SELECT 1 FROM compliance_dashboardtallystate WHERE id = 1 AND ref_day = %(day)s AND soon_days = %(soon)s AND tz = %(tz)s
)
SELECT 'fresh', NULL::integer, NULL::varchar, 0, 0, 0, 0, 0, 0, 0, NULL::date FROM s
UNION ALL
SELECT 'department', department_id, status, {_FIGURES},
  coalesce(sum(n) FILTER (WHERE in_period), 0),
  coalesce(sum(n) FILTER (WHERE in_period AND on_time), 0),
  coalesce(sum(n) FILTER (WHERE in_period AND bucket = {TallyBucket.PAST_DUE}), 0),
  NULL::date
FROM compliance_departmenttally WHERE EXISTS (SELECT 1 FROM s)
GROUP BY department_id, status HAVING sum(n) <> 0
UNION ALL
SELECT 'document', document_id, status, {_FIGURES}, 0, 0, 0, NULL::date
FROM compliance_documenttally WHERE EXISTS (SELECT 1 FROM s) {{documents}}
GROUP BY document_id, status HAVING sum(n) <> 0
UNION ALL
SELECT 'documents', NULL, NULL, count(*), 0, 0, 0, 0, 0, 0, NULL
FROM compliance_documenturgency WHERE EXISTS (SELECT 1 FROM s) AND total > 0
UNION ALL
SELECT 'month', NULL, NULL, sum(n), 0, 0, 0, 0, 0, 0, done_month
FROM compliance_departmenttally WHERE EXISTS (SELECT 1 FROM s) AND status = %(completed)s AND done_month >= %(first)s
GROUP BY done_month HAVING sum(n) <> 0
"""

# The documents most in need of attention: most overdue items, then most not completed (as the
# scan path's _most_urgent in selectors_dashboard), read from DocumentUrgency's index.
_MOST_URGENT = """AND document_id IN (
  SELECT document_id FROM compliance_documenturgency WHERE total > 0
  ORDER BY overdue DESC, not_completed DESC, document_id LIMIT %(limit)s
)"""

_KEYS = ("n", "on_time", "past_due", "due_soon", "p_n", "p_on_time", "p_past_due")


def available() -> bool:
    """Whether this database keeps tallies (the triggers are PostgreSQL's)."""
    return connection.vendor == "postgresql"


def _state(today: dt.date) -> tuple[dt.date, int, str]:
    return today, rules.due_soon_days(), settings.TIME_ZONE


def _read(today: dt.date, first_month: dt.date, document_limit: int | None) -> dict[str, Any] | None:
    day, soon, tz = _state(today)
    params = {
        "day": day,
        "soon": soon,
        "tz": tz,
        "completed": Assignment.Status.COMPLETED.value,
        "open": [s.value for s in Assignment.OPEN_STATUSES],
        "first": first_month,
        "limit": document_limit,
    }
    with connection.cursor() as cursor:
        cursor.execute(_READ.replace("{documents}", _MOST_URGENT if document_limit else ""), params)
        rows = cursor.fetchall()
    if not rows or rows[0][0] != "fresh":
        return None
    figures: dict[str, Any] = {"by_department": [], "by_document": [], "monthly": {}, "documents_total": 0}
    for kind, key, status, *counts, month in rows[1:]:
        if kind == "month":
            figures["monthly"][month] = counts[0]
            continue
        if kind == "documents":
            figures["documents_total"] = counts[0]
            continue
        row = dict(zip(_KEYS, counts, strict=True), status=status)
        if kind == "department":
            figures["by_department"].append({"department_id": key, **row})
        else:
            figures["by_document"].append({"requirement__document_id": key, **row})
    return figures


def rebuild(today: dt.date) -> bool:
    """Rebuild the tallies for ``today`` in one statement; False when another transaction is
    rebuilding them (its advisory lock, REBUILD_LOCK, is held: nothing done)."""
    if not available():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT duban_tally_rebuild(%s, %s, %s)", list(_state(today)))
        return bool(cursor.fetchone()[0])


def tally_figures(
    *, today: dt.date, rank_from: dt.date, rank_to: dt.date, months: list[dt.date], document_limit: int | None = None
) -> dict | None:
    """The scan's figures from the tallies, or None where they cannot answer (see the module).

    ``document_limit``: only that many documents, those most in need of attention, in by_document
    (``documents_total`` counts them all).
    """
    if not available() or (rank_from, rank_to) != (today.replace(month=1, day=1), today):
        return None
    figures = _read(today, months[0], document_limit)
    if figures is None and rebuild(today):
        figures = _read(today, months[0], document_limit)
    return figures

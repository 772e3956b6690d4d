"""Bounded pagination: pages never count more rows than a person could page through.

A list of a million assignments must not run ``COUNT(*)`` over a million rows on every page view.
:class:`BoundedPaginator` counts at most ``DUBAN_LIST_COUNT_CAP`` rows (``SELECT COUNT(*)`` over a
``LIMIT cap + 1`` subquery, so the cost is bounded whatever the table size); past the cap the list
says "more than N" and asks for a filter, and pages stop at the cap. Used by the task list page
and the API's list endpoints.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class BoundedPaginator(Paginator):
    @cached_property
    def _seen(self) -> int:
        """Rows counted up to the cap and one more (so that "more than the cap" shows)."""
        cap = settings.DUBAN_LIST_COUNT_CAP
        rows = self.object_list
        if hasattr(rows, "order_by"):
            rows = rows.order_by()  # which rows are counted does not matter: no sort of the whole table
        return rows[: cap + 1].count() if hasattr(rows, "count") else len(rows[: cap + 1])

    @property
    def count(self) -> int:
        """The number of rows, or the cap when there are more (see :attr:`capped`)."""
        return min(self._seen, settings.DUBAN_LIST_COUNT_CAP)

    @property
    def capped(self) -> bool:
        return self._seen > settings.DUBAN_LIST_COUNT_CAP

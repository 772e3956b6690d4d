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


def count_cap() -> int:
    return settings.DUBAN_LIST_COUNT_CAP


class BoundedPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        """The number of rows, or ``cap`` when there are more (see :attr:`capped`)."""
        cap = count_cap()
        rows = self.object_list
        if hasattr(rows, "order_by"):
            rows = rows.order_by()  # which rows are counted does not matter: no sort of the whole table
        seen = rows[: cap + 1].count() if hasattr(rows, "count") else len(rows)
        self.capped = seen > cap
        return min(seen, cap)

    capped = False

"""The period a plan covers, from its title: （2024—2026年） ends on 2026-12-31.

Offered as the document's default deadline on the assignment screen. Pure.
"""

from __future__ import annotations

import datetime as dt
import re

_PERIOD = re.compile(r"(20\d{2})\s*年?\s*[—–\-－~～至到]+\s*(20\d{2})\s*年")


def plan_end_date(title: str) -> dt.date | None:
    """The last day of the last year of a "YYYY—YYYY年" period in a title; None without one."""
    found = _PERIOD.search(title or "")
    if not found:
        return None
    start, end = int(found.group(1)), int(found.group(2))
    return dt.date(end, 12, 31) if end >= start else None

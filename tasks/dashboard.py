"""The dashboard tallies' daily rebuild (compliance/models/tallies.py).

The tallies count items as past due or 临期 against a reference day, so they are rebuilt when the
day changes. Beat sends this a minute after midnight (the site's time zone); without it the first
dashboard of the day rebuilds them instead, at the cost of one scan on that page load.
"""

from __future__ import annotations

from celery import shared_task

from . import once


@shared_task(name="tasks.dashboard.rebuild_tallies", acks_late=True)
def rebuild_tallies(slot_seconds: int | None = None) -> bool:
    """Rebuild the tallies for today; False where there are none (SQLite) or another rebuild runs."""
    from compliance import selectors, selectors_tallies

    with once.once_per_slot("rebuild_tallies", slot_seconds) as first:
        return selectors_tallies.rebuild(selectors.today()) if first else False

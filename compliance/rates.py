"""The two rates every report shows, defined once for the dashboard and the audit workbook."""

from __future__ import annotations


class CompletionRates:
    """Mixin for tallies with ``total``, ``completed``, ``on_time``, ``overdue``, ``not_applicable``."""

    total: int
    completed: int
    on_time: int
    overdue: int
    not_applicable: int

    @property
    def completion_rate(self) -> float | None:
        """完成率 = completed ÷ (items − not applicable)."""
        base = self.total - self.not_applicable
        return self.completed / base if base else None

    @property
    def on_time_rate(self) -> float | None:
        """按期率 = completed on time ÷ (completed + overdue): overdue items count against it."""
        base = self.completed + self.overdue
        return self.on_time / base if base else None

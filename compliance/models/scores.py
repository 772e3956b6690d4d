"""The scoring rule of the annual 督办考核: weights the office sets, shown next to every score."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ScoringRule(models.Model):
    """score = on_time_weight × 按期率 − overdue × per overdue item − returns × … − late reports × … − urges × …

    The newest rule is in force; earlier ones stay in the history.
    """

    name = models.CharField(_("名称"), max_length=100, default="督办考核评分规则")
    on_time_weight = models.DecimalField(_("按期办结（按期率满分）"), max_digits=6, decimal_places=2, default=100)
    overdue_penalty = models.DecimalField(_("每项逾期扣分"), max_digits=6, decimal_places=2, default=5)
    return_penalty = models.DecimalField(_("每次退回扣分"), max_digits=6, decimal_places=2, default=2)
    late_report_penalty = models.DecimalField(_("每次迟报扣分"), max_digits=6, decimal_places=2, default=2)
    urge_penalty = models.DecimalField(_("每次被催办扣分"), max_digits=6, decimal_places=2, default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("考核评分规则")
        verbose_name_plural = _("考核评分规则")

    def __str__(self) -> str:
        return self.name

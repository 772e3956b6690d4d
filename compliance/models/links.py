"""Links from a requirement to the requirements it implements in other documents (上下贯通)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .documents import Requirement


class RequirementLink(models.Model):
    """``source`` implements ``target`` (a university task → a 教育部工作要点 item), many-to-many.

    A proposal made by text similarity waits for the office (proposed); accepted links count in
    coverage; rejected proposals are kept so that they are not proposed again.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待确认")
        ACCEPTED = "accepted", _("已关联")
        REJECTED = "rejected", _("已否决")

    source = models.ForeignKey(
        Requirement, on_delete=models.CASCADE, related_name="upstream_links", verbose_name=_("本级条款")
    )
    target = models.ForeignKey(
        Requirement, on_delete=models.CASCADE, related_name="downstream_links", verbose_name=_("上级条款")
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    score = models.FloatField(_("相似度"), null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("候选名次"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("关联时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("关联人"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["source_id", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="uniq_requirement_link"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="link_not_to_itself"),
        ]
        verbose_name = _("上下贯通关联")
        verbose_name_plural = _("上下贯通关联")

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id} ({self.get_status_display()})"

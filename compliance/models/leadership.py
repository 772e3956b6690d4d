"""What a school leader (分管校领导) adds to the work: 批示 (instructions) and 催办 (urges)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .documents import PolicyDocument
from .org import Department
from .tracking import Assignment


class Instruction(models.Model):
    """A 批示 on one item, or on a whole document (``assignment`` empty).

    Shown at the top of the item page (an instruction on the document on every item of it) to the
    department and the office; the history keeps every version.
    """

    document = models.ForeignKey(
        PolicyDocument, on_delete=models.PROTECT, related_name="instructions", verbose_name=_("文件")
    )
    assignment = models.ForeignKey(
        Assignment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instructions",
        verbose_name=_("事项"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("批示人")
    )
    text = models.TextField(_("批示内容"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("批示")
        verbose_name_plural = _("批示")

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:30]}"


class Urge(models.Model):
    """A 催办: a school leader or the office presses a department, about one item or in general.

    The department is told (in the app and by e-mail); urges received count in the ranking.
    """

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="urges", verbose_name=_("被催办部门")
    )
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.PROTECT, related_name="urges", verbose_name=_("事项")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("催办人")
    )
    note = models.TextField(_("催办说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["department", "created_at"])]
        verbose_name = _("催办")
        verbose_name_plural = _("催办")

    def __str__(self) -> str:
        return f"{self.by} → {self.department}"

"""The reminder delivery ledger: one row per (assignment, reminder, occurrence, channel, recipient).

The unique constraint is what makes the scanner safe to re-run, to run twice at once and to
catch up after downtime: a reminder that already has its row is never inserted (or sent) again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tracking import Assignment


class ReminderDelivery(models.Model):
    """One reminder for one recipient on one channel; pending until a send is confirmed."""

    # Reminders about progress reports (report_due_3, report_late_1 …; occurrence "round:<id>")
    # share the ledger but have their own scanner and sender (tasks.report_reminders).
    REPORT_KIND_PREFIX = "report_"

    class Channel(models.TextChoices):
        EMAIL = "email", _("邮件")
        WECOM = "wecom", _("企业微信")
        DINGTALK = "dingtalk", _("钉钉")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        # The item was closed, reassigned or got a new due date before the reminder went out.
        SKIPPED = "skipped", _("已取消")

    # No database-level foreign keys: the ledger is append-heavy, and the per-row FK checks
    # nearly doubled the scan's insert time (85,000 rows: 1.5 s without, 2.7 s with, PostgreSQL
    # 15). Django still cascades deletes, and delivery skips a row whose assignment is gone.
    # The unique constraint's index starts with assignment_id, so no separate index is needed.
    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="reminder_deliveries",
        verbose_name=_("任务"),
        db_constraint=False,
        db_index=False,
    )
    # before_14 ... before_1, due_today, overdue_1, overdue_2 ..., escalate_head, escalate_leader
    kind = models.CharField(_("提醒类型"), max_length=32)
    # The due date the reminder is about: an extension starts a fresh series for the new date.
    occurrence = models.CharField(_("期次"), max_length=32)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    # "user:<id>" for e-mail, "dept:<id>" for a department's robot webhook.
    recipient = models.CharField(_("接收方"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, default="")
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        # The table keeps the name it was created with in the tasks app.
        db_table = "tasks_reminderdelivery"
        constraints = (
            models.UniqueConstraint(
                fields=["assignment", "kind", "occurrence", "channel", "recipient"],
                name="uniq_reminder_delivery",
            ),
        )
        indexes = (
            # The delivery loop reads only pending rows; a partial index keeps that cheap
            # however large the history of sent rows grows.
            models.Index(
                fields=["claimed_at", "id"],
                name="reminder_pending_idx",
                condition=models.Q(status="pending"),
            ),
        )
        verbose_name = _("提醒发送记录")
        verbose_name_plural = _("提醒发送记录")

    def __str__(self) -> str:
        return f"{self.kind} {self.occurrence} → {self.recipient} ({self.channel}, {self.status})"

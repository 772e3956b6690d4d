"""Periodic progress reports (定期报送): schedules, reporting rounds and one report per assignment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .documents import PolicyDocument
from .org import Department
from .tracking import Assignment, Evidence


class ReportSchedule(models.Model):
    """A recurring round: opened by itself at the start of every month or quarter (Celery beat)."""

    class Recurrence(models.TextChoices):
        MONTHLY = "monthly", _("每月")
        QUARTERLY = "quarterly", _("每季度")

    name = models.CharField(_("名称"), max_length=200)
    recurrence = models.CharField(_("周期"), max_length=16, choices=Recurrence.choices)
    due_day = models.PositiveSmallIntegerField(
        _("报送截止日"), default=25, help_text=_("每期报送截止于本期最后一个月的第几天（超过月末按月末）")
    )
    documents = models.ManyToManyField(PolicyDocument, blank=True, related_name="+", verbose_name=_("文件范围"))
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[documents])

    class Meta:
        ordering = ["id"]
        verbose_name = _("定期报送计划")
        verbose_name_plural = _("定期报送计划")

    def __str__(self) -> str:
        return self.name


class ReportRound(models.Model):
    """One reporting round (e.g. 2027年1月): every open assignment in scope files one report."""

    class Status(models.TextChoices):
        OPEN = "open", _("报送中")
        CLOSED = "closed", _("已结束")

    title = models.CharField(_("标题"), max_length=200)
    period = models.CharField(_("期次"), max_length=16, help_text=_("如 2027-01、2027-Q1"))
    period_start = models.DateField(_("期间开始"))
    period_end = models.DateField(_("期间结束"))
    due_date = models.DateField(_("报送截止"))
    schedule = models.ForeignKey(
        ReportSchedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="rounds", verbose_name=_("计划")
    )
    documents = models.ManyToManyField(PolicyDocument, blank=True, related_name="+", verbose_name=_("文件范围"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[documents])

    class Meta:
        ordering = ["-period_start", "-id"]
        constraints = [
            # Exactly one round per schedule and period, however often beat fires.
            models.UniqueConstraint(
                fields=["schedule", "period"],
                name="uniq_round_per_schedule_period",
                condition=models.Q(schedule__isnull=False),
            ),
        ]
        verbose_name = _("报送轮次")
        verbose_name_plural = _("报送轮次")

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """A department's report on one assignment in one round: a draft until submitted, then locked."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("未提交")
        SUBMITTED = "submitted", _("已提交")

    round = models.ForeignKey(ReportRound, on_delete=models.CASCADE, related_name="reports", verbose_name=_("轮次"))
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="progress_reports", verbose_name=_("任务")
    )
    # The department that reports, as it was when the round opened (a later reassignment does not
    # move a report already filed).
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="progress_reports", verbose_name=_("部门")
    )
    progress_text = models.TextField(_("进展情况"), blank=True)
    percent = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下一步计划"), blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="+", verbose_name=_("佐证材料"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["round_id", "department__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "assignment"], name="uniq_report_per_round_assignment"),
            models.CheckConstraint(
                condition=models.Q(percent__gte=0) & models.Q(percent__lte=100), name="report_percent_0_100"
            ),
        ]
        verbose_name = _("进展报送")
        verbose_name_plural = _("进展报送")

    def __str__(self) -> str:
        return f"{self.round} · {self.department} · {self.assignment_id}"

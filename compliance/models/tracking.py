"""Assignments (one requirement x one department) and what happens to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .documents import Requirement
from .org import Department


class Assignment(models.Model):
    """The unit of work: one requirement routed to one department."""

    class Role(models.TextChoices):
        LEAD = "lead", _("牵头")
        COOPERATING = "co", _("配合")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("未开始")
        IN_PROGRESS = "in_progress", _("进行中")
        SUBMITTED = "submitted", _("已提交")
        COMPLETED = "completed", _("已办结")
        RETURNED = "returned", _("已退回")
        NOT_APPLICABLE = "not_applicable", _("不适用")

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.RETURNED)
    CLOSED_STATUSES = (Status.COMPLETED, Status.NOT_APPLICABLE)

    requirement = models.ForeignKey(
        Requirement, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("条款")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("部门")
    )
    role = models.CharField(_("角色"), max_length=8, choices=Role.choices, default=Role.LEAD)
    period = models.CharField(
        _("周期"),
        max_length=16,
        blank=True,
        default="",
        help_text=_("周期性任务的期次，如 2026、2026-S1、2026-Q3；一次性任务为空"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED, db_index=True
    )
    due_date = models.DateField(_("完成时限"), null=True, blank=True, db_index=True)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    progress_note = models.TextField(_("最新进展"), blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "department", "period"], name="uniq_assignment_per_department"
            ),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=100),
                name="assignment_progress_0_100",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status"]),
            # The task list's default order (due date, then id; NULLs last): its first page reads
            # 50 index entries instead of sorting (or a parallel sort of) a million rows.
            models.Index(fields=["due_date", "id"], name="assignment_due_id_idx"),
        ]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")

    def __str__(self) -> str:
        return f"{self.requirement.path_display} → {self.department}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # Stored under a content hash, never under the user's file name.
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}"


class Evidence(models.Model):
    """A file that proves the work was done (佐证材料)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("任务")
    )
    file = models.FileField(_("文件"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("类型"), max_length=100, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.original_name


def _author_or_request_user(request=None, instance=None, **kwargs):
    """Who made a progress record: its author, else the signed-in user of the request."""
    if instance is not None and instance.author_id:
        return instance.author
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


# Progress notes, comments, review notes and reasons share one length limit (characters).
NOTE_MAX_LENGTH = 4000


class ProgressUpdate(models.Model):
    """A progress report (percent and note) or a plain comment on an assignment."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("进展")
        COMMENT = "comment", _("评论")
        SUBMIT = "submit", _("提交")
        APPROVE = "approve", _("办结")
        RETURN = "return", _("退回")
        REASSIGN = "reassign", _("改派")

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.PROGRESS)
    percent = models.PositiveSmallIntegerField(_("进度（%）"), null=True, blank=True)
    note = models.TextField(_("内容"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    # A comment or review note is part of the record: any change or deletion stays in its history.
    history = HistoricalRecords(get_user=_author_or_request_user)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("进展与评论")
        verbose_name_plural = _("进展与评论")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.note[:30]}"


class ExtensionRequest(models.Model):
    """延期申请: a unit asks for a later due date."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已同意")
        REJECTED = "rejected", _("未同意")

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="extension_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("理由"))
    proposed_date = models.DateField(_("申请延至"))
    previous_due_date = models.DateField(_("原时限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")

    def __str__(self) -> str:
        return f"{self.assignment} → {self.proposed_date}"


class Notification(models.Model):
    """An in-app notification for one user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    assignment = models.ForeignKey(Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # The department the notification was about when it was sent: an item reassigned later keeps
    # showing, in the old department's notifications, the department they were told about.
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    verb = models.CharField(max_length=32)
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once the e-mail copy has gone out; pending rows are retried by the delivery job.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    def __str__(self) -> str:
        return self.message

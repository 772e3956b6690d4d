"""Policy documents and their requirement trees."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PolicyDocument(models.Model):
    """One imported policy document (a compilation yields several)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    class Kind(models.TextChoices):
        NORMATIVE = "normative", _("政策文件")
        ATTACHMENT = "attachment", _("附件")

    title = models.CharField(_("标题"), max_length=500)
    issuer = models.CharField(_("发文机关"), max_length=300, blank=True)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    issue_date = models.DateField(_("成文日期"), null=True, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.NORMATIVE)
    source_name = models.CharField(_("来源文件"), max_length=255, blank=True)
    sha256 = models.CharField(_("内容摘要"), max_length=64, unique=True)
    body = models.TextField(_("正文"), blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imported_documents",
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # The office's default deadline for the whole document (e.g. the last year of a plan).
    default_due_date = models.DateField(_("默认完成时限"), null=True, blank=True)
    # A finished or superseded document is archived, never deleted: it leaves lists, dashboards
    # and reminders, and keeps its items, evidence and history.
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True, db_index=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("归档人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    archive_reason = models.CharField(_("归档原因"), max_length=500, blank=True)
    # A reference document (参考文件) is kept and listed for reading; it is never routed or
    # published and creates no tasks (e.g. a notice without items the office keeps on file).
    is_reference = models.BooleanField(_("参考文件"), default=False)

    history = HistoricalRecords(excluded_fields=["body"])

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")

    def __str__(self) -> str:
        return self.title

    @property
    def year(self) -> int | None:
        return self.issue_date.year if self.issue_date else None

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Requirement(models.Model):
    """A numbered node of a document: a tracked requirement, or a section title / context."""

    class Recurrence(models.TextChoices):
        YEARLY = "yearly", _("每年")
        SEMESTER = "semester", _("每学期")
        QUARTERLY = "quarterly", _("每季度")
        MONTHLY = "monthly", _("每月")
        WEEKLY = "weekly", _("每周")
        DAILY = "daily", _("每天")

    document = models.ForeignKey(
        PolicyDocument, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("文件")
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    label = models.CharField(_("编号"), max_length=32, blank=True)
    path = models.JSONField(_("路径"), default=list)
    order = models.PositiveIntegerField(_("顺序"), default=0)
    level = models.PositiveSmallIntegerField(_("层级"), default=1)
    heading = models.CharField(_("标题"), max_length=300, blank=True)
    text = models.TextField(_("原文"), blank=True)
    is_requirement = models.BooleanField(_("需跟踪"), default=True)
    lead_units_text = models.JSONField(_("牵头单位（原文）"), default=list, blank=True)
    co_units_text = models.JSONField(_("配合单位（原文）"), default=list, blank=True)
    # The office's routing decision ({"lead": [names], "co": [names]}); None until one is made.
    # Kept apart from the printed unit names above, which stay as the parser found them.
    routing_plan = models.JSONField(_("分派方案"), null=True, blank=True)
    deadlines = models.JSONField(_("时限（全部）"), default=list, blank=True)
    deadline_text = models.CharField(_("完成时限（原文）"), max_length=300, blank=True)
    deadline_date = models.DateField(_("完成时限"), null=True, blank=True)
    recurrence = models.CharField(_("周期"), max_length=16, choices=Recurrence.choices, blank=True, default="")
    school_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任校领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_requirements",
    )
    not_applicable = models.BooleanField(_("不适用"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["document_id", "order"]
        indexes = [
            models.Index(fields=["document", "order"]),
            # Lets dashboards map assignments to documents from the index alone (index-only scan)
            # instead of reading the wide requirement rows.
            models.Index(fields=["id", "document"], name="requirement_id_document_idx"),
        ]
        verbose_name = _("条款")
        verbose_name_plural = _("条款")

    def __str__(self) -> str:
        return f"{self.path_display} {self.heading or self.text[:30]}"

    @property
    def path_display(self) -> str:
        return " > ".join(self.path)

    @property
    def text_after_heading(self) -> str:
        """The text without the heading it starts with (shown beside the heading, not twice)."""
        if self.heading and self.text.startswith(self.heading):
            return self.text[len(self.heading) :].lstrip(" \u3000\n。．.：:")
        return "" if self.text == self.heading else self.text

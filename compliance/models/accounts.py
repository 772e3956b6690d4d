"""Sign-in records: lockouts and their release, password-reset requests, directory syncs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginLock(models.Model):
    """One lockout as the office sees it: what was locked, from where, since when, how it ended.

    The failure counts themselves live in django-axes' attempt table; this row is the log the
    unlock screen shows and keeps (who unlocked it, when, and why).
    """

    class Scope(models.TextChoices):
        PAIR = "pair", _("账号（仅该地址）")
        ADDRESS = "address", _("整个地址（尝试大量不存在的用户名）")

    scope = models.CharField(_("范围"), max_length=8, choices=Scope.choices)
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("失败次数"), default=0)
    locked_at = models.DateTimeField(_("锁定时间"), db_index=True)
    locked_until = models.DateTimeField(_("自动解锁时间"))
    released_at = models.DateTimeField(_("解锁时间"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解锁人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    release_reason = models.TextField(_("解锁原因"), blank=True)

    class Meta:
        ordering = ["-locked_at", "-id"]
        verbose_name = _("登录锁定")
        verbose_name_plural = _("登录锁定")

    def __str__(self) -> str:
        who = self.username or "*"
        return f"{who} @ {self.ip_address} ({self.get_scope_display()})"


class PasswordResetRequest(models.Model):
    """A request for a password-reset e-mail: counted to rate-limit per address and per account."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("已处理")
        LIMITED_ACCOUNT = "limited_account", _("该邮箱请求过多，未发送")
        LIMITED_ADDRESS = "limited_address", _("该地址请求过多，已拒绝")

    email = models.CharField(_("邮箱"), max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(_("地址"), null=True, blank=True, db_index=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("找回密码请求")
        verbose_name_plural = _("找回密码请求")

    def __str__(self) -> str:
        return f"{self.email} @ {self.ip_address} ({self.outcome})"


class DirectorySync(models.Model):
    """A directory import: the rows read from an HR/OA export or LDAP, their dry run and their run."""

    class Source(models.TextChoices):
        FILE = "file", _("人事/OA 导出文件")
        LDAP = "ldap", _("LDAP 目录")

    class Status(models.TextChoices):
        PLANNED = "planned", _("待确认")
        APPLIED = "applied", _("已同步")
        DISCARDED = "discarded", _("已放弃")

    source = models.CharField(_("来源"), max_length=8, choices=Source.choices)
    file_name = models.CharField(_("文件名"), max_length=255, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    # The people as read: a list of {"employee_id", "name", "department", "title", "email", "phone", ...}.
    rows = models.JSONField(_("人员"), default=list)
    # The last report (dry run, then the run): counts and the lists shown on the page.
    report = models.JSONField(_("报告"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("执行人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("执行时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("目录同步")
        verbose_name_plural = _("目录同步")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.file_name} ({self.get_status_display()})"

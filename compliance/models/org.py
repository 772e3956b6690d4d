"""People, roles and the department directory."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person who signs in. The global role decides what they see beyond their departments."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "admin", _("管理员（督查办）")
        AUDITOR = "auditor", _("审计人员")
        SCHOOL_LEADER = "leader", _("分管校领导")
        STAFF = "staff", _("部门人员")

    class Source(models.TextChoices):
        LOCAL = "local", _("本地账号")
        DIRECTORY = "directory", _("人事目录同步")
        CAS = "cas", _("统一身份认证（CAS）")
        LDAP = "ldap", _("LDAP 目录")

    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.STAFF)
    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    employee_id = models.CharField(
        _("工号"), max_length=32, blank=True, default="", help_text=_("统一身份认证和人事目录用工号识别本人")
    )
    job_title = models.CharField(_("职务"), max_length=64, blank=True)
    wecom_userid = models.CharField(
        _("企业微信账号"), max_length=64, blank=True, help_text=_("企业微信通讯录中的 UserID")
    )
    dingtalk_userid = models.CharField(_("钉钉账号"), max_length=64, blank=True, help_text=_("钉钉通讯录中的 userid"))
    source = models.CharField(
        _("账号来源"),
        max_length=16,
        choices=Source.choices,
        default=Source.LOCAL,
        help_text=_("启用统一身份认证后，非本地账号不能在督办中找回密码"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["employee_id"], condition=~models.Q(employee_id=""), name="uniq_user_employee_id"
            ),
        ]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def save(self, *args, **kwargs) -> None:
        """Save; a new password (reset, change, or set by an administrator) revokes the API token.

        Django marks a password set through ``set_password`` until the next save, and clears the
        mark itself when it only upgrades the stored hash at login, so an upgrade revokes nothing.
        """
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            from ..services.tokens import token_revoke

            token_revoke(user=self)

    @property
    def is_administrator(self) -> bool:
        return self.is_active and (self.role == self.Role.ADMINISTRATOR or self.is_superuser)

    @property
    def is_auditor(self) -> bool:
        return self.is_active and self.role == self.Role.AUDITOR

    @property
    def is_school_leader(self) -> bool:
        return self.is_active and self.role == self.Role.SCHOOL_LEADER


class Department(models.Model):
    """A unit of the university (职能部门, 学院 or 直属单位)."""

    class Kind(models.TextChoices):
        FUNCTIONAL = "functional", _("职能部门")
        SCHOOL = "school", _("学院")
        AFFILIATED = "affiliated", _("直属单位")

    name = models.CharField(_("名称"), max_length=64, unique=True)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    aliases = models.JSONField(
        _("别名"), default=list, blank=True, help_text=_("文件中可能出现的其他名称，例如 本科生院")
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, default=Kind.FUNCTIONAL)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("部门负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("联络员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaison_departments",
    )
    school_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分管校领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="overseen_departments",
    )
    keywords = models.JSONField(
        _("路由关键词"), default=list, blank=True, help_text=_("条款中出现这些词时建议由本部门办理")
    )
    wecom_webhook = models.URLField(_("企业微信机器人"), blank=True)
    dingtalk_webhook = models.URLField(_("钉钉机器人"), blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self) -> str:
        return self.name

    @property
    def all_names(self) -> list[str]:
        names = [self.name, self.short_name, *self.aliases]
        return [n for n in dict.fromkeys(names) if n]


class Membership(models.Model):
    """A user's place in a department: lead (负责人/联络人, may submit) or member."""

    class Role(models.TextChoices):
        LEAD = "lead", _("部门负责人")
        MEMBER = "member", _("成员")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=8, choices=Role.choices, default=Role.MEMBER)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "department"], name="uniq_membership"),
        ]
        verbose_name = _("部门成员")
        verbose_name_plural = _("部门成员")

    def __str__(self) -> str:
        return f"{self.user} @ {self.department} ({self.get_role_display()})"

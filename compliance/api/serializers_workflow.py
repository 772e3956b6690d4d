"""Serializers of the office's workflow endpoints: routing, publishing, rules, archiving, the
任务分解表 import, an item's history, notifications read in bulk, and "who am I".

Like ``serializers.py`` they only read and validate; the views call the services.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Assignment, Membership, User
from .serializers import DocumentApiSerializer

MAX_ID = 2**63 - 1


def _id(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


# --- routing ---------------------------------------------------------------------------------


class RoutingAssignmentApiSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    department = serializers.IntegerField(source="department_id")
    role = serializers.ChoiceField(choices=Assignment.Role.choices)
    status = serializers.ChoiceField(choices=Assignment.Status.choices)


class RoutingRowApiSerializer(serializers.Serializer):
    """One row of the assignment screen: a requirement, the proposal, and its items once published."""

    id = serializers.IntegerField(help_text=_("条款 id"))
    path = serializers.ListField(child=serializers.CharField())
    heading = serializers.CharField()
    text = serializers.CharField()
    is_requirement = serializers.BooleanField()
    not_applicable = serializers.BooleanField()
    deadline_date = serializers.DateField(allow_null=True)
    school_leader = serializers.IntegerField(allow_null=True, help_text=_("责任校领导的用户 id"))
    lead = serializers.ListField(child=serializers.IntegerField(), help_text=_("拟定（或已定）的牵头部门 id"))
    co = serializers.ListField(child=serializers.IntegerField(), help_text=_("拟定（或已定）的配合部门 id"))
    source = serializers.ChoiceField(
        choices=["plan", "annotation", "keywords", "none"],
        help_text=_("plan 督查办的分派、annotation 原文标注的单位、keywords 关键词规则、none 无建议"),
    )
    unmatched = serializers.ListField(child=serializers.CharField(), help_text=_("原文中未对应到部门的单位名称"))
    external = serializers.ListField(child=serializers.CharField(), help_text=_("原文中的外部单位"))
    past_deadline = serializers.BooleanField(help_text=_("完成时限早于今天（发布前需确认）"))
    assignments = RoutingAssignmentApiSerializer(many=True)


class RoutingApiSerializer(serializers.Serializer):
    document = DocumentApiSerializer()
    rows = RoutingRowApiSerializer(many=True)
    unmatched = serializers.ListField(child=serializers.CharField(), help_text=_("全文未对应到部门的单位名称"))


class RoutingUpdateApiSerializer(serializers.Serializer):
    """One decision for several requirements, as on the assignment screen; give at least one change."""

    requirements = serializers.ListField(child=_id(), min_length=1, max_length=2000, help_text=_("条款 id"))
    lead = _id(required=False, help_text=_("牵头部门 id"))
    co = serializers.ListField(child=_id(), required=False, max_length=200, help_text=_("配合部门 id（替换原有）"))
    deadline = serializers.DateField(required=False, help_text=_("完成时限"))
    school_leader = _id(required=False, help_text=_("责任校领导的用户 id"))
    not_applicable = serializers.BooleanField(required=False, help_text=_("true 标记不适用，false 取消"))

    CHANGES = ("lead", "co", "deadline", "school_leader", "not_applicable")

    def validate(self, attrs: dict) -> dict:
        if not any(k in attrs for k in self.CHANGES):
            raise serializers.ValidationError(
                _("请至少给出一项修改：lead、co、deadline、school_leader 或 not_applicable。")
            )
        return attrs


class RoutingOutcomeApiSerializer(serializers.Serializer):
    changed = serializers.IntegerField(help_text=_("更新的条款数"))
    problems = serializers.ListField(child=serializers.CharField(), help_text=_("未能完成的部分"))


class PublishInputApiSerializer(serializers.Serializer):
    confirm_past_deadlines = serializers.BooleanField(
        required=False, default=False, help_text=_("首次发布时，确认按早于今天的原时限发布")
    )


class PublishApiSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text=_("新建的任务数"))
    document = DocumentApiSerializer()


# --- department rules ------------------------------------------------------------------------


class DepartmentRulesApiSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    keywords = serializers.ListField(child=serializers.CharField(), help_text=_("路由关键词"))
    aliases = serializers.ListField(child=serializers.CharField(), help_text=_("别名（原文中的其他写法）"))


class RuleWordInputApiSerializer(serializers.Serializer):
    value = serializers.CharField(max_length=100, help_text=_("关键词或别名"))


# --- archiving -------------------------------------------------------------------------------


class ArchiveInputApiSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ArchivedDocumentApiSerializer(DocumentApiSerializer):
    archived_at = serializers.DateTimeField(allow_null=True, read_only=True)
    archive_reason = serializers.CharField(read_only=True)

    class Meta(DocumentApiSerializer.Meta):
        fields = (*DocumentApiSerializer.Meta.fields, "archived_at", "archive_reason")


# --- 任务分解表 import ------------------------------------------------------------------------


class TaskbookUploadApiSerializer(serializers.Serializer):
    file = serializers.FileField(max_length=255, help_text=_("任务分解表 .xlsx"))
    document = _id(required=False, help_text=_("所有行都属于这份文件；不填则按表中的“文件”列"))
    dry_run = serializers.BooleanField(required=False, default=False, help_text=_("只检查，不保存"))


class TaskbookRowApiSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    label = serializers.CharField()
    outcome = serializers.CharField(help_text=_("新建 / 已存在 / 跳过"))
    problems = serializers.ListField(child=serializers.CharField())


class TaskbookReportApiSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    documents_created = serializers.ListField(child=serializers.CharField())
    requirements_created = serializers.IntegerField()
    requirements_matched = serializers.IntegerField()
    assignments_created = serializers.IntegerField()
    notes = serializers.ListField(child=serializers.CharField())
    rows = TaskbookRowApiSerializer(many=True)


# --- history, notifications, me --------------------------------------------------------------


class HistoryEntryApiSerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField()
    subject = serializers.CharField(help_text=_("对象：条款 / 任务 / 佐证材料 / 延期申请 / 评论 …"))
    action = serializers.CharField()
    field = serializers.CharField(help_text=_("修改的字段；整条记录时为空"))
    old = serializers.CharField()
    new = serializers.CharField()
    note = serializers.CharField(help_text=_("原因或评论内容"))
    department = serializers.CharField()


class ReadAllApiSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("本次标为已读的通知数"))


class MembershipApiSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="department.id")
    name = serializers.CharField(source="department.name")
    role = serializers.ChoiceField(choices=Membership.Role.choices, help_text=_("lead 负责人（可提交）/ member 成员"))


class DepartmentRefApiSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MeApiSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=User.Role.choices)
    departments = MembershipApiSerializer(many=True, help_text=_("所在部门及在部门中的角色"))
    overseen_departments = DepartmentRefApiSerializer(many=True, help_text=_("分管的部门（分管校领导）"))

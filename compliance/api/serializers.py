"""Serializers of the REST API: read shapes and validated inputs. They never write to the database.

Every class name ends in ``ApiSerializer`` and is unique, so the OpenAPI components are stable.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import rules, selectors
from ..models import (
    Assignment,
    Department,
    Evidence,
    ExportJob,
    ExtensionRequest,
    ImportJob,
    JobStatus,
    Notification,
    PolicyDocument,
    ProgressUpdate,
    Requirement,
    User,
)

# --- errors ------------------------------------------------------------------------------------


class ErrorBodyApiSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("稳定的错误代码，如 validation_error、conflict、not_found"))
    message = serializers.CharField(help_text=_("给用户看的说明"))
    details = serializers.DictField(help_text=_("结构化细节，如各字段的错误或 current_version"))


class ErrorApiSerializer(serializers.Serializer):
    error = ErrorBodyApiSerializer()


# --- small shared shapes -----------------------------------------------------------------------


class UserBriefApiSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, obj: User) -> str:
        return str(obj)


class DepartmentApiSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ("id", "name", "short_name", "kind")


class DepartmentBriefApiSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ("id", "name")


# --- documents and requirements ----------------------------------------------------------------


class DocumentApiSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyDocument
        fields = (
            "id",
            "title",
            "issuer",
            "doc_number",
            "issue_date",
            "kind",
            "status",
            "source_name",
            "imported_at",
        )


class DocumentDetailApiSerializer(DocumentApiSerializer):
    class Meta(DocumentApiSerializer.Meta):
        fields = (*DocumentApiSerializer.Meta.fields, "body")


class RequirementApiSerializer(serializers.ModelSerializer):
    path = serializers.ListField(child=serializers.CharField(), help_text=_("从顶层开始的编号，如 二 > （五）"))
    lead_units_text = serializers.ListField(child=serializers.CharField())
    co_units_text = serializers.ListField(child=serializers.CharField())
    school_leader = UserBriefApiSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Requirement
        fields = (
            "id",
            "document",
            "parent",
            "label",
            "path",
            "order",
            "level",
            "heading",
            "text",
            "is_requirement",
            "lead_units_text",
            "co_units_text",
            "deadline_text",
            "deadline_date",
            "recurrence",
            "not_applicable",
            "school_leader",
        )


class RequirementNodeApiSerializer(serializers.Serializer):
    """One node of a document's numbering tree, with its children."""

    id = serializers.IntegerField()
    label = serializers.CharField()
    path = serializers.ListField(child=serializers.CharField())
    level = serializers.IntegerField()
    heading = serializers.CharField()
    text = serializers.CharField()
    is_requirement = serializers.BooleanField()
    deadline_date = serializers.DateField(allow_null=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["children"] = RequirementNodeApiSerializer(many=True)
        return fields


class RequirementTreeApiSerializer(serializers.Serializer):
    document = DocumentApiSerializer()
    nodes = RequirementNodeApiSerializer(many=True)


# --- assignments -------------------------------------------------------------------------------


class RequirementBriefApiSerializer(serializers.ModelSerializer):
    path = serializers.ListField(child=serializers.CharField())
    document_title = serializers.CharField(source="document.title")

    class Meta:
        model = Requirement
        fields = ("id", "document", "document_title", "label", "path", "heading", "text", "deadline_text")


class AssignmentApiSerializer(serializers.ModelSerializer):
    requirement = RequirementBriefApiSerializer()
    department = DepartmentBriefApiSerializer()
    warning = serializers.SerializerMethodField(
        help_text=_("预警：normal 正常、due_soon 临期、overdue 逾期、done 已提交或已办结")
    )

    class Meta:
        model = Assignment
        fields = (
            "id",
            "requirement",
            "department",
            "role",
            "period",
            "status",
            "due_date",
            "progress",
            "progress_note",
            "submitted_at",
            "completed_at",
            "return_reason",
            "version",
            "warning",
            "updated_at",
        )

    @extend_schema_field(serializers.ChoiceField(choices=["normal", "due_soon", "overdue", "done"]))
    def get_warning(self, obj: Assignment) -> str:
        return rules.warning_level(obj, on=self.context.get("today") or selectors.today())


class VersionApiSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text=_("读取时的版本号；已被他人修改时返回 409")
    )


class ProgressInputApiSerializer(VersionApiSerializer):
    percent = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class NoteInputApiSerializer(VersionApiSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ReturnInputApiSerializer(VersionApiSerializer):
    reason = serializers.CharField(max_length=5000)


class ReassignInputApiSerializer(VersionApiSerializer):
    department = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text=_("改派到的部门 id"))


# --- extension requests ------------------------------------------------------------------------


class ExtensionRequestApiSerializer(serializers.ModelSerializer):
    requested_by = UserBriefApiSerializer(allow_null=True, read_only=True)
    decided_by = UserBriefApiSerializer(allow_null=True, read_only=True)

    class Meta:
        model = ExtensionRequest
        fields = (
            "id",
            "assignment",
            "reason",
            "proposed_date",
            "previous_due_date",
            "status",
            "requested_by",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_at",
        )


class ExtensionCreateApiSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)
    proposed_date = serializers.DateField()


class ExtensionDecideApiSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


# --- evidence and comments ---------------------------------------------------------------------


class EvidenceApiSerializer(serializers.ModelSerializer):
    uploaded_by = UserBriefApiSerializer(allow_null=True, read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = (
            "id",
            "assignment",
            "original_name",
            "size",
            "content_type",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "note",
            "download_url",
        )

    def get_download_url(self, obj: Evidence) -> str:
        return reverse("api-evidence-download", args=[obj.pk])


class EvidenceUploadApiSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, max_length=255)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class CommentApiSerializer(serializers.ModelSerializer):
    author = UserBriefApiSerializer(allow_null=True, read_only=True)
    text = serializers.CharField(source="note")

    class Meta:
        model = ProgressUpdate
        fields = ("id", "assignment", "author", "text", "created_at")


class CommentCreateApiSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


# --- notifications -----------------------------------------------------------------------------


class NotificationApiSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ("id", "verb", "message", "assignment", "created_at", "read_at")


# --- jobs --------------------------------------------------------------------------------------


class ImportUploadApiSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, max_length=255)


class PreviewDeadlineApiSerializer(serializers.Serializer):
    text = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    recurrence = serializers.CharField(allow_null=True)
    kind = serializers.CharField(allow_null=True)


class PreviewItemApiSerializer(serializers.Serializer):
    label = serializers.CharField()
    path = serializers.ListField(child=serializers.CharField())
    level = serializers.IntegerField()
    heading = serializers.CharField()
    text = serializers.CharField()
    is_requirement = serializers.BooleanField()
    lead_units = serializers.ListField(child=serializers.CharField())
    co_units = serializers.ListField(child=serializers.CharField())
    deadlines = PreviewDeadlineApiSerializer(many=True)
    unsure = serializers.ListField(child=serializers.CharField(), help_text=_("识别把握不大的文字行"))


class PreviewDocumentApiSerializer(serializers.Serializer):
    title = serializers.CharField()
    issuer = serializers.CharField()
    doc_number = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    kind = serializers.CharField()
    items = PreviewItemApiSerializer(many=True)
    tracked = serializers.IntegerField()
    unsure = serializers.IntegerField()


class ImportReportRowApiSerializer(serializers.Serializer):
    title = serializers.CharField()
    status = serializers.CharField(help_text=_("created 已导入、unchanged 已存在、failed 失败"))
    document_id = serializers.IntegerField(allow_null=True)
    requirements = serializers.IntegerField()
    tracked = serializers.IntegerField()
    message = serializers.CharField()


class ImportResultApiSerializer(serializers.Serializer):
    """An import job's result; which keys are present depends on ``stage`` (schema only)."""

    stage = serializers.ChoiceField(choices=["preview", "confirmed", "imported"])
    documents = PreviewDocumentApiSerializer(many=True, required=False, help_text=_("解析预览（解析完成后）"))
    warnings = serializers.ListField(child=serializers.CharField(), required=False)
    skipped = serializers.ListField(child=serializers.CharField(), required=False)
    uncertain = serializers.ListField(child=serializers.CharField(), required=False)
    report = ImportReportRowApiSerializer(many=True, required=False, help_text=_("导入结果（stage=imported）"))


@extend_schema_field(ImportResultApiSerializer)
class ImportResultField(serializers.JSONField):
    pass


class ExportParamsApiSerializer(serializers.Serializer):
    """The scope an export job was asked for (schema only; older jobs may lack keys)."""

    document = serializers.IntegerField(allow_null=True, required=False)
    department = serializers.IntegerField(allow_null=True, required=False)
    as_of = serializers.DateField(required=False)
    include_drafts = serializers.BooleanField(required=False)


@extend_schema_field(ExportParamsApiSerializer)
class ExportParamsField(serializers.JSONField):
    pass


class ImportJobApiSerializer(serializers.ModelSerializer):
    result = ImportResultField(
        help_text=_("stage=preview：解析预览（documents、warnings）；stage=imported：导入结果（report）")
    )

    class Meta:
        model = ImportJob
        fields = ("id", "source_name", "status", "progress", "message", "result", "created_at", "finished_at")


class ImportJobConfirmApiSerializer(serializers.Serializer):
    """What to import from the preview; an empty body imports every parsed document."""

    documents = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=10_000),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("要导入的文件（预览中 documents 的序号，从 0 起）；不填则导入全部"),
    )
    skipped = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=10_000),
        required=False,
        default=list,
        help_text=_("仍要作为政策文件导入的跳过内容（预览中 skipped 的序号）"),
    )
    references = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=10_000),
        required=False,
        default=list,
        help_text=_("作为参考文件导入（不产生任务）的文件序号"),
    )
    classified_confirmed = serializers.BooleanField(
        required=False, default=False, help_text=_("确认标有密级的文件可以录入本系统")
    )


class ExportCreateApiSerializer(serializers.Serializer):
    document = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1)
    department = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1)
    as_of = serializers.DateField(required=False, allow_null=True, help_text=_("截至日期，默认今天"))
    include_drafts = serializers.BooleanField(
        required=False, default=False, help_text=_("也包含尚未发布的文件（草稿）；默认只含已发布的文件")
    )


class ExportJobApiSerializer(serializers.ModelSerializer):
    params = ExportParamsField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = (
            "id",
            "params",
            "status",
            "progress",
            "message",
            "file_name",
            "created_at",
            "finished_at",
            "download_url",
        )

    def get_download_url(self, obj: ExportJob) -> str | None:
        if obj.status != JobStatus.DONE or not obj.file:
            return None
        return reverse("api-export-job-download", args=[obj.pk])


# --- tokens ------------------------------------------------------------------------------------


class TokenCreateApiSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=1024, style={"input_type": "password"})


class TokenApiSerializer(serializers.Serializer):
    token = serializers.CharField()
    created = serializers.DateTimeField()


# --- dashboard ---------------------------------------------------------------------------------


class DashboardCountsApiSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    completed = serializers.IntegerField()
    on_time = serializers.IntegerField()
    overdue = serializers.IntegerField()
    due_soon = serializers.IntegerField()
    not_applicable = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    completion_rate = serializers.FloatField(allow_null=True)
    on_time_rate = serializers.FloatField(allow_null=True)


class DashboardRowApiSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    counts = DashboardCountsApiSerializer()


class DashboardMonthApiSerializer(serializers.Serializer):
    month = serializers.DateField()
    completed = serializers.IntegerField()


class DashboardRankApiSerializer(serializers.Serializer):
    department_id = serializers.IntegerField()
    name = serializers.CharField()
    assigned = serializers.IntegerField()
    completed = serializers.IntegerField()
    on_time = serializers.IntegerField()
    overdue = serializers.IntegerField()
    reminders = serializers.IntegerField()
    late_reports = serializers.IntegerField(help_text=_("期间内迟报的进展报送次数"))
    urges = serializers.IntegerField(help_text=_("期间内被催办次数"))
    returns = serializers.IntegerField(help_text=_("期间内被退回次数"))
    completion_rate = serializers.FloatField(allow_null=True)
    on_time_rate = serializers.FloatField(allow_null=True)


class DashboardApiSerializer(serializers.Serializer):
    today = serializers.DateField()
    totals = DashboardCountsApiSerializer()
    by_department = DashboardRowApiSerializer(many=True)
    by_document = DashboardRowApiSerializer(many=True)
    overdue = AssignmentApiSerializer(many=True)
    due_soon = AssignmentApiSerializer(many=True)
    completed_by_month = DashboardMonthApiSerializer(many=True)
    ranking = DashboardRankApiSerializer(many=True)
    rank_from = serializers.DateField(allow_null=True)
    rank_to = serializers.DateField(allow_null=True)


class DashboardQueryApiSerializer(serializers.Serializer):
    document = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    department = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    year = serializers.IntegerField(required=False, min_value=1900, max_value=9999)
    rank_from = serializers.DateField(required=False)
    rank_to = serializers.DateField(required=False)


def month_rows(months: list[tuple[Any, int]]) -> list[dict[str, Any]]:
    return [{"month": m, "completed": n} for m, n in months]

"""Django admin: the directory (users, departments, memberships) is edited here; tracked records are not.

Policy documents, requirements, assignments, evidence, extension requests, progress records and
notifications change only through the services (guards, version, history, notifications), so the
admin shows them read-only: no add, change or delete, and no revert through the history pages.
A document is archived, never deleted (the database refuses too: its items, progress records and
evidence are protected foreign keys).
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Assignment,
    Department,
    Evidence,
    ExtensionRequest,
    ExternalBody,
    Instruction,
    Membership,
    Notification,
    PolicyDocument,
    ProgressUpdate,
    Requirement,
    Urge,
    User,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff may look, not add, change or delete."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class TrackedReadOnlyAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Read-only pages with history; a POST to a history page (simple-history's revert) is refused."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "employee_id", "role", "email", "source", "is_active"]
    list_filter = ["role", "is_active", "source"]
    search_fields = ["username", "display_name", "employee_id", "email"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("督办"), {"fields": ["role", "display_name", "phone"]}),
        (
            _("统一身份认证与人事目录"),
            {"fields": ["employee_id", "job_title", "source", "wecom_userid", "dingtalk_userid"]},
        ),
    )
    inlines = [MembershipInline]


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "head", "liaison", "school_leader", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    raw_id_fields = ["head", "liaison", "school_leader"]


class RequirementInline(ReadOnlyInline):
    model = Requirement
    fields = ["label", "heading", "is_requirement", "deadline_text", "deadline_date"]
    show_change_link = True


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(TrackedReadOnlyAdmin):
    list_display = ["title", "issuer", "doc_number", "issue_date", "status", "imported_at", "archived_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "doc_number", "issuer"]
    readonly_fields = ["sha256", "imported_by", "imported_at"]
    inlines = [RequirementInline]

    def delete_view(self, request, object_id, extra_context=None):
        """Refuse with a message, not a bare 403: a document is archived on its page, never deleted."""
        doc = self.get_object(request, object_id)
        if doc is not None:
            if not self.has_view_permission(request, doc):
                raise PermissionDenied
            messages.error(
                request,
                _(
                    "文件不能在管理后台删除：它的条款、任务、进展记录和佐证材料都是督办记录。不再督办的文件请在文件页“归档”。"
                ),
            )
            return HttpResponseRedirect(reverse("admin:compliance_policydocument_change", args=[doc.pk]))
        return super().delete_view(request, object_id, extra_context)


@admin.register(Requirement)
class RequirementAdmin(TrackedReadOnlyAdmin):
    list_display = ["__str__", "document", "level", "is_requirement", "deadline_date"]
    list_filter = ["is_requirement", "recurrence"]
    search_fields = ["text", "heading"]
    raw_id_fields = ["document", "parent", "school_leader"]


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    readonly_fields = ["original_name", "size", "sha256", "uploaded_by", "uploaded_at"]
    fields = readonly_fields


@admin.register(Assignment)
class AssignmentAdmin(TrackedReadOnlyAdmin):
    list_display = ["__str__", "department", "role", "status", "due_date", "progress"]
    list_filter = ["status", "role", "department"]
    raw_id_fields = ["requirement", "completed_by"]
    readonly_fields = ["version"]
    inlines = [EvidenceInline]


@admin.register(Evidence)
class EvidenceAdmin(TrackedReadOnlyAdmin):
    list_display = ["original_name", "assignment", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["sha256", "size", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["assignment"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(TrackedReadOnlyAdmin):
    list_display = ["assignment", "proposed_date", "status", "requested_by", "created_at"]
    raw_id_fields = ["assignment"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(TrackedReadOnlyAdmin):
    list_display = ["__str__", "assignment", "kind", "author", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["assignment"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "user", "verb", "created_at", "read_at"]


admin.site.register(Membership)
admin.site.site_header = _("督办 Duban 管理后台")


@admin.register(Instruction)
class InstructionAdmin(TrackedReadOnlyAdmin):
    list_display = ["created_at", "author", "document", "assignment"]
    search_fields = ["text"]


@admin.register(Urge)
class UrgeAdmin(TrackedReadOnlyAdmin):
    list_display = ["created_at", "by", "department", "assignment"]
    list_filter = ["department"]


@admin.register(ExternalBody)
class ExternalBodyAdmin(TrackedReadOnlyAdmin):
    list_display = ["name", "created_by", "created_at"]
    search_fields = ["name"]

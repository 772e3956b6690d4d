from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Assignment,
    Department,
    Evidence,
    ExtensionRequest,
    Membership,
    Notification,
    PolicyDocument,
    ProgressUpdate,
    Requirement,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "email", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("督办"), {"fields": ["role", "display_name", "phone"]}),
    )
    inlines = [MembershipInline]


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "head", "liaison", "school_leader", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    raw_id_fields = ["head", "liaison", "school_leader"]


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    fields = ["label", "heading", "is_requirement", "deadline_text", "deadline_date"]
    show_change_link = True


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "issuer", "doc_number", "issue_date", "status", "imported_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "doc_number", "issuer"]
    readonly_fields = ["sha256", "imported_by", "imported_at"]
    inlines = [RequirementInline]


@admin.register(Requirement)
class RequirementAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "document", "level", "is_requirement", "deadline_date"]
    list_filter = ["is_requirement", "recurrence"]
    search_fields = ["text", "heading"]
    raw_id_fields = ["document", "parent", "school_leader"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    readonly_fields = ["original_name", "size", "sha256", "uploaded_by", "uploaded_at"]
    fields = readonly_fields


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "department", "role", "status", "due_date", "progress"]
    list_filter = ["status", "role", "department"]
    raw_id_fields = ["requirement", "completed_by"]
    readonly_fields = ["version"]
    inlines = [EvidenceInline]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "assignment", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["sha256", "size", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["assignment"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(SimpleHistoryAdmin):
    list_display = ["assignment", "proposed_date", "status", "requested_by", "created_at"]
    raw_id_fields = ["assignment"]


admin.site.register(ProgressUpdate)
admin.site.register(Notification)
admin.site.register(Membership)
admin.site.site_header = _("督办 Duban 管理后台")

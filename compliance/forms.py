"""Forms of the tracking pages. Validation of input only; the rules live in services.

Choices that depend on the user (departments, documents, school leaders) are given by the view
from the selectors; a form never queries on its own.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .display import options_html
from .models import Assignment, Department, PolicyDocument, User
from .models.tracking import NOTE_MAX_LENGTH


class DateInput(forms.DateInput):
    """A browser date picker: its value must be ISO (2026-12-31) whatever the language's format."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or "%Y-%m-%d")


class FastSelect(forms.Select):
    """A <select> whose options are joined in Python instead of a template render per option (the
    task list's document filter lists every document: 3,242 of them at 1,000,000 assignments)."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        final = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(final), options_html(self.choices, chosen, 200)
        )


class TaskFilterForm(forms.Form):
    """GET filters of 我的任务 (the dashboard links here with exactly these names)."""

    SORTS: ClassVar = [
        ("due", _("时限由近到远")),
        ("-due", _("时限由远到近")),
        ("-updated", _("最近更新")),
        ("status", _("按状态")),
    ]

    q = forms.CharField(label=_("关键词"), required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部状态")), ("open", _("办理中（未办结）")), *Assignment.Status.choices],
    )
    document = forms.ModelChoiceField(
        label=_("文件"),
        required=False,
        queryset=PolicyDocument.objects.none(),
        empty_label=_("全部文件"),
        widget=FastSelect,
    )
    department = forms.ModelChoiceField(
        label=_("部门"), required=False, queryset=Department.objects.none(), empty_label=_("全部部门")
    )
    due_within = forms.IntegerField(label=_("几天内到期"), required=False, min_value=0, max_value=3650)
    overdue = forms.BooleanField(label=_("仅逾期"), required=False)
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=SORTS)
    # Filters the dashboard's figures link with; kept as hidden fields and shown as chips.
    year = forms.IntegerField(label=_("完成时限年度"), required=False, min_value=1900, max_value=2999)
    due_from = forms.DateField(label=_("完成时限自"), required=False)
    due_to = forms.DateField(label=_("完成时限至"), required=False)
    completed_month = forms.RegexField(
        label=_("办结月份"), required=False, regex=r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$", max_length=7
    )
    on_time = forms.BooleanField(label=_("仅按期办结"), required=False)
    include_archived = forms.BooleanField(label=_("含已归档文件"), required=False)

    LINKED = ("year", "due_from", "due_to", "completed_month", "on_time", "include_archived")

    def __init__(self, *args: Any, documents=None, departments=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if documents is not None:
            self.fields["document"].queryset = documents
        if departments is not None:
            self.fields["department"].queryset = departments

    def selector_filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or ""
        return {
            "status": list(Assignment.OPEN_STATUSES) if status == "open" else status,
            "document": data["document"].pk if data.get("document") else None,
            "department": data["department"].pk if data.get("department") else None,
            "due_within": data.get("due_within"),
            "overdue": data.get("overdue"),
            "q": (data.get("q") or "").strip(),
            **{name: data.get(name) for name in self.LINKED},
        }

    def linked_filters(self) -> list[tuple[str, str, Any]]:
        """(name, label, value) of the dashboard's filters in force, shown above the list."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return [(name, str(self.fields[name].label), data[name]) for name in self.LINKED if data.get(name)]


class DocumentSearchForm(forms.Form):
    """GET filters of the document list."""

    q = forms.CharField(label=_("搜索标题、文号或发文机关"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *PolicyDocument.Status.choices]
    )
    archived = forms.BooleanField(label=_("查看已归档文件"), required=False)


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：已全部办结")}),
    )


class VersionedForm(forms.Form):
    """Carries the version the user saw, so a stale edit is refused instead of overwriting."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ProgressForm(VersionedForm):
    percent = forms.IntegerField(label=_("进度（%）"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("进展说明"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class SubmitForm(VersionedForm):
    note = forms.CharField(
        label=_("办理情况说明"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class StartForm(VersionedForm):
    pass


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise forms.ValidationError(_("请选择要上传的文件。"))
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class EvidenceForm(forms.Form):
    files = MultipleFileField(label=_("佐证材料（可多选）"))
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("评论"), widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE_MAX_LENGTH)


class InstructionForm(forms.Form):
    text = forms.CharField(label=_("批示"), widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE_MAX_LENGTH)


class UrgeForm(forms.Form):
    note = forms.CharField(label=_("催办说明（可选）"), required=False, max_length=NOTE_MAX_LENGTH)


class ExtensionForm(forms.Form):
    proposed_date = forms.DateField(label=_("申请延至"), widget=DateInput)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE_MAX_LENGTH)


class ApproveForm(VersionedForm):
    note = forms.CharField(label=_("审核意见"), required=False, max_length=NOTE_MAX_LENGTH)


class ReturnForm(VersionedForm):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE_MAX_LENGTH)


class ExtensionDecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("同意")), ("reject", _("不同意"))])
    note = forms.CharField(label=_("审批意见"), required=False, max_length=NOTE_MAX_LENGTH)


class ReassignForm(VersionedForm):
    department = forms.ModelChoiceField(label=_("改派至"), queryset=Department.objects.none())

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("政策文件（txt、docx、doc、wps、pdf、ofd、扫描图片等）"))


class BulkAssignForm(forms.Form):
    """One decision applied to the selected requirements of the assignment screen."""

    ACTIONS: ClassVar = [
        ("lead", _("设置牵头单位")),
        ("co", _("设置配合单位")),
        ("deadline", _("设置完成时限")),
        ("leader", _("设置责任校领导")),
        ("na", _("标记不适用")),
        ("applicable", _("取消不适用")),
    ]

    action = forms.ChoiceField(label=_("批量操作"), choices=ACTIONS)
    requirements = forms.TypedMultipleChoiceField(
        coerce=int, choices=[], error_messages={"required": _("请先勾选条款。")}
    )
    lead = forms.ModelChoiceField(label=_("牵头单位"), required=False, queryset=Department.objects.none())
    co = forms.ModelMultipleChoiceField(
        label=_("配合单位"),
        required=False,
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(label=_("完成时限"), required=False, widget=DateInput)
    leader = forms.ModelChoiceField(label=_("责任校领导"), required=False, queryset=User.objects.none())

    def __init__(
        self,
        *args: Any,
        requirement_ids: list[int],
        departments: QuerySet[Department],
        leaders: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirements"].choices = [(i, i) for i in requirement_ids]
        self.fields["lead"].queryset = departments
        self.fields["co"].queryset = departments
        self.fields["leader"].queryset = leaders

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        needs = {"lead": "lead", "deadline": "deadline", "leader": "leader"}
        field = needs.get(data.get("action", ""))
        if field and not data.get(field):
            self.add_error(field, _("请选择要设置的值。"))
        return data


class DefaultDeadlineForm(forms.Form):
    deadline = forms.DateField(label=_("文件默认完成时限"), widget=DateInput)
    overwrite = forms.BooleanField(label=_("覆盖已有时限"), required=False)


class ExternalNameForm(forms.Form):
    name = forms.CharField(max_length=100)
    action = forms.ChoiceField(choices=[("add", "add"), ("remove", "remove")], required=False)

    def clean_action(self) -> str:
        return self.cleaned_data.get("action") or "add"


class AliasMapForm(forms.Form):
    name = forms.CharField(max_length=64)
    department = forms.ModelChoiceField(label=_("对应部门"), queryset=Department.objects.none())

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class RequirementCorrectForm(forms.Form):
    """One item of a draft document as the office corrects or adds it; ``parent`` choices come from the view."""

    label = forms.CharField(label=_("编号"), max_length=32, required=False)
    heading = forms.CharField(label=_("标题"), max_length=300, required=False)
    text = forms.CharField(label=_("原文"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    is_requirement = forms.BooleanField(label=_("需跟踪"), required=False)
    parent = forms.TypedChoiceField(label=_("所属条款"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, parents: list[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("（顶层，无上级）")), *parents]

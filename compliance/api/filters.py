"""django-filter FilterSets of the list endpoints.

They narrow querysets that already come scoped from ``compliance.selectors``; the date-relative
filters (due_within, overdue) delegate to the selectors' own definitions so the API's "overdue"
is the pages' "overdue".
"""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .. import selectors
from ..models import (
    Assignment,
    ExtensionRequest,
    Notification,
    PolicyDocument,
    Requirement,
)

MAX_ID = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT64)
class IdFilter(filters.NumberFilter):
    """An integer id (a decimal or an out-of-range number is a 400, never a database error)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(filters.NumberFilter):
    field_class = forms.IntegerField


@extend_schema_field(OpenApiTypes.BOOL)
class MethodBooleanFilter(filters.BooleanFilter):
    """A boolean filter computed by a method (the schema cannot read the method's type)."""


def _text_search(qs: QuerySet, value: str, *fields: str) -> QuerySet:
    q = Q()
    for f in fields:
        q |= Q(**{f"{f}__icontains": value})
    return qs.filter(q)


class AssignmentFilter(filters.FilterSet):
    department = IdFilter(field_name="department_id", help_text=_("部门 id"))
    status = filters.MultipleChoiceFilter(
        choices=Assignment.Status.choices, help_text=_("状态，可重复：?status=not_started&status=returned")
    )
    document = IdFilter(field_name="requirement__document_id", help_text=_("文件 id"))
    requirement = IdFilter(field_name="requirement_id")
    role = filters.ChoiceFilter(choices=Assignment.Role.choices, help_text=_("lead 牵头 / co 配合"))
    period = filters.CharFilter(max_length=16)
    due_before = filters.DateFilter(field_name="due_date", lookup_expr="lte", help_text=_("时限不晚于该日"))
    due_after = filters.DateFilter(field_name="due_date", lookup_expr="gte", help_text=_("时限不早于该日"))
    due_within = IntegerFilter(
        method="filter_due_within",
        min_value=0,
        max_value=3660,
        help_text=_("未办结且在今后 N 天内到期"),
    )
    overdue = MethodBooleanFilter(method="filter_overdue", help_text=_("未办结且已过时限"))
    q = filters.CharFilter(method="filter_q", max_length=200, help_text=_("在条款标题和原文中搜索"))

    class Meta:
        model = Assignment
        fields = (
            "department",
            "status",
            "document",
            "requirement",
            "role",
            "period",
            "due_before",
            "due_after",
            "due_within",
            "overdue",
            "q",
        )

    def filter_due_within(self, qs: QuerySet, name: str, value: int | None) -> QuerySet:
        return qs if value is None else selectors.assignment_filter(qs, {"due_within": value})

    def filter_overdue(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        overdue = selectors.assignment_filter(qs, {"overdue": True})
        return overdue if value else qs.exclude(pk__in=overdue.values("pk"))

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.assignment_filter(qs, {"q": value}) if value else qs


class DocumentFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=PolicyDocument.Status.choices)
    kind = filters.ChoiceFilter(choices=PolicyDocument.Kind.choices)
    q = filters.CharFilter(method="filter_q", max_length=200, help_text=_("在标题、发文机关和文号中搜索"))

    class Meta:
        model = PolicyDocument
        fields = ("status", "kind", "q")

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _text_search(qs, value, "title", "issuer", "doc_number") if value else qs


class RequirementFilter(filters.FilterSet):
    document = IdFilter(field_name="document_id")
    parent = IdFilter(field_name="parent_id")
    level = IntegerFilter(field_name="level", min_value=0, max_value=100)
    is_requirement = filters.BooleanFilter()
    has_deadline = filters.BooleanFilter(field_name="deadline_date", lookup_expr="isnull", exclude=True)
    q = filters.CharFilter(method="filter_q", max_length=200, help_text=_("在标题和原文中搜索"))

    class Meta:
        model = Requirement
        fields = ("document", "parent", "level", "is_requirement", "has_deadline", "q")

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _text_search(qs, value, "heading", "text") if value else qs


class ExtensionRequestFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ExtensionRequest.Status.choices)
    assignment = IdFilter(field_name="assignment_id")

    class Meta:
        model = ExtensionRequest
        fields = ("status", "assignment")


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", help_text=_("只看未读"))

    class Meta:
        model = Notification
        fields = ("unread",)

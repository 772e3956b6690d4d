"""Role and department predicates. Selectors and services call these; so do DRF classes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission

if TYPE_CHECKING:
    from .models import Assignment, User


class PermissionDeniedError(Exception):
    """The user may not do this; the message is shown as is."""


def is_administrator(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_administrator)


def sees_everything(user: User) -> bool:
    """Administrators and auditors read every department's items."""
    return bool(getattr(user, "is_authenticated", False) and (user.is_administrator or user.is_auditor))


def department_ids(user: User) -> set[int]:
    """Departments whose items the user may read (own memberships, or overseen as school leader)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    ids = set(user.memberships.values_list("department_id", flat=True))
    if user.is_school_leader:
        ids |= set(user.overseen_departments.values_list("id", flat=True))
    return ids


def editable_department_ids(user: User) -> set[int]:
    """Departments whose assignments the user may change (members and leads, not school leaders)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.is_auditor:
        return set()
    return set(user.memberships.values_list("department_id", flat=True))


def lead_department_ids(user: User) -> set[int]:
    """Departments in which the user is a lead (may submit for review)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.is_auditor:
        return set()
    return set(user.memberships.filter(role="lead").values_list("department_id", flat=True))


def can_view_assignment(user: User, assignment: Assignment) -> bool:
    return sees_everything(user) or assignment.department_id in department_ids(user)


def can_edit_assignment(user: User, assignment: Assignment) -> bool:
    return assignment.department_id in editable_department_ids(user)


def can_submit_assignment(user: User, assignment: Assignment) -> bool:
    return assignment.department_id in lead_department_ids(user)


def require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDeniedError(message)


class IsAdministrator(BasePermission):
    """DRF: administrators only; anonymous callers get 401 from DRF, others 403."""

    message = gettext_lazy("只有管理员可以执行此操作。")

    def has_permission(self, request, view) -> bool:
        return is_administrator(request.user)


class SeesEverything(BasePermission):
    """DRF: administrators and auditors (the audit workbook covers every department)."""

    message = gettext_lazy("只有管理员和审计人员可以导出审计工作簿。")

    def has_permission(self, request, view) -> bool:
        return sees_everything(request.user)

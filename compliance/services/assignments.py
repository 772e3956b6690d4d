"""State changes of assignments: progress, submit, review, extensions, reassignment."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..models import (
    Assignment,
    Department,
    ExtensionRequest,
    ProgressUpdate,
    Requirement,
    User,
)
from . import ConflictError, ServiceError
from .notifications import administrators, default_language, department_recipients, notify

S = Assignment.Status


def _locked(assignment: Assignment, expected_version: int | None) -> Assignment:
    """Re-read the row under a lock and refuse if someone changed it meanwhile."""
    current = (
        Assignment.objects.select_for_update()
        .select_related("requirement", "requirement__document", "department")
        .get(pk=assignment.pk)
    )
    if expected_version is not None and current.version != int(expected_version):
        raise ConflictError(
            _("该事项已被他人修改（当前版本 %(now)s，您编辑的是版本 %(was)s）。请刷新后重试，您的输入未保存。")
            % {"now": current.version, "was": expected_version}
        )
    return current


def _save(assignment: Assignment, by: User, reason: str) -> Assignment:
    assignment.version += 1
    assignment._change_reason = reason
    assignment._history_user = by
    assignment.save()
    return assignment


def _guard_edit(assignment: Assignment, by: User) -> None:
    permissions.require(permissions.can_edit_assignment(by, assignment), _("您无权修改其他部门的事项。"))


def assignment_update_progress(
    *, assignment: Assignment, by: User, percent: int, note: str = "", expected_version: int | None = None
) -> Assignment:
    """Record progress (0–100 %) and a note; starts the assignment if it had not started."""
    if not 0 <= int(percent) <= 100:
        raise ServiceError(_("进度应在 0 到 100 之间。"))
    with transaction.atomic():
        a = _locked(assignment, expected_version)
        _guard_edit(a, by)
        if a.status not in (S.NOT_STARTED, S.IN_PROGRESS, S.RETURNED):
            raise ServiceError(_("事项状态为“%(s)s”，不能再更新进度。") % {"s": a.get_status_display()})
        a.progress = int(percent)
        if note:
            a.progress_note = note
        a.status = S.IN_PROGRESS
        ProgressUpdate.objects.create(
            assignment=a, author=by, kind=ProgressUpdate.Kind.PROGRESS, percent=a.progress, note=note
        )
        return _save(a, by, "progress")


def assignment_start(*, assignment: Assignment, by: User, expected_version: int | None = None) -> Assignment:
    with transaction.atomic():
        a = _locked(assignment, expected_version)
        _guard_edit(a, by)
        if a.status not in (S.NOT_STARTED, S.RETURNED):
            raise ServiceError(_("只有未开始或已退回的事项可以开始办理。"))
        a.status = S.IN_PROGRESS
        return _save(a, by, "start")


def assignment_submit(
    *, assignment: Assignment, by: User, note: str = "", expected_version: int | None = None
) -> Assignment:
    """Submit for review. A lead unit submits to the office; a cooperating unit to the lead unit.

    Submitting without any evidence is rejected.
    """
    with transaction.atomic():
        a = _locked(assignment, expected_version)
        permissions.require(permissions.can_submit_assignment(by, a), _("只有本部门负责人可以提交办结。"))
        if a.status not in (S.NOT_STARTED, S.IN_PROGRESS, S.RETURNED):
            raise ServiceError(_("事项状态为“%(s)s”，不能提交。") % {"s": a.get_status_display()})
        if not a.evidence.exists():
            raise ServiceError(_("请先上传至少一份佐证材料再提交。"))
        a.status = S.SUBMITTED
        a.progress = 100
        a.submitted_at = timezone.now()
        if note:
            a.progress_note = note
        ProgressUpdate.objects.create(assignment=a, author=by, kind=ProgressUpdate.Kind.SUBMIT, percent=100, note=note)
        _save(a, by, "submit")
        title = a.requirement.heading or a.requirement.text[:40]
        if a.role == Assignment.Role.LEAD:
            with default_language():
                notify(
                    users=administrators(),
                    verb="submitted",
                    assignment=a,
                    message=_("%(dept)s 提交了“%(t)s”，请审核。") % {"dept": a.department.name, "t": title},
                )
        else:
            lead = (
                a.requirement.assignments.filter(role=Assignment.Role.LEAD, period=a.period)
                .select_related("department")
                .first()
            )
            if lead is not None:
                with default_language():
                    notify(
                        users=department_recipients(lead.department),
                        verb="co_submitted",
                        assignment=lead,
                        message=_("配合单位 %(dept)s 已提交“%(t)s”的办理情况。")
                        % {"dept": a.department.name, "t": title},
                    )
        return a


def assignment_approve(
    *, assignment: Assignment, by: User, note: str = "", expected_version: int | None = None
) -> Assignment:
    """The office closes a submitted item (已办结); submitted cooperating parts close with it."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以审核。"))
    with transaction.atomic():
        a = _locked(assignment, expected_version)
        if a.status != S.SUBMITTED:
            raise ServiceError(_("只有已提交的事项可以办结。"))
        now = timezone.now()
        a.status = S.COMPLETED
        a.completed_at = now
        a.completed_by = by
        a.return_reason = ""
        ProgressUpdate.objects.create(assignment=a, author=by, kind=ProgressUpdate.Kind.APPROVE, note=note)
        _save(a, by, "approve")
        if a.role == Assignment.Role.LEAD:
            for co in Assignment.objects.select_for_update().filter(
                requirement=a.requirement, period=a.period, role=Assignment.Role.COOPERATING, status=S.SUBMITTED
            ):
                co.status = S.COMPLETED
                co.completed_at = now
                co.completed_by = by
                _save(co, by, "approve with lead")
        with default_language():
            notify(
                users=department_recipients(a.department),
                verb="approved",
                assignment=a,
                message=_("“%(t)s”已审核办结。") % {"t": a.requirement.heading or a.requirement.text[:40]},
            )
        return a


def assignment_return(
    *, assignment: Assignment, by: User, reason: str, expected_version: int | None = None
) -> Assignment:
    """The office (or, for a cooperating part, the lead unit) sends an item back with a reason."""
    if not reason.strip():
        raise ServiceError(_("退回时请填写原因。"))
    with transaction.atomic():
        a = _locked(assignment, expected_version)
        if a.role == Assignment.Role.COOPERATING:
            lead = a.requirement.assignments.filter(role=Assignment.Role.LEAD, period=a.period).first()
            allowed = permissions.is_administrator(by) or (
                lead is not None and permissions.can_submit_assignment(by, lead)
            )
        else:
            allowed = permissions.is_administrator(by)
        permissions.require(allowed, _("您无权退回该事项。"))
        if a.status != S.SUBMITTED:
            raise ServiceError(_("只有已提交的事项可以退回。"))
        a.status = S.RETURNED
        a.return_reason = reason.strip()
        ProgressUpdate.objects.create(assignment=a, author=by, kind=ProgressUpdate.Kind.RETURN, note=reason.strip())
        _save(a, by, "return")
        with default_language():
            notify(
                users=department_recipients(a.department),
                verb="returned",
                assignment=a,
                message=_("“%(t)s”被退回：%(r)s")
                % {"t": a.requirement.heading or a.requirement.text[:40], "r": reason.strip()},
            )
        return a


def assignment_mark_not_applicable(*, assignment: Assignment, by: User, reason: str = "") -> Assignment:
    permissions.require(permissions.is_administrator(by), _("只有管理员可以标记不适用。"))
    with transaction.atomic():
        a = _locked(assignment, None)
        a.status = S.NOT_APPLICABLE
        ProgressUpdate.objects.create(
            assignment=a, author=by, kind=ProgressUpdate.Kind.COMMENT, note=reason or _("标记为不适用")
        )
        return _save(a, by, "not applicable")


def assignment_reassign(
    *, assignment: Assignment, by: User, department: Department, expected_version: int | None = None
) -> Assignment:
    """Move an assignment to another department; the history keeps both."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以改派。"))
    with transaction.atomic():
        a = _locked(assignment, expected_version)
        if a.department_id == department.pk:
            return a
        if Assignment.objects.filter(requirement=a.requirement, department=department, period=a.period).exists():
            raise ServiceError(_("%(d)s 已承担该条款，不能重复分配。") % {"d": department.name})
        old = a.department
        a.department = department
        ProgressUpdate.objects.create(
            assignment=a,
            author=by,
            kind=ProgressUpdate.Kind.REASSIGN,
            note=_("由 %(old)s 改派至 %(new)s") % {"old": old.name, "new": department.name},
        )
        _save(a, by, f"reassign {old.name} -> {department.name}")
        with default_language():
            notify(
                users=department_recipients(department),
                verb="assigned",
                assignment=a,
                message=_("新分配事项：“%(t)s”") % {"t": a.requirement.heading or a.requirement.text[:40]},
            )
        return a


def comment_add(*, assignment: Assignment, by: User, text: str) -> ProgressUpdate:
    permissions.require(
        permissions.can_edit_assignment(by, assignment) or permissions.is_administrator(by),
        _("您无权评论该事项。"),
    )
    if not text.strip():
        raise ServiceError(_("评论内容不能为空。"))
    return ProgressUpdate.objects.create(
        assignment=assignment, author=by, kind=ProgressUpdate.Kind.COMMENT, note=text.strip()
    )


def extension_request_create(
    *, assignment: Assignment, by: User, reason: str, proposed_date: dt.date
) -> ExtensionRequest:
    with transaction.atomic():
        a = _locked(assignment, None)
        permissions.require(permissions.can_edit_assignment(by, a), _("您无权为该事项申请延期。"))
        if not reason.strip():
            raise ServiceError(_("请填写延期理由。"))
        if a.due_date and proposed_date <= a.due_date:
            raise ServiceError(_("申请的日期应晚于当前时限 %(d)s。") % {"d": a.due_date.isoformat()})
        if a.extension_requests.filter(status=ExtensionRequest.Status.PENDING).exists():
            raise ServiceError(_("该事项已有待审批的延期申请。"))
        req = ExtensionRequest.objects.create(
            assignment=a,
            requested_by=by,
            reason=reason.strip(),
            proposed_date=proposed_date,
            previous_due_date=a.due_date,
        )
        with default_language():
            notify(
                users=administrators(),
                verb="extension_requested",
                assignment=a,
                message=_("%(dept)s 申请将“%(t)s”延期至 %(d)s")
                % {
                    "dept": a.department.name,
                    "t": a.requirement.heading or a.requirement.text[:40],
                    "d": proposed_date.isoformat(),
                },
            )
        return req


def extension_decide(*, request: ExtensionRequest, by: User, approve: bool, note: str = "") -> ExtensionRequest:
    permissions.require(permissions.is_administrator(by), _("只有管理员可以审批延期申请。"))
    with transaction.atomic():
        req = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if req.status != ExtensionRequest.Status.PENDING:
            raise ServiceError(_("该申请已处理。"))
        req.status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REJECTED
        req.decided_by = by
        req.decided_at = timezone.now()
        req.decision_note = note
        req._history_user = by
        req.save()
        if approve:
            with default_language():
                assignment_due_date_change(
                    assignment=req.assignment,
                    by=by,
                    due_date=req.proposed_date,
                    reason=_("同意延期申请（%(why)s）") % {"why": req.reason[:100]},
                    verb="extension_decided",
                    message=_("延期申请已同意，新时限 %(d)s") % {"d": req.proposed_date.isoformat()},
                )
        else:
            a = _locked(req.assignment, None)
            with default_language():
                notify(
                    users=department_recipients(a.department),
                    verb="extension_decided",
                    assignment=a,
                    message=_("延期申请未同意：%(n)s") % {"n": note},
                )
        return req


def assignment_due_date_change(
    *,
    assignment: Assignment,
    by: User,
    due_date: dt.date,
    reason: str,
    verb: str = "due_date_changed",
    message: str = "",
    expected_version: int | None = None,
) -> Assignment:
    """Move an item's due date, record why in its history, and tell its department.

    The office is the only one who changes a due date: a new deadline for a requirement, an
    approved extension request. ``reason`` becomes the history's change reason (the audit
    workbook prints it); the department gets ``message`` (by default the new date and the reason)
    in the app and by e-mail. A closed item keeps the date it was judged against; setting the
    date an item already has changes nothing and notifies nobody.
    """
    permissions.require(permissions.is_administrator(by), _("只有管理员可以调整完成时限。"))
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("调整完成时限时请说明原因。"))
    with transaction.atomic():
        a = _locked(assignment, expected_version)
        if a.status in Assignment.CLOSED_STATUSES:
            raise ServiceError(_("事项状态为“%(s)s”，不能再调整完成时限。") % {"s": a.get_status_display()})
        if a.due_date == due_date:
            return a
        previous = a.due_date
        a.due_date = due_date
        _save(a, by, reason[:100])
        title = a.requirement.heading or a.requirement.text[:40]
        with default_language():
            text = message or _("“%(t)s”的完成时限由 %(old)s 调整为 %(new)s：%(why)s") % {
                "t": title,
                "old": previous.isoformat() if previous else _("未设定"),
                "new": due_date.isoformat(),
                "why": reason,
            }
            notify(users=department_recipients(a.department), verb=verb, assignment=a, message=text)
        return a


def assignment_create(
    *,
    requirement: Requirement,
    department: Department,
    by: User,
    role: str = Assignment.Role.LEAD,
    due_date: dt.date | None = None,
    period: str = "",
) -> Assignment:
    """Route a requirement to a department (idempotent: returns the existing one)."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以分配任务。"))
    with transaction.atomic():
        a, created = Assignment.objects.get_or_create(
            requirement=requirement,
            department=department,
            period=period,
            defaults={"role": role, "due_date": due_date or requirement.deadline_date},
        )
        if created:
            with default_language():
                notify(
                    users=department_recipients(department),
                    verb="assigned",
                    assignment=a,
                    message=_("新分配事项：“%(t)s”") % {"t": requirement.heading or requirement.text[:40]},
                )
        return a

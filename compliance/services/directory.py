"""Directory sync: people and their departments from an HR/OA roster or from LDAP.

A sync is planned first (the dry run: who is new, who changed, who is leaving) and then run in
one transaction. The rules:

* People are matched by 工号. Accounts without a 工号 (the office, auditors, service accounts)
  are never touched by a sync.
* New people get an account named after their 工号, without a local password (they sign in
  through CAS or LDAP, or the office sets a password).
* Changes come from non-empty cells only; a column the file does not have changes nothing.
* Departments are matched by the department directory's names and aliases. A person's
  memberships follow the roster's 部门 cell when every name in it matched; a membership the
  roster no longer lists is removed. The role follows 职务 (负责人 titles lead); a sync never
  demotes a lead, because the office also makes liaisons (联络员) leads by hand.
* People with a 工号 who are not in the roster are leaving: they are deactivated, never
  deleted, and the open items of their departments are listed for reassignment.
* A roster that would deactivate more than a fifth of the directory's people (and more than
  ten) is refused unless the run is explicitly confirmed: it is more likely the wrong file.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import permissions
from ..models import Assignment, Department, DirectorySync, Membership, User
from ..parsing.roster import RosterRow
from . import ServiceError
from .routing import COLLECTIVE, DepartmentDirectory

logger = logging.getLogger(__name__)

# Titles that make someone a department lead; clerks (科员, 干事) stay members even when the title
# contains a lead's word (副主任科员).
LEAD_TITLE_WORDS = ("处长", "部长", "主任", "院长", "书记", "馆长", "所长", "负责人", "联络员", "联络人", "主管")
MEMBER_TITLE_WORDS = ("科员", "干事", "职员", "办事员")
MASS_LEAVE_SHARE = 0.2
MASS_LEAVE_MIN = 10
PERSON_FIELDS = ("display_name", "email", "phone", "job_title", "wecom_userid", "dingtalk_userid")
FIELD_LABELS = {
    "display_name": gettext_lazy("姓名"),
    "email": gettext_lazy("邮箱"),
    "phone": gettext_lazy("手机"),
    "job_title": gettext_lazy("职务"),
    "wecom_userid": gettext_lazy("企业微信账号"),
    "dingtalk_userid": gettext_lazy("钉钉账号"),
    "departments": gettext_lazy("部门"),
    "is_active": gettext_lazy("状态"),
}
_ROW_FIELD = {"display_name": "name", "job_title": "title"}
_SUB_UNIT = re.compile(r"[/／\-－—|]")


def membership_role_for_title(title: str) -> str:
    """Lead for a lead's title (处长, 院长, 主任, 负责人, 联络员 ...), member otherwise."""
    title = title or ""
    if any(w in title for w in MEMBER_TITLE_WORDS):
        return Membership.Role.MEMBER
    return Membership.Role.LEAD if any(w in title for w in LEAD_TITLE_WORDS) else Membership.Role.MEMBER


def free_username(employee_id: str) -> str:
    """A user name for a new account: the 工号, or 工号-2, -3 ... when taken."""
    candidate, n = employee_id, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{employee_id}-{n}"
    return candidate


def department_lookup(name: str, directory: DepartmentDirectory | None = None) -> Department | None:
    """The department a roster calls ``name`` (its name or an alias; else the part before a '/')."""
    directory = directory or DepartmentDirectory()
    for candidate in (name, _SUB_UNIT.split(name)[0]):
        candidate = candidate.strip()
        if not candidate or candidate in COLLECTIVE:
            continue
        found = directory.match(candidate)
        if len(found) == 1:
            return found[0]
    return None


@dataclass
class SyncPlan:
    """What a sync does (or did): the dry-run report."""

    new: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    leaving: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    unmatched_departments: dict[str, int] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)
    mass_leave: bool = False
    applied: bool = False
    # Not reported: what to write, by employee id.
    actions: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    def report(self) -> dict[str, Any]:
        return {
            "counts": {
                "new": len(self.new),
                "changed": len(self.changed),
                "leaving": len(self.leaving),
                "unchanged": self.unchanged,
                "problems": len(self.problems),
            },
            "new": self.new,
            "changed": self.changed,
            "leaving": self.leaving,
            "unmatched_departments": [{"name": k, "count": v} for k, v in sorted(self.unmatched_departments.items())],
            "problems": self.problems,
            "mass_leave": self.mass_leave,
            "applied": self.applied,
        }


class _Planner:
    def __init__(self, rows: list[RosterRow], columns: list[str], problems: list[dict[str, Any]]) -> None:
        self.rows, self.columns = rows, set(columns)
        self.directory = DepartmentDirectory()
        self.plan = SyncPlan(problems=list(problems))
        self.users = {
            u.employee_id: u for u in User.objects.exclude(employee_id="").prefetch_related("memberships__department")
        }

    def departments(self, row: RosterRow) -> list[Department] | None:
        """The row's departments, or None when the row has none or some name did not match."""
        found, missing = [], False
        for name in row.departments:
            dept = department_lookup(name, self.directory)
            if dept is None:
                self.plan.unmatched_departments[name] = self.plan.unmatched_departments.get(name, 0) + 1
                missing = True
            elif dept not in found:
                found.append(dept)
        if missing:
            self.plan.problems.append(
                {
                    "line": row.line,
                    "message": _("%(name)s 的部门“%(d)s”在部门目录中找不到，未调整其部门。")
                    % {"name": row.name, "d": "、".join(row.departments)},
                }
            )
            return None
        return found or None

    def run(self) -> SyncPlan:
        seen = set()
        for row in self.rows:
            seen.add(row.employee_id)
            user = self.users.get(row.employee_id)
            depts = self.departments(row) if "department" in self.columns else None
            role = membership_role_for_title(row.title)
            if user is None:
                self._new(row, depts, role)
            else:
                self._existing(row, user, depts, role)
        self._leaving(seen)
        managed = sum(1 for u in self.users.values() if u.is_active)
        self.plan.mass_leave = len(self.plan.leaving) > max(MASS_LEAVE_MIN, managed * MASS_LEAVE_SHARE)
        return self.plan

    def _new(self, row: RosterRow, depts: list[Department] | None, role: str) -> None:
        self.plan.new.append(
            {
                "employee_id": row.employee_id,
                "name": row.name,
                "departments": [d.name for d in depts or []],
                "title": row.title,
                "lead": role == Membership.Role.LEAD,
            }
        )
        self.plan.actions[row.employee_id] = {"create": row, "departments": depts, "role": role}

    def _existing(self, row: RosterRow, user: User, depts: list[Department] | None, role: str) -> None:
        changes, updates = [], {}
        for f in PERSON_FIELDS:
            new = getattr(row, _ROW_FIELD.get(f, f))
            if new and new != getattr(user, f):
                changes.append({"field": f, "old": getattr(user, f), "new": new})
                updates[f] = new
        if not user.is_active:
            changes.append({"field": "is_active", "old": _("已停用"), "new": _("在职")})
            updates["is_active"] = True
        add, remove, promote = self._membership_changes(user, depts, role)
        if add or remove or promote:
            current = {m.department for m in user.memberships.all()}
            after = [d for d in current if d not in remove] + add
            changes.append(
                {
                    "field": "departments",
                    "old": self._names(user, current),
                    "new": "、".join(
                        d.name + (_("（负责人）") if d in promote or (d in add and role == "lead") else "")
                        for d in sorted(after, key=lambda d: (d.order, d.pk))
                    ),
                }
            )
        if not changes:
            self.plan.unchanged += 1
            return
        self.plan.changed.append(
            {"employee_id": row.employee_id, "name": row.name, "username": user.username, "changes": changes}
        )
        self.plan.actions[row.employee_id] = {
            "user": user,
            "updates": updates,
            "add": add,
            "remove": remove,
            "promote": promote,
            "role": role,
        }

    @staticmethod
    def _names(user: User, depts) -> str:
        roles = {m.department_id: m.role for m in user.memberships.all()}
        return "、".join(
            d.name + (_("（负责人）") if roles.get(d.pk) == "lead" else "")
            for d in sorted(depts, key=lambda d: (d.order, d.pk))
        )

    @staticmethod
    def _membership_changes(user: User, depts: list[Department] | None, role: str):
        if depts is None:
            return [], [], []
        current = {m.department: m for m in user.memberships.all()}
        add = [d for d in depts if d not in current]
        remove = [d for d in current if d not in depts]
        promote = [
            d
            for d in depts
            if d in current and role == Membership.Role.LEAD and current[d].role != Membership.Role.LEAD
        ]
        return add, remove, promote

    def _leaving(self, seen: set[str]) -> None:
        for employee_id, user in sorted(self.users.items()):
            if employee_id in seen or not user.is_active:
                continue
            self.plan.leaving.append(leaver_report(user))
            self.plan.actions[employee_id] = {"leave": user}


def leaver_report(user: User) -> dict[str, Any]:
    """Where a leaver served, and the open items of those departments, for reassignment."""
    roles: dict[int, list[str]] = {}
    for m in user.memberships.select_related("department"):
        roles.setdefault(m.department_id, []).append(str(m.get_role_display()))
    for attr, label in (("headed_departments", _("部门负责人")), ("liaison_departments", _("联络员"))):
        for d in getattr(user, attr).all():
            roles.setdefault(d.pk, []).append(str(label))
    for d in user.overseen_departments.all():
        roles.setdefault(d.pk, []).append(str(_("分管校领导")))
    departments = Department.objects.in_bulk(list(roles))
    items = (
        Assignment.objects.filter(department_id__in=list(roles), status__in=Assignment.OPEN_STATUSES)
        .select_related("requirement", "department")
        .order_by("due_date", "id")
    )
    without_lead = [
        departments[pk].name
        for pk in roles
        if not Membership.objects.filter(department_id=pk, role="lead", user__is_active=True)
        .exclude(user=user)
        .exists()
    ]
    return {
        "employee_id": user.employee_id,
        "name": str(user),
        "username": user.username,
        "roles": [
            {"department": departments[pk].name, "roles": "、".join(dict.fromkeys(r))}
            for pk, r in roles.items()
            if pk in departments
        ],
        "departments_without_lead": sorted(without_lead),
        "open_items": [
            {
                "id": a.pk,
                "title": (a.requirement.heading or a.requirement.text)[:80],
                "department": a.department.name,
                "due_date": a.due_date.isoformat() if a.due_date else "",
                "status": str(a.get_status_display()),
            }
            for a in items[:200]
        ],
        "open_items_total": items.count(),
    }


def directory_plan(
    *, rows: list[RosterRow], columns: list[str], problems: list[dict[str, Any]] | None = None
) -> SyncPlan:
    """The dry run: what a sync of these rows would do now."""
    return _Planner(rows, columns, problems or []).run()


def _membership_save(m: Membership, by: User | None, *, delete: bool = False) -> None:
    m._history_user = by
    m._change_reason = "directory sync"
    if delete:
        m.delete()
    else:
        m.save()


def _apply_action(action: dict[str, Any], *, source: str, by: User | None) -> None:
    if "create" in action:
        row: RosterRow = action["create"]
        user = User(
            username=free_username(row.employee_id),
            employee_id=row.employee_id,
            source=source,
            **{f: getattr(row, _ROW_FIELD.get(f, f)) for f in PERSON_FIELDS},
        )
        user.set_unusable_password()
        user.save()
        for dept in action["departments"] or []:
            _membership_save(Membership(user=user, department=dept, role=action["role"]), by)
    elif "leave" in action:
        user = action["leave"]
        user.is_active = False
        user.save(update_fields=["is_active"])
    else:
        user = action["user"]
        for f, value in action["updates"].items():
            setattr(user, f, value)
        if action["updates"]:
            user.save(update_fields=list(action["updates"]))
        for dept in action["add"]:
            _membership_save(Membership(user=user, department=dept, role=action["role"]), by)
        for m in user.memberships.filter(department__in=action["remove"]):
            _membership_save(m, by, delete=True)
        for m in user.memberships.filter(department__in=action["promote"]):
            m.role = Membership.Role.LEAD
            _membership_save(m, by)


def directory_apply(
    *,
    rows: list[RosterRow],
    columns: list[str],
    source: str,
    by: User | None,
    problems: list[dict[str, Any]] | None = None,
    allow_mass_leave: bool = False,
) -> SyncPlan:
    """Run a sync in one transaction (planned again against the current data); return its report."""
    if by is not None:
        permissions.require(permissions.is_administrator(by), _("只有管理员可以同步人事目录。"))
    with transaction.atomic():
        plan = directory_plan(rows=rows, columns=columns, problems=problems)
        if plan.mass_leave and not allow_mass_leave:
            raise ServiceError(
                _(
                    "这次同步会停用 %(n)s 人，超过目录人数的五分之一，更可能是导入了错误或不完整的文件。确认无误后请勾选“确认批量停用”再执行。"
                )
                % {"n": len(plan.leaving)}
            )
        for action in plan.actions.values():
            _apply_action(action, source=source, by=by)
        plan.applied = True
    logger.info(
        "Directory sync by %s: %d new, %d changed, %d leaving.",
        by.username if by else "command",
        len(plan.new),
        len(plan.changed),
        len(plan.leaving),
    )
    return plan


# --- stored syncs (the administrator page) ----------------------------------------------------


def directory_sync_prepare(
    *,
    rows: list[RosterRow],
    columns: list[str],
    problems: list[dict[str, Any]],
    source: str,
    file_name: str,
    by: User,
) -> DirectorySync:
    """Store the rows read and their dry-run report, to be confirmed or discarded."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以同步人事目录。"))
    plan = directory_plan(rows=rows, columns=columns, problems=problems)
    return DirectorySync.objects.create(
        source=source,
        file_name=file_name[:255],
        rows={"columns": columns, "rows": [r.as_dict() for r in rows], "problems": problems},
        report=plan.report(),
        created_by=by,
    )


def directory_sync_run(*, sync: DirectorySync, by: User, allow_mass_leave: bool = False) -> DirectorySync:
    """Run a stored sync; its report becomes what was done."""
    with transaction.atomic():
        sync = DirectorySync.objects.select_for_update().get(pk=sync.pk)
        if sync.status != DirectorySync.Status.PLANNED:
            raise ServiceError(_("这次同步已经执行或已放弃，请重新上传。"))
        stored = sync.rows
        plan = directory_apply(
            rows=[RosterRow.from_dict(r) for r in stored["rows"]],
            columns=stored["columns"],
            problems=stored.get("problems", []),
            source=User.Source.LDAP if sync.source == DirectorySync.Source.LDAP else User.Source.DIRECTORY,
            by=by,
            allow_mass_leave=allow_mass_leave,
        )
        sync.report = plan.report()
        sync.status = DirectorySync.Status.APPLIED
        sync.applied_by, sync.applied_at = by, timezone.now()
        sync.save(update_fields=["report", "status", "applied_by", "applied_at"])
    return sync


def directory_sync_discard(*, sync: DirectorySync, by: User) -> DirectorySync:
    permissions.require(permissions.is_administrator(by), _("只有管理员可以同步人事目录。"))
    if sync.status == DirectorySync.Status.PLANNED:
        sync.status = DirectorySync.Status.DISCARDED
        sync.save(update_fields=["status"])
    return sync

"""Routing: propose lead and cooperating departments for requirements, publish assignments."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Assignment, Department, PolicyDocument, Requirement, User
from . import ServiceError
from .assignments import (
    assignment_create,
    assignment_due_date_change,
    assignment_mark_not_applicable,
    assignment_reassign,
)
from .notifications import default_language

COLLECTIVE = {
    "各学院": {"kinds": [Department.Kind.SCHOOL]},
    "各二级学院": {"kinds": [Department.Kind.SCHOOL]},
    "各院系": {"kinds": [Department.Kind.SCHOOL]},
    "各职能部门": {"kinds": [Department.Kind.FUNCTIONAL]},
    "各部门": {"kinds": [Department.Kind.FUNCTIONAL]},
    "各单位": {"kinds": [Department.Kind.FUNCTIONAL, Department.Kind.SCHOOL, Department.Kind.AFFILIATED]},
    "各直属单位": {"kinds": [Department.Kind.AFFILIATED]},
}
_PUNCT = re.compile(r"[\s（）()【】\[\]]")


def _key(name: str) -> str:
    return _PUNCT.sub("", name)


@dataclass
class Proposal:
    lead: list[Department] = field(default_factory=list)
    co: list[Department] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    source: str = ""  # "annotation" | "keywords" | ""


class DepartmentDirectory:
    """Name/alias lookup over active departments, loaded once per routing run."""

    def __init__(self) -> None:
        self.departments = list(Department.objects.filter(is_active=True))
        self.by_name: dict[str, Department] = {}
        for d in self.departments:
            for n in d.all_names:
                self.by_name.setdefault(_key(n), d)

    def match(self, name: str) -> list[Department]:
        key = _key(name)
        if not key:
            return []
        if key in self.by_name:
            return [self.by_name[key]]
        if key in COLLECTIVE:
            kinds = COLLECTIVE[key]["kinds"]
            return [d for d in self.departments if d.kind in kinds]
        return []

    def by_keywords(self, text: str) -> list[Department]:
        hits = []
        for d in self.departments:
            if any(k and k in text for k in d.keywords):
                hits.append(d)
        return hits


def propose(requirement: Requirement, directory: DepartmentDirectory | None = None) -> Proposal:
    """Annotated units first (by name or alias, collectives expanded); keyword rules otherwise."""
    directory = directory or DepartmentDirectory()
    p = Proposal()
    plan = requirement.routing_plan
    if plan is not None:
        sources = ((plan.get("lead", []), p.lead), (plan.get("co", []), p.co))
    else:
        sources = ((requirement.lead_units_text, p.lead), (requirement.co_units_text, p.co))
    for names, bucket in sources:
        for name in names:
            found = directory.match(name)
            if found:
                bucket.extend(d for d in found if d not in bucket)
            else:
                p.unmatched.append(name)
    if plan is not None:
        p.source = "plan"
        p.co = [d for d in p.co if d not in p.lead]
        return p
    if p.lead or p.co:
        p.source = "annotation"
        if not p.lead:
            p.lead, p.co = p.co[:1], p.co[1:]
        p.co = [d for d in p.co if d not in p.lead]
        return p
    hits = directory.by_keywords(f"{requirement.heading} {requirement.text}")
    if hits:
        p.lead, p.co, p.source = hits[:1], hits[1:], "keywords"
    return p


def alias_remember(*, department: Department, name: str, by: User) -> Department:
    """Map an unmatched printed name to a department once; it is kept as an alias."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以维护部门别名。"))
    name = name.strip()
    if name and name not in department.all_names:
        department.aliases = [*department.aliases, name]
        department._history_user = by
        department.save(update_fields=["aliases"])
    return department


def document_publish(*, document: PolicyDocument, by: User, proposals: dict[int, Proposal] | None = None) -> int:
    """Create assignments for every tracked requirement with a proposal; return how many were created."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以发布任务。"))
    directory = DepartmentDirectory()
    created = 0
    with transaction.atomic():
        reqs = document.requirements.filter(is_requirement=True, not_applicable=False)
        for req in reqs:
            prop = (proposals or {}).get(req.pk) or propose(req, directory)
            for dept, role in [(d, Assignment.Role.LEAD) for d in prop.lead] + [
                (d, Assignment.Role.COOPERATING) for d in prop.co
            ]:
                before = Assignment.objects.filter(requirement=req, department=dept, period="").exists()
                assignment_create(requirement=req, department=dept, by=by, role=role)
                created += 0 if before else 1
        document.status = PolicyDocument.Status.PUBLISHED
        document._history_user = by
        document.save(update_fields=["status"])
    return created


# --- Assignment screen: bulk actions on a selection, keyword rules ---------------------------


@dataclass
class BulkOutcome:
    """What a bulk action changed, and what it could not do (shown to the administrator)."""

    changed: int = 0
    problems: list[str] = field(default_factory=list)


def _plan_write(req: Requirement, lead: list[Department], co: list[Department], by: User) -> None:
    """Store the administrator's routing choice on the requirement.

    The plan is kept as department names in ``routing_plan``, which ``propose`` reads back
    before the printed annotation; the printed unit names are never overwritten.
    """
    req.routing_plan = {"lead": [d.name for d in lead], "co": [d.name for d in co if d not in lead]}
    req._history_user = by
    req._change_reason = "routing"
    req.save(update_fields=["routing_plan"])


def requirements_bulk_update(
    *,
    document: PolicyDocument,
    requirement_ids: list[int],
    by: User,
    lead: Department | None = None,
    co: list[Department] | None = None,
    deadline: dt.date | None = None,
    school_leader: User | None = None,
    not_applicable: bool | None = None,
) -> BulkOutcome:
    """Apply one administrator decision to several requirements of a document.

    Before publication only the plan changes. After publication, existing assignments follow:
    a new lead reassigns the lead assignment (history keeps both), a new deadline moves the
    open assignments' due dates, "not applicable" closes them; new cooperating units get their
    assignments at the next publication.
    """
    permissions.require(permissions.is_administrator(by), _("只有管理员可以分配任务。"))
    outcome = BulkOutcome()
    directory = DepartmentDirectory()
    published = document.status == PolicyDocument.Status.PUBLISHED
    with default_language():  # stored in the history and sent to the departments
        deadline_reason = _("督查办设定完成时限")
        not_applicable_reason = _("整条标记为不适用")
    with transaction.atomic():
        reqs = list(document.requirements.select_for_update().filter(pk__in=requirement_ids, is_requirement=True))
        for req in reqs:
            if lead is not None or co is not None:
                current = propose(req, directory)
                new_lead = [lead] if lead is not None else current.lead
                new_co = list(co) if co is not None else current.co
                _plan_write(req, new_lead, new_co, by)
                if published and lead is not None:
                    old = req.assignments.filter(role=Assignment.Role.LEAD, period="").first()
                    if old is not None and old.department_id != lead.pk:
                        try:
                            assignment_reassign(assignment=old, by=by, department=lead)
                        except ServiceError as exc:
                            outcome.problems.append(f"{req.path_display}: {exc}")
            fields: list[str] = []
            if deadline is not None:
                # The printed deadline text stays; the office's date becomes the resolved deadline.
                req.deadline_date = deadline
                fields.append("deadline_date")
            if school_leader is not None:
                req.school_leader = school_leader
                fields.append("school_leader")
            if not_applicable is not None:
                req.not_applicable = not_applicable
                fields.append("not_applicable")
            if fields:
                req._history_user = by
                req._change_reason = "routing"
                req.save(update_fields=fields)
            if published and deadline is not None:
                for a in req.assignments.filter(status__in=Assignment.OPEN_STATUSES):
                    assignment_due_date_change(assignment=a, by=by, due_date=deadline, reason=deadline_reason)
            if published and not_applicable:
                for a in req.assignments.exclude(status__in=Assignment.CLOSED_STATUSES):
                    assignment_mark_not_applicable(assignment=a, by=by, reason=not_applicable_reason)
            outcome.changed += 1
    return outcome


def unmatched_names(*, document: PolicyDocument, directory: DepartmentDirectory | None = None) -> list[str]:
    """Printed unit names of a document that match no department, each listed once."""
    directory = directory or DepartmentDirectory()
    names: dict[str, None] = {}
    for req in document.requirements.filter(is_requirement=True, not_applicable=False, routing_plan__isnull=True):
        for name in [*req.lead_units_text, *req.co_units_text]:
            if not directory.match(name):
                names.setdefault(name.strip())
    return [n for n in names if n]


def _split_words(raw: str | list[str]) -> list[str]:
    """Split keywords or aliases typed as one line (、，,；; or new lines) into a clean list."""
    if isinstance(raw, list):
        parts = raw
    else:
        parts = re.split(r"[、，,；;\n\r]+", raw)
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def department_rules_update(
    *, department: Department, by: User, keywords: str | list[str], aliases: str | list[str] | None = None
) -> bool:
    """Set a department's routing keywords (and aliases); return whether anything changed."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以维护路由规则。"))
    new_keywords = _split_words(keywords)
    new_aliases = _split_words(aliases) if aliases is not None else department.aliases
    if new_keywords == list(department.keywords) and new_aliases == list(department.aliases):
        return False
    taken = {_key(n): d.name for d in Department.objects.exclude(pk=department.pk) for n in d.all_names}
    for alias in new_aliases:
        if _key(alias) in taken:
            raise ServiceError(_("别名“%(a)s”已属于 %(d)s。") % {"a": alias, "d": taken[_key(alias)]})
    department.keywords = new_keywords
    department.aliases = new_aliases
    department._history_user = by
    department.save(update_fields=["keywords", "aliases"])
    return True

"""Routing: propose lead and cooperating departments for requirements, publish assignments."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Assignment, Department, PolicyDocument, Requirement, User
from .assignments import assignment_create

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
    for names, bucket in ((requirement.lead_units_text, p.lead), (requirement.co_units_text, p.co)):
        for name in names:
            found = directory.match(name)
            if found:
                bucket.extend(d for d in found if d not in bucket)
            else:
                p.unmatched.append(name)
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


def document_publish(
    *, document: PolicyDocument, by: User, proposals: dict[int, Proposal] | None = None
) -> int:
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

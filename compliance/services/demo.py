"""The demo data ``make run`` loads: the department directory, the demo users, the demo policy.

Every step can run again: departments and users are matched by name and only changed fields
are saved (so a second run writes no history), passwords are set only for new accounts, and
the demo policy is imported by content hash (an unchanged file is not imported twice) and
published, with some work done, only when it was new.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from ..models import Assignment, Department, Membership, PolicyDocument, User
from ..parsing import parse_file
from .assignments import assignment_approve, assignment_submit, assignment_update_progress
from .documents import policy_import
from .evidence import evidence_upload
from .routing import document_publish

DEPARTMENT_FIELDS = (
    "name",
    "short_name",
    "aliases",
    "kind",
    "keywords",
    "order",
    "is_active",
    "wecom_webhook",
    "dingtalk_webhook",
)
HISTORY_REASON = "demo data"
DEMO_PDF = b"%PDF-1.4\n% demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class DemoDocument:
    title: str
    created: bool
    assignments: int = 0


@dataclass
class DemoReport:
    departments: int = 0
    users: int = 0
    documents: list[DemoDocument] = field(default_factory=list)


def _set_fields(obj: Any, values: dict[str, Any]) -> list[str]:
    """Assign the values that differ; return the names of the fields that changed."""
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    for k in changed:
        setattr(obj, k, values[k])
    return changed


def demo_departments_load(*, path: Path) -> int:
    """Create or update the departments of a Django fixture file, matched by name; return how many."""
    rows = [r["fields"] for r in json.loads(path.read_text(encoding="utf-8")) if r["model"] == "compliance.department"]
    with transaction.atomic():
        for row in rows:
            values = {k: row[k] for k in DEPARTMENT_FIELDS if k in row}
            dept = Department.objects.filter(name=values["name"]).first()
            if dept is None:
                dept = Department(**values)
                dept._change_reason = HISTORY_REASON
                dept.save()
            elif changed := _set_fields(dept, values):
                dept._change_reason = HISTORY_REASON
                dept.save(update_fields=changed)
    return len(rows)


def _demo_user(spec: dict[str, Any], password: str) -> User:
    user = User.objects.filter(username=spec["username"]).first()
    values = {
        "display_name": spec["display_name"],
        "role": spec["role"],
        "email": spec.get("email", ""),
        "is_staff": bool(spec.get("superuser")),
        "is_superuser": bool(spec.get("superuser")),
    }
    if user is None:
        user = User(username=spec["username"], **values)
        user.set_password(password)
        user.save()
    elif changed := _set_fields(user, values):
        user.save(update_fields=changed)
    return user


def _demo_duties(user: User, spec: dict[str, Any], depts: dict[str, Department]) -> None:
    """Memberships, and the departments the user heads, liaises for or oversees."""
    for name, role in spec.get("memberships", []):
        membership = Membership.objects.filter(user=user, department=depts[name]).first()
        if membership is None:
            Membership.objects.create(user=user, department=depts[name], role=role)
        elif membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
    for key, attr in (("head_of", "head"), ("liaison_of", "liaison"), ("oversees", "school_leader")):
        for name in spec.get(key, []):
            dept = depts[name]
            if getattr(dept, f"{attr}_id") != user.pk:
                setattr(dept, attr, user)
                dept._change_reason = HISTORY_REASON
                dept.save(update_fields=[attr])


def demo_users_load(*, path: Path) -> int:
    """Create or update the demo accounts and their places in the departments; return how many."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    depts = {d.name: d for d in Department.objects.all()}
    with transaction.atomic():
        for entry in spec["users"]:
            _demo_duties(_demo_user(entry, spec["password"]), entry, depts)
    return len(spec["users"])


def demo_activity(*, document: PolicyDocument) -> None:
    """Some work already done on a published demo document, so pages and dashboards have content.

    教务处 reports progress; 实验室与设备管理处 uploads evidence and submits; 信息化办公室 submits
    and the office approves.
    """
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "jwc_lead", "bwc_lead", "xxb_lead"])}
    leads = {
        a.department.name: a
        for a in Assignment.objects.filter(requirement__document=document, role=Assignment.Role.LEAD).select_related(
            "department"
        )
    }
    if "教务处" in leads:
        assignment_update_progress(
            assignment=leads["教务处"],
            by=users["jwc_lead"],
            percent=60,
            note="已完成 28 个专业培养方案初稿，正在组织专家论证。",
        )
    if "实验室与设备管理处" in leads:
        a = leads["实验室与设备管理处"]
        assignment_update_progress(assignment=a, by=users["bwc_lead"], percent=90, note="排查完成，整改进行中。")
        evidence_upload(
            assignment=a, by=users["bwc_lead"], name="实验室安全隐患排查台账.pdf", data=DEMO_PDF, note="排查台账"
        )
        assignment_submit(assignment=a, by=users["bwc_lead"], note="隐患已全部整改，请审核。")
    if "信息化办公室" in leads:
        a = leads["信息化办公室"]
        evidence_upload(assignment=a, by=users["xxb_lead"], name="等级保护测评报告.pdf", data=DEMO_PDF, note="测评报告")
        assignment_submit(assignment=a, by=users["xxb_lead"], note="等保测评已通过。")
        assignment_approve(assignment=a, by=users["admin"], note="材料齐全，同意办结。")


def demo_policy_load(*, path: Path, by: User) -> list[DemoDocument]:
    """Import the demo policy; a new document is published and gets some work done."""
    result = parse_file(path.read_bytes(), path.name)
    report = policy_import(documents=result.documents, source_name=path.name, by=by)
    loaded = []
    for outcome in report.outcomes:
        doc = outcome.document
        if doc is None:
            continue
        if doc.status == PolicyDocument.Status.DRAFT:
            created = document_publish(document=doc, by=by)
            demo_activity(document=doc)
            loaded.append(DemoDocument(title=doc.title, created=True, assignments=created))
        else:
            loaded.append(DemoDocument(title=doc.title, created=False))
    return loaded


def demo_load(*, fixtures: Path, policy: bool = True) -> DemoReport:
    """Departments, users and (unless ``policy`` is false) the demo policy, from a fixtures folder."""
    report = DemoReport(
        departments=demo_departments_load(path=fixtures / "departments.json"),
        users=demo_users_load(path=fixtures / "demo_users.json"),
    )
    if policy:
        admin = User.objects.get(username="admin")
        report.documents = demo_policy_load(path=fixtures / "demo_policy.txt", by=admin)
    return report

"""Load the department directory, the demo users and the demo policy (idempotent)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = "加载部门目录、演示账号和演示政策文件（可重复执行）。"

    def add_arguments(self, parser):
        parser.add_argument("--no-policy", action="store_true", help="不导入演示政策文件")

    def handle(self, *args, no_policy: bool = False, **options):
        from compliance.models import Department, Membership, User

        call_command("loaddata", str(FIXTURES / "departments.json"), verbosity=0)
        spec = json.loads((FIXTURES / "demo_users.json").read_text(encoding="utf-8"))
        password = spec["password"]
        depts = {d.name: d for d in Department.objects.all()}
        with transaction.atomic():
            for u in spec["users"]:
                user, created = User.objects.get_or_create(username=u["username"])
                user.display_name = u["display_name"]
                user.role = u["role"]
                user.email = u.get("email", "")
                user.is_staff = user.is_superuser = bool(u.get("superuser"))
                if created:
                    user.set_password(password)
                user.save()
                for name, role in u.get("memberships", []):
                    Membership.objects.update_or_create(user=user, department=depts[name], defaults={"role": role})
                for name in u.get("head_of", []):
                    depts[name].head = user
                    depts[name].save(update_fields=["head"])
                for name in u.get("liaison_of", []):
                    depts[name].liaison = user
                    depts[name].save(update_fields=["liaison"])
                for name in u.get("oversees", []):
                    depts[name].school_leader = user
                    depts[name].save(update_fields=["school_leader"])
        self.stdout.write(f"部门 {Department.objects.count()} 个，演示账号 {len(spec['users'])} 个。")
        if not no_policy:
            self._demo_policy()

    def _demo_activity(self, doc) -> None:
        """Some work already done, through the services, so pages and dashboards have content."""
        from compliance.models import Assignment, User
        from compliance.services.assignments import assignment_approve, assignment_submit, assignment_update_progress
        from compliance.services.evidence import evidence_upload

        users = {u.username: u for u in User.objects.filter(username__in=["admin", "jwc_lead", "bwc_lead", "xxb_lead"])}
        leads = {
            a.department.name: a
            for a in Assignment.objects.filter(requirement__document=doc, role=Assignment.Role.LEAD).select_related(
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
        pdf = b"%PDF-1.4\n% demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        if "实验室与设备管理处" in leads:
            a = leads["实验室与设备管理处"]
            assignment_update_progress(assignment=a, by=users["bwc_lead"], percent=90, note="排查完成，整改进行中。")
            evidence_upload(
                assignment=a, by=users["bwc_lead"], name="实验室安全隐患排查台账.pdf", data=pdf, note="排查台账"
            )
            assignment_submit(assignment=a, by=users["bwc_lead"], note="隐患已全部整改，请审核。")
        if "信息化办公室" in leads:
            a = leads["信息化办公室"]
            evidence_upload(assignment=a, by=users["xxb_lead"], name="等级保护测评报告.pdf", data=pdf, note="测评报告")
            assignment_submit(assignment=a, by=users["xxb_lead"], note="等保测评已通过。")
            assignment_approve(assignment=a, by=users["admin"], note="材料齐全，同意办结。")

    def _demo_policy(self) -> None:
        from compliance.models import PolicyDocument, User
        from compliance.parsing import parse_file
        from compliance.services.documents import policy_import
        from compliance.services.routing import document_publish

        path = FIXTURES / "demo_policy.txt"
        admin = User.objects.get(username="admin")
        result = parse_file(path.read_bytes(), path.name)
        report = policy_import(documents=result.documents, source_name=path.name, by=admin)
        for outcome in report.outcomes:
            doc = outcome.document
            if doc is not None and doc.status == PolicyDocument.Status.DRAFT:
                n = document_publish(document=doc, by=admin)
                self._demo_activity(doc)
                self.stdout.write(f"演示文件《{doc.title}》已导入并发布，生成任务 {n} 项，并模拟了部分办理进展。")
            elif doc is not None:
                self.stdout.write(f"演示文件《{doc.title}》已存在。")

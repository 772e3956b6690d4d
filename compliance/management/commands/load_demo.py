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
                self.stdout.write(f"演示文件《{doc.title}》已导入并发布，生成任务 {n} 项。")
            elif doc is not None:
                self.stdout.write(f"演示文件《{doc.title}》已存在。")

"""Load the department directory, the demo users and the demo policy (idempotent)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from compliance.services.demo import demo_load


class Command(BaseCommand):
    help = "加载部门目录、演示账号和演示政策文件（可重复执行）。"

    def add_arguments(self, parser):
        parser.add_argument("--no-policy", action="store_true", help="不导入演示政策文件")

    def handle(self, *args, no_policy: bool = False, **options):
        report = demo_load(fixtures=Path(settings.BASE_DIR) / "fixtures", policy=not no_policy)
        self.stdout.write(f"部门 {report.departments} 个，演示账号 {report.users} 个。")
        for doc in report.documents:
            if doc.created:
                self.stdout.write(
                    f"演示文件《{doc.title}》已导入并发布，生成任务 {doc.assignments} 项，并模拟了部分办理进展。"
                )
            else:
                self.stdout.write(f"演示文件《{doc.title}》已存在。")

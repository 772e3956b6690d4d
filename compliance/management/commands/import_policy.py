"""Import policy documents: parse, then store each document in its own transaction."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from compliance.parsing import ParseError, parse_file
from compliance.services.documents import policy_import


class Command(BaseCommand):
    help = "导入政策文件（.txt/.docx/.doc/.wps/.rtf/.pdf/.ofd、扫描件和图片），拆解为条款树。同一内容重复导入不会改变数据库。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--dry-run", action="store_true", help="只解析并报告，不写入数据库")
        parser.add_argument("--user", help="记为导入人的用户名")

    def handle(self, *args, paths: list[str], dry_run: bool = False, user: str | None = None, **options):
        from compliance.models import User

        by = None
        if user:
            by = User.objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"用户 {user} 不存在。")
        failures = 0
        for raw in paths:
            path = Path(raw)
            if not path.is_file():
                self.stderr.write(f"{raw}: 文件不存在。")
                failures += 1
                continue
            if path.stat().st_size > settings.DUBAN_MAX_IMPORT_BYTES:
                self.stderr.write(
                    f"{raw}: 文件过大（{path.stat().st_size // (1024 * 1024)} MB），"
                    f"上限 {settings.DUBAN_MAX_IMPORT_BYTES // (1024 * 1024)} MB。未导入任何内容。"
                )
                failures += 1
                continue
            try:
                result = parse_file(path.read_bytes(), path.name)
            except ParseError as exc:
                self.stderr.write(f"{raw}: {exc} 未导入任何内容。")
                failures += 1
                continue
            if not result.documents:
                self.stderr.write(f"{raw}: 未识别出可导入的政策文件。未导入任何内容。")
                failures += 1
                continue
            report = policy_import(documents=result.documents, source_name=path.name, by=by, dry_run=dry_run)
            for o in report.outcomes:
                if o.status == "created":
                    self.stdout.write(f"已导入：{o.title}（{o.requirements} 个条款，其中 {o.tracked} 项需跟踪）")
                elif o.status == "dry-run":
                    self.stdout.write(f"将导入：{o.title}（{o.requirements} 个条款，其中 {o.tracked} 项需跟踪）")
                elif o.status == "unchanged":
                    self.stdout.write(f"未更改：{o.title}：{o.message}")
                else:
                    failures += 1
                    self.stderr.write(f"导入失败：{o.title}：{o.message}（该文件未写入数据库）")
        if failures:
            raise CommandError(f"{failures} 个文件或文档导入失败。")

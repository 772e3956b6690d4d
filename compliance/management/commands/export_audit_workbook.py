"""Write the audit workbook (审计工作簿) to a file: the same builder the web download uses."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance.services.exports import ScopeError, parse_scope, scope_workbook


class Command(BaseCommand):
    help = "导出审计工作簿（概览、任务分解表、逾期事项、佐证材料、操作记录）。"
    # The system checks cost about 24 MB of the 150 MB a 100,000-row export may use; the web
    # process and `manage.py check` in deployment run them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, metavar="FILE", help="输出的 .xlsx 文件路径")
        parser.add_argument("--document", metavar="ID", help="只导出该文件（文件编号）")
        parser.add_argument("--department", metavar="NAME", help="只导出该部门承担的条款（名称、简称或别名）")
        parser.add_argument("--as-of", dest="as_of", metavar="DATE", help="截至日期 YYYY-MM-DD，默认今天")
        parser.add_argument(
            "--include-drafts", action="store_true", help="也包含尚未发布的文件（草稿）；默认只含已发布的文件"
        )

    def handle(self, *args, out: str, document=None, department=None, as_of=None, include_drafts=False, **options):
        try:
            scope = parse_scope(document=document, department=department, as_of=as_of, include_drafts=include_drafts)
        except ScopeError as exc:
            raise CommandError(str(exc)) from None
        path = Path(out)
        if path.parent and not path.parent.exists():
            raise CommandError(f"目录 {path.parent} 不存在。")
        wb = scope_workbook(scope=scope)
        try:
            wb.save(path)
        except OSError as exc:
            raise CommandError(f"无法写入 {path}：{exc}") from None
        self.stdout.write(f"已导出审计工作簿：{path}（截至 {scope.as_of.isoformat()}）")

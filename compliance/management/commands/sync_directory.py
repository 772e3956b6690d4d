"""Sync people and departments from an HR/OA roster (.xlsx/CSV) or from LDAP; dry run first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from compliance.models import DirectorySync, User
from compliance.parsing.roster import read_roster
from compliance.parsing.types import ParseError
from compliance.services import ServiceError
from compliance.services.directory import FIELD_LABELS, directory_apply, directory_plan


class Command(BaseCommand):
    help = (
        "同步人事目录：从人事/OA 导出的花名册（.xlsx 或 CSV：工号、姓名、部门、职务、邮箱、手机）或 LDAP "
        "读取人员，报告新增、变更、离职；离职人员停用（不删除）并列出其部门的未办结事项。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", metavar="FILE", help="花名册文件（.xlsx 或 CSV）")
        parser.add_argument("--ldap", action="store_true", help="从 LDAP 目录读取（DUBAN_LDAP_* 设置）")
        parser.add_argument("--dry-run", action="store_true", help="只报告将发生的变化，不写入数据库")
        parser.add_argument("--confirm-mass-leave", action="store_true", help="允许一次停用超过目录五分之一的人员")

    def handle(self, *args, path: str | None, ldap: bool, dry_run: bool, confirm_mass_leave: bool, **options):
        rows, columns, problems, source = self._read(path, ldap)
        try:
            if dry_run:
                plan = directory_plan(rows=rows, columns=columns, problems=problems)
            else:
                plan = directory_apply(
                    rows=rows,
                    columns=columns,
                    problems=problems,
                    source=source,
                    by=None,
                    allow_mass_leave=confirm_mass_leave,
                )
        except ServiceError as exc:
            raise CommandError(str(exc)) from None
        report = plan.report()
        if not dry_run:
            DirectorySync.objects.create(
                source=DirectorySync.Source.LDAP if ldap else DirectorySync.Source.FILE,
                file_name=Path(path).name if path else settings.DUBAN_LDAP_USER_BASE,
                status=DirectorySync.Status.APPLIED,
                rows={"columns": columns, "rows": [r.as_dict() for r in rows], "problems": problems},
                report=report,
            )
        self._print(report, dry_run)

    def _read(self, path: str | None, ldap: bool):
        if ldap == bool(path):
            raise CommandError("请给出花名册文件，或使用 --ldap（二选一）。")
        if ldap:
            from compliance.auth.ldap import ldap_enabled, ldap_roster

            if not ldap_enabled():
                raise CommandError("尚未配置 LDAP 目录（DUBAN_LDAP_SERVER_URI）。")
            try:
                rows = ldap_roster()
            except Exception as exc:  # python-ldap's own exception hierarchy
                raise CommandError(f"读取 LDAP 目录失败：{exc}") from None
            return rows, ["department", "title", "email", "phone"], [], User.Source.LDAP
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: 文件不存在。")
        if file.stat().st_size > settings.DUBAN_MAX_IMPORT_BYTES:
            raise CommandError(f"{path}: 文件过大，上限 {settings.DUBAN_MAX_IMPORT_BYTES // (1024 * 1024)} MB。")
        try:
            roster = read_roster(file.read_bytes(), file.name)
        except ParseError as exc:
            raise CommandError(f"{path}: {exc} 未做任何修改。") from None
        problems = [{"line": line, "message": msg} for line, msg in roster.problems]
        return roster.rows, roster.columns, problems, User.Source.DIRECTORY

    def _print(self, report: dict[str, Any], dry_run: bool) -> None:
        c = report["counts"]
        verb = "将" if dry_run else "已"
        self.stdout.write(
            f"# {'预演（未写入）' if dry_run else '已同步'}：新增 {c['new']}，变更 {c['changed']}，"
            f"离职 {c['leaving']}，无变化 {c['unchanged']}，问题行 {c['problems']}"
        )
        for p in report["new"]:
            self.stdout.write(
                f"{verb}新增\t{p['employee_id']}\t{p['name']}\t{'、'.join(p['departments'])}\t{p['title']}"
            )
        for p in report["changed"]:
            for ch in p["changes"]:
                label = FIELD_LABELS.get(ch["field"], ch["field"])
                self.stdout.write(f"{verb}变更\t{p['employee_id']}\t{p['name']}\t{label}\t{ch['old']} → {ch['new']}")
        for p in report["leaving"]:
            self.stdout.write(
                f"{verb}停用\t{p['employee_id']}\t{p['name']}\t未办结事项 {p['open_items_total']} 项"
                + (
                    f"\t无在职负责人：{'、'.join(p['departments_without_lead'])}"
                    if p["departments_without_lead"]
                    else ""
                )
            )
            for item in p["open_items"]:
                self.stdout.write(
                    f"  待交接\t#{item['id']}\t{item['department']}\t{item['due_date']}\t{item['status']}\t{item['title']}"
                )
        for d in report["unmatched_departments"]:
            self.stdout.write(f"未匹配部门\t{d['name']}\t{d['count']} 人")
        for p in report["problems"]:
            self.stdout.write(f"问题\t第 {p['line']} 行\t{p['message']}")
        if report["mass_leave"] and dry_run:
            self.stdout.write("注意：将停用的人数超过目录的五分之一，执行时需要 --confirm-mass-leave。")

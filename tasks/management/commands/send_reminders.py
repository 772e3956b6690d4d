"""Run the reminder scan once, synchronously, and print every delivery.

Output: one tab-separated line per delivery, then one summary line starting with '#':

    <outcome>\t<channel>\t<recipient>\t<kind>\t<assignment id>\t<item title>[\t<error>]

outcome is would-send (--dry-run), sent, pending (a send failed; retried later), failed (a robot
refused the message), skipped (the item closed or its due date changed). The recipient is
``username <email>`` for e-mail and the department name for a robot. Lines are in ledger
order (by recipient within a run), so two runs over the same data print the same text.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

HELP = (
    "运行一次截止提醒扫描并发送（同步，无需 worker）。每条发送打印一行，制表符分隔："
    "结果 渠道 接收方 提醒类型 事项ID 事项标题[ 错误]；结果为 would-send（--dry-run）、sent、"
    "pending（发送失败，稍后重试）、failed（机器人拒收）、skipped（事项已关闭或时限已变）。"
    "最后一行以 # 开头给出汇总。邮件经 Django 的 EMAIL_BACKEND（EMAIL_URL）发送。"
)


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发送的提醒，不写数据库、不发送。")
        parser.add_argument(
            "--now",
            metavar="ISO-DATETIME",
            help="以此时间代替当前时间判断到期提醒，例如 2026-05-01T09:00:00+08:00（无时区按 TIME_ZONE）。",
        )

    def handle(self, *args, dry_run: bool = False, now: str | None = None, **options):
        from compliance.services.recurrence import recurrence_create_due
        from tasks import leader_digest
        from tasks.reminders import DeliveryLine, deliver_pending, describe_rows, scan

        moment = self._parse_now(now)
        today = timezone.localdate(moment)
        created = [] if dry_run else recurrence_create_due(today=today)

        def write(line: DeliveryLine) -> None:
            self.stdout.write(line.format())

        report = scan(now=moment, dry_run=dry_run)
        # School leaders' weekly digests go through the same ledger (kinds weekly_*).
        report.planned.extend(leader_digest.plan(now=moment, dry_run=dry_run))
        if dry_run:
            # New reminders the scan would add, then rows already waiting in the ledger.
            describe_rows(report.planned, "would-send", write)
        delivered = deliver_pending(today=today, dry_run=dry_run, on_line=write)
        summary = [
            f"# {timezone.localtime(moment).isoformat()}",
            "workday" if report.workday else "non-workday (no new reminders)",
            f"open-in-horizon={report.assignments}",
            f"new={len(report.planned)}",
        ]
        if dry_run:
            summary.append(f"would-send={len(report.planned) + delivered.count('would-send')}")
        else:
            summary += [
                f"occurrences-created={len(created)}",
                f"digests={delivered.digests}",
                *(f"{o}={delivered.count(o)}" for o in ("sent", "pending", "failed", "skipped")),
                f"notification-emails={delivered.notification_emails}",
            ]
        self.stdout.write(" ".join(summary))

    @staticmethod
    def _parse_now(value: str | None) -> dt.datetime:
        if not value:
            return timezone.now()
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(
                f"--now: 无法解析的时间 {value!r}（应为 ISO 格式，如 2026-05-01T09:00:00+08:00）"
            ) from exc
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

"""``manage.py export_bulletin --out FILE.docx [--round ID | --from DATE --to DATE] [--document ID]``.

Writes the 督办通报 (Word) as the office sees it. The period is the round's (``--round``), the
dates given, or by default this year up to today (the dashboard's default). Errors go to stderr
in Chinese and the command exits with status 1.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance import selectors, selectors_reports
from compliance.exports.bulletin import bulletin_bytes, collect_bulletin, office_reader
from compliance.models import PolicyDocument, ReportRound


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{name} 日期格式应为 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = "导出督办通报（Word）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", required=True, help="输出文件（.docx）")
        parser.add_argument("--round", type=int, help="报送轮次 ID（通报期间取该轮次的期间）")
        parser.add_argument("--from", dest="start", help="通报期间开始，YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="通报期间结束，YYYY-MM-DD")
        parser.add_argument("--document", type=int, help="只通报这份文件（ID）")

    def handle(self, *args, **opts) -> None:
        reader = office_reader()
        rnd = None
        if opts["round"] is not None:
            if opts["start"] or opts["end"]:
                raise CommandError("--round 与 --from/--to 不能同时使用。")
            try:
                rnd = selectors_reports.round_get(user=reader, pk=opts["round"])
            except ReportRound.DoesNotExist:
                raise CommandError(f"报送轮次不存在：{opts['round']}") from None
            start, end = rnd.period_start, rnd.period_end
        else:
            if bool(opts["start"]) != bool(opts["end"]):
                raise CommandError("--from 和 --to 需要同时给出。")
            today = selectors.today()
            start = _date(opts["start"], "--from") if opts["start"] else today.replace(month=1, day=1)
            end = _date(opts["end"], "--to") if opts["end"] else today
            if start > end:
                raise CommandError("--from 不能晚于 --to。")
        document = None
        if opts["document"] is not None:
            try:
                document = selectors.document_list(user=reader).get(pk=opts["document"])
            except PolicyDocument.DoesNotExist:
                raise CommandError(f"文件不存在：{opts['document']}") from None
        out = Path(opts["out"])
        if not out.parent.is_dir():
            raise CommandError(f"输出目录不存在：{out.parent}")
        data = collect_bulletin(user=reader, start=start, end=end, document=document, rnd=rnd)
        try:
            out.write_bytes(bulletin_bytes(data))
        except OSError as exc:
            raise CommandError(f"无法写入 {out}：{exc.strerror or exc}") from None
        self.stdout.write(
            f"{out}\t{start.isoformat()}..{end.isoformat()}\t{len(data.ranking)} 个单位\t{len(data.overdue)} 项逾期"
        )

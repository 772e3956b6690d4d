"""``manage.py parse_policy PATH [PATH ...] [--json]``: parse policy files without a database.

Prints either one JSON object with every normative document and attachment of all PATHs
(and the blocks left out, with the reason), or a readable outline (``*`` marks requirements).
Every format of :mod:`compliance.parsing.formats` is accepted; scans and images are read by OCR in
this process, with one progress line a page on stderr.  Errors go to stderr in Chinese and the
command exits with status 1.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance.parsing import ParseError, parse_file
from compliance.parsing.decode import MAX_BYTES

# What ``--json`` lists of each block left out (the whole text is left to the import preview).
SKIPPED_KEYS = ("title", "kind", "reason", "reason_label", "excerpt", "line", "duplicate_of")


class Command(BaseCommand):
    help = (
        "解析政策文件（.txt/.html/.docx/.doc/.wps/.rtf/.pdf/.ofd，扫描件和 .jpg/.png/.tif 图片经文字识别），"
        "输出文件结构与条目（不使用数据库）；文字识别进度输出到 stderr。"
    )
    requires_system_checks: tuple[str, ...] = ()
    requires_migrations_checks = False

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="要解析的文件")
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument(
            "--max-mb",
            type=float,
            default=MAX_BYTES / 1024 / 1024,
            help="单个文件大小上限（MB），默认 20",
        )
        parser.add_argument("--all", action="store_true", help="大纲中也列出非要求条目以外的被跳过文档")

    def handle(self, *args, **opts) -> None:
        max_bytes = int(opts["max_mb"] * 1024 * 1024)
        documents: list[dict] = []
        skipped: list[dict] = []
        outlines: list[str] = []
        for raw in opts["paths"]:
            path = Path(raw)
            if not path.exists():
                raise CommandError(f"文件不存在：{raw}")
            if not path.is_file():
                raise CommandError(f"不是文件：{raw}")
            size = path.stat().st_size
            if max_bytes and size > max_bytes:
                raise CommandError(
                    f"{raw}：文件过大（{size / 1024 / 1024:.1f} MB），超过 {max_bytes / 1024 / 1024:.0f} MB 的上限。"
                )

            def progress(done: int, total: int, name: str = raw) -> None:
                self.stderr.write(f"{name}：文字识别（OCR）第 {done}/{total} 页")

            try:
                result = parse_file(path.read_bytes(), path.name, max_bytes=max_bytes, progress=progress)
            except ParseError as exc:
                raise CommandError(f"{raw}：{exc}") from exc
            except OSError as exc:
                raise CommandError(f"{raw}：无法读取文件（{exc.strerror or exc}）。") from exc
            for w in result.warnings:
                self.stderr.write(f"{raw}：{w}")
            documents.extend(d.as_json() for d in result.documents)
            for s in result.skipped:
                entry = {key: s[key] for key in SKIPPED_KEYS if key in s}
                skipped.append({**entry, "source": raw})
            if not opts["json"]:
                outlines.append(_outline(raw, result, skipped_too=True))
        if opts["json"]:
            payload = {"documents": documents, "skipped": skipped}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(outlines))


def _outline(source: str, result, *, skipped_too: bool) -> str:
    lines = [f"# {source}：{len(result.documents)} 份文件，{sum(len(d.items) for d in result.documents)} 个条目"]
    for d in result.documents:
        meta = " | ".join(x for x in (d.issuer, d.doc_number, d.date.isoformat() if d.date else "") if x)
        # The attachment mark is outline-only and kept apart from the title as printed.
        kind = "[附件] " if d.kind == "attachment" else ""
        secret = f"  [密级：{d.meta['classification']}]" if d.meta.get("classification") else ""
        lines.append(f"\n== {kind}{d.title}" + (f"  [{meta}]" if meta else "") + secret)
        for it in d.items:
            mark = "*" if it.is_requirement else " "
            extra = ""
            if it.lead_units or it.co_units:
                extra += (
                    f"  [牵头:{'、'.join(it.lead_units)}"
                    + (f"; 配合:{'、'.join(it.co_units)}" if it.co_units else "")
                    + "]"
                )
            if it.deadlines:
                extra += (
                    "  [时限:"
                    + "；".join(
                        dl.text
                        + (f"={dl.date.isoformat()}" if dl.date else "")
                        + (f"/{dl.recurrence}" if dl.recurrence else "")
                        for dl in it.deadlines
                    )
                    + "]"
                )
            head = it.heading or it.text[:30].replace("\n", " ")
            lines.append(f"{mark} {'  ' * (it.level - 1)}{it.label} {head}{extra}")
    if skipped_too:
        for s in result.skipped:
            first = s.get("excerpt", "").split("\n")[0]
            lines.append(f"\n-- 跳过（{s['reason_label']}，第 {s['line']} 行）：{s['title'] or first}")
    return "\n".join(lines)

"""``manage.py trace_links FILE UPSTREAM_FILE [--top 3] [--json]``: propose upstream links, no database.

Both files are parsed as ``parse_policy`` parses them; for a compilation the first document with
requirement rows is used. For each requirement row of FILE the command lists the most similar
requirement rows of UPSTREAM_FILE, best first. ``--json`` prints
``{"links": [{"path": [...], "candidates": [{"path": [...], "score": float}, ...]}, ...]}``.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance.parsing import ParseError, parse_file
from compliance.tracing import propose
from compliance.tracing.parsed import document_passages, first_document_with_items


def _parse(raw: str):
    path = Path(raw)
    if not path.is_file():
        raise CommandError(f"文件不存在：{raw}")
    try:
        result = parse_file(path.read_bytes(), path.name)
    except ParseError as exc:
        raise CommandError(f"{raw}：{exc}") from exc
    except OSError as exc:
        raise CommandError(f"{raw}：无法读取文件（{exc.strerror or exc}）。") from exc
    return first_document_with_items(result)


class Command(BaseCommand):
    help = "为 FILE 的每个条目在 UPSTREAM_FILE 中找出最相近的上级条目（不使用数据库）。"
    requires_system_checks: tuple[str, ...] = ()
    requires_migrations_checks = False

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", metavar="FILE", help="本级文件（如学校工作要点）")
        parser.add_argument("upstream", metavar="UPSTREAM_FILE", help="上级文件（如教育部工作要点）")
        parser.add_argument("--top", type=int, default=3, help="每个条目列出的候选数，默认 3")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **opts) -> None:
        if opts["top"] < 1:
            raise CommandError("--top 至少为 1。")
        doc = _parse(opts["file"])
        upstream_doc = _parse(opts["upstream"])
        rows = document_passages(doc)
        upstream = document_passages(upstream_doc)
        links = [
            {"path": list(row.path), "candidates": [{"path": list(c.path), "score": c.score} for c in candidates]}
            for row, candidates in propose(rows, upstream, top=opts["top"])
        ]
        if opts["json"]:
            self.stdout.write(json.dumps({"links": links}, ensure_ascii=False, indent=2))
            return
        texts = {p.path: p.text for p in upstream}
        own = {p.path: p.text for p in rows}
        for link in links:
            path = tuple(link["path"])
            self.stdout.write(f"{' > '.join(path)}  {own[path][:40]}")
            for c in link["candidates"]:
                cpath = tuple(c["path"])
                self.stdout.write(f"    {c['score']:8.3f}  {' > '.join(cpath)}  {texts[cpath][:40]}")
        if doc is None or upstream_doc is None:
            self.stderr.write("提示：文件中没有可跟踪的条目。")

"""Benchmark: the audit workbook with 100,000 rows against XlsxWriter's constant_memory mode.

Targets (issue 17): within 1.3x the time XlsxWriter takes to write the same rows, under 150 MB peak
memory for the whole export_audit_workbook process.
Run: .venv/bin/python benchmarks/bench_workbook.py [--rows 100000] [--repeat 3]
(Same throwaway database as bench_dashboard.py. XlsxWriter is needed only here and is not a
dependency of Duban; without it the comparison is skipped with a message.)

Both sides write the same rows, computed once per side by the same AuditWorkbookWriter
(table_rows() and history_rows(), so both include the database time), into the same five sheets
with the same per-column formats and layout (see time_xlsxwriter). Runs are interleaved and the
median reported, with the time for reading and computing the rows alone, the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dashboard import ROOT, analyze, populate, setup_django


def time_openpyxl(out: Path) -> float:
    from django.utils import timezone

    from compliance.exports import build_audit_workbook

    t0 = time.perf_counter()
    wb = build_audit_workbook(as_of=timezone.localdate())
    wb.save(out)
    return time.perf_counter() - t0


def _writer():
    """Duban's AuditWorkbookWriter for today: the rows both sides write come from here."""
    from django.utils import timezone

    from compliance.exports.scope import AuditScope
    from compliance.exports.source import AuditSource
    from compliance.exports.workbook import AuditWorkbookWriter

    return AuditWorkbookWriter(AuditSource(AuditScope(as_of=timezone.localdate())))


def time_rows_only() -> float:
    """Reading and computing every row without writing any: the part both sides share."""
    from django.conf import settings
    from django.utils import translation

    t0 = time.perf_counter()
    with translation.override(settings.LANGUAGE_CODE):
        w = _writer()
        for _row in w.table_rows():
            pass
        for _row in w.history_rows():
            pass
    return time.perf_counter() - t0


def time_xlsxwriter(out: Path) -> float | None:
    """The same workbook with XlsxWriter (constant_memory): same rows, sheets and layout.

    Rows come from the same AuditWorkbookWriter.table_rows()/history_rows() the openpyxl builder
    appends; every text goes through the same clean_text guard; each column gets the format its
    *_STYLES entry names (宋体 10.5 wrapped body, centred, date, datetime, quote prefix for
    formula-like text), headers 黑体 with fill and border; merged title rows, widths, row heights
    for wrapped text (the same RowHeights estimate), frozen header, auto-filter, A4 landscape
    fitted to width, repeated header row, page header/footer, the overdue rule and the border
    rule; 概览 with its tables and bar charts, each after a page break.
    """
    try:
        import xlsxwriter
    except ImportError:
        print("XlsxWriter is not installed: comparison skipped (pip install XlsxWriter into .venv to run it).")
        return None
    import datetime as dt

    from django.conf import settings
    from django.utils import timezone, translation
    from django.utils.translation import gettext as _

    from compliance.exports import layout as A
    from compliance.exports import overview as O
    from compliance.exports.cells import clean_text
    from compliance.models import Assignment

    t0 = time.perf_counter()
    with translation.override(settings.LANGUAGE_CODE):
        w = _writer()
        scope = w.scope
        wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
        body = {"font_name": "宋体", "font_size": 10.5, "text_wrap": True, "valign": "top"}
        centre = {**body, "align": "center"}
        fmt = {
            "body": body,
            "center": centre,
            "date": {**centre, "num_format": "yyyy-mm-dd"},
            "datetime": {**centre, "num_format": "yyyy-mm-dd hh:mm"},
        }
        formats = {k: wb.add_format(v) for k, v in fmt.items()}
        quoted = {k: wb.add_format({**v, "quote_prefix": True}) for k, v in fmt.items()}
        title = wb.add_format(
            {
                "font_name": "黑体",
                "font_size": 16,
                "bold": True,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        subtitle = wb.add_format(
            {"font_name": "宋体", "font_size": 10, "font_color": "#555555", "text_wrap": True, "valign": "top"}
        )
        header = wb.add_format(
            {
                "font_name": "黑体",
                "font_size": 11,
                "bold": True,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "border": 1,
                "border_color": "#999999",
                "bg_color": "#DDE5F0",
            }
        )
        border = wb.add_format({"border": 1, "border_color": "#999999"})
        red = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        sheets = {name: wb.add_worksheet(name) for name in A.SHEETS}

        def setup(ws, widths, headers, heading, landscape=True):
            for i, width in enumerate(widths):
                ws.set_column(i, i, width)
            ws.freeze_panes(A.HEADER_ROW, 0)
            ws.set_default_row(A.DEFAULT_ROW_PT)
            ws.set_landscape() if landscape else ws.set_portrait()
            ws.set_paper(9)
            ws.fit_to_pages(1, 0)
            ws.center_horizontally()
            ws.set_margins(left=0.3, right=0.3, top=0.75, bottom=0.75)
            ws.set_header("&R" + _("截至 %(d)s") % {"d": scope.as_of.isoformat()}, {"margin": 0.3})
            ws.set_footer("&C" + _("第 &P 页，共 &N 页"), {"margin": 0.3})
            if headers:
                total = sum(widths)
                titles = A.RowHeights([total], font_pt=16)
                ws.set_row(0, titles.height(titles.lines([heading])))
                ws.merge_range(0, 0, 0, len(headers) - 1, heading, title)
                lines = A.RowHeights([total])
                ws.set_row(1, lines.height(lines.lines([scope.describe()])))
                ws.merge_range(1, 0, 1, len(headers) - 1, scope.describe(), subtitle)
                heads = A.RowHeights(widths, font_pt=11)
                ws.set_row(2, heads.height(heads.lines(headers)))
                ws.write_row(2, 0, headers, header)
                ws.repeat_rows(2)

        tables = {
            A.SHEET_TASKS: (A.TASK_WIDTHS, A.TASK_HEADERS, A.TASK_STYLES, w.title()),
            A.SHEET_OVERDUE: (A.OVERDUE_WIDTHS, A.OVERDUE_HEADERS, A.OVERDUE_STYLES, _("逾期事项")),
            A.SHEET_EVIDENCE: (A.EVIDENCE_WIDTHS, A.EVIDENCE_HEADERS, A.EVIDENCE_STYLES, _("佐证材料清单")),
            A.SHEET_HISTORY: (A.HISTORY_WIDTHS, A.HISTORY_HEADERS, A.HISTORY_STYLES, _("操作记录")),
        }
        for name, (widths, headers, _styles, heading) in tables.items():
            setup(sheets[name], widths, headers, heading)
        next_row = dict.fromkeys(tables, A.HEADER_ROW)  # 0-based: the first body row
        heights = {name: A.RowHeights(widths) for name, (widths, *_rest) in tables.items()}

        def write(name, values):
            ws, styles = sheets[name], tables[name][2]
            r = next_row[name]
            next_row[name] = r + 1
            height = heights[name](values)
            if height is not None:
                ws.set_row(r, height)
            for c, value in enumerate(values):
                if value is None or value == "":
                    continue
                style = styles[c]
                if isinstance(value, str):
                    text, risky = clean_text(value)
                    ws.write_string(r, c, text, (quoted if risky else formats)[style])
                elif isinstance(value, dt.datetime):
                    ws.write_datetime(r, c, value.replace(tzinfo=None), formats[style])
                elif isinstance(value, dt.date):
                    ws.write_datetime(r, c, value, formats[style])
                else:
                    ws.write_number(r, c, value, formats[style])

        for name, values in w.table_rows():
            write(name, values)
        for values in w.history_rows():
            write(A.SHEET_HISTORY, values)
        for name, (_w, headers, _s, _h) in tables.items():
            last = max(next_row[name] - 1, A.HEADER_ROW)
            ws = sheets[name]
            ws.autofilter(A.HEADER_ROW - 1, 0, last, len(headers) - 1)
            if name == A.SHEET_TASKS:
                labels = w.source.status_labels
                tests = ",".join(f'$I4="{labels[s]}"' for s in Assignment.OPEN_STATUSES)
                ws.conditional_format(
                    A.HEADER_ROW,
                    0,
                    last,
                    len(headers) - 1,
                    {"type": "formula", "criteria": f'=AND($M4="否",OR({tests}))', "format": red},
                )
            ws.conditional_format(
                A.HEADER_ROW, 0, last, len(headers) - 1, {"type": "formula", "criteria": "=TRUE", "format": border}
            )

        # 概览: the same figures, tables and charts.
        ws, t = sheets[A.SHEET_OVERVIEW], w.totals
        setup(ws, O.OVERVIEW_WIDTHS, (), "", landscape=False)
        label = wb.add_format({"font_name": "黑体", "font_size": 11, "bold": True, "valign": "top"})
        pct = wb.add_format({"font_name": "宋体", "font_size": 10.5, "num_format": "0.0%", "border": 1})
        cell = wb.add_format({"font_name": "宋体", "font_size": 10.5, "border": 1, "align": "center"})
        ws.merge_range(0, 0, 0, 6, _("审计工作簿 · 概览"), title)
        ws.merge_range(1, 0, 1, 6, scope.describe(), subtitle)
        ws.write(2, 0, _("截至日期"), label)
        ws.write_datetime(2, 1, dt.datetime.combine(scope.as_of, dt.time()), formats["date"])
        ws.write(3, 0, _("生成时间"), label)
        ws.write_datetime(3, 1, timezone.localtime().replace(tzinfo=None), formats["datetime"])
        r = 5
        for name, value in (
            (_("跟踪条款"), t.requirements),
            (_("任务（部门×条款）"), t.assignments.total),
            (_("已办结"), t.assignments.completed),
            (_("逾期未办结"), t.assignments.overdue),
        ):
            ws.write(r, 0, name, cell)
            ws.write(r, 1, value, cell)
            r += 1
        depts = w.source.departments
        ranges = []
        for items in (
            [(depts[k][0], v) for k, v in t.by_department.items()],
            [(t.document_titles[k], v) for k, v in sorted(t.by_document.items())],
        ):
            r += 1
            ws.write_row(r, 0, ["", "", "", "", "", _("完成率"), _("按期率")], header)
            first = r + 1
            for name, tally in items:
                r += 1
                ws.write_row(r, 0, [name, tally.total, tally.completed, tally.on_time, tally.overdue], cell)
                ws.write(r, 5, tally.completion_rate, pct)
                ws.write(r, 6, tally.on_time_rate, pct)
            ranges += [(top, min(top + O.CHART_MAX_BARS - 1, r)) for top in range(first, r + 1, O.CHART_MAX_BARS)]
            r += 1
        anchor, breaks = r + 3, []
        for top, bottom in ranges:  # each chart on a new page, a label for every bar
            chart = wb.add_chart({"type": "bar"})
            for col in (5, 6):
                chart.add_series(
                    {
                        "values": [A.SHEET_OVERVIEW, top, col, bottom, col],
                        "categories": [A.SHEET_OVERVIEW, top, 0, bottom, 0],
                    }
                )
            chart.set_x_axis({"interval_unit": 1})
            height = 26 * (bottom - top + 1) + 150
            chart.set_size({"width": 640, "height": height})
            breaks.append(anchor - 1)
            ws.insert_chart(anchor, 0, chart)
            anchor += height // 24 + 3
        ws.set_h_pagebreaks(breaks)
        wb.close()
    return time.perf_counter() - t0


def peak_memory_of_command(out: Path, database_url: str, *, command: str = "export_audit_workbook") -> float:
    """Peak resident memory (MB) of `manage.py export_audit_workbook`, measured inside its process.

    The child reads VmHWM, the high-water mark of its own memory since it started the program.
    getrusage's ru_maxrss will not do, in either process: Linux carries the peak of the memory a
    process had before exec into it, and a child started by subprocess (vfork) runs in the
    benchmark's own memory until then, so it reported the benchmark's peak (224 MB after five
    runs at 100k, for the export and for `check` alike). With command="check": the same process
    without the workbook (Django, every module the project imports, the system checks every
    command runs).
    """
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "compliance.settings"}
    args = ["manage.py", command, *(["--out", str(out)] if command == "export_audit_workbook" else [])]
    code = (
        "import sys\n"
        "from django.core.management import execute_from_command_line\n"
        f"execute_from_command_line({args!r})\n"
        "hwm = [line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM:')]\n"
        "print(hwm[0], file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def with_cpu(fn, *args) -> tuple[float | None, float]:
    """(wall seconds as fn reports them, CPU seconds of this process while fn ran).

    CPU time leaves out PostgreSQL's share and the waits for a core that other work on a shared
    machine causes; wall time is the figure the targets are set in.
    """
    c0 = time.process_time()
    wall = fn(*args)
    return wall, time.process_time() - c0


def main() -> None:
    import statistics

    from bench_dashboard import machine

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side, interleaved")
    parser.add_argument(
        "--database-url", help="measure an existing database (e.g. one make_data.py built) instead of populating one"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory runs of the command")
    args = parser.parse_args()
    if args.database_url:
        os.environ["BENCH_DATABASE_URL"] = args.database_url
    url = setup_django()
    if not args.database_url:
        populate(args.rows)
        analyze()
    ours, theirs, shared, loads, cpu_ours, cpu_theirs = [], [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        ours_path, theirs_path = Path(tmp) / "openpyxl.xlsx", Path(tmp) / "xlsxwriter.xlsx"
        for i in range(args.repeat):
            loads.append(os.getloadavg()[0])
            wall, cpu = with_cpu(time_openpyxl, ours_path)
            ours.append(wall)
            cpu_ours.append(cpu)
            mine = theirs_path if i == 0 else Path(tmp) / "x.xlsx"
            t, cpu = with_cpu(time_xlsxwriter, mine)
            if t is not None:
                theirs.append(t)
                cpu_theirs.append(cpu)
            shared.append(time_rows_only())
            ratio = f", ratio {ours[-1] / theirs[-1]:.2f}x (CPU {cpu_ours[-1] / cpu_theirs[-1]:.2f}x)" if theirs else ""
            print(
                f"  run {i + 1}: openpyxl {ours[-1]:.1f} s, XlsxWriter {theirs[-1] if theirs else 0:.1f} s, "
                f"rows only {shared[-1]:.1f} s{ratio} (load {loads[-1]:.2f})",
                flush=True,
            )
        peak = None if args.no_memory else peak_memory_of_command(Path(tmp) / "command.xlsx", url)
        baseline = None if args.no_memory else peak_memory_of_command(Path(tmp) / "none.xlsx", url, command="check")
        print(f"database: {url.split('@')[-1]}")
        print(f"machine: {machine()}")
        o, s_ = statistics.median(ours), statistics.median(shared)
        import openpyxl

        print(
            f"openpyxl {openpyxl.__version__} write-only (Duban builder, all 5 sheets; lxml writer: {openpyxl.LXML}): "
            f"median {o:.1f} s of {args.repeat}, {ours_path.stat().st_size / 1e6:.1f} MB"
        )
        print(f"reading and computing the rows alone (shared by both): median {s_:.1f} s")
        if theirs:
            x = statistics.median(theirs)
            print(
                f"XlsxWriter constant_memory (same rows, sheets and layout): median {x:.1f} s, "
                f"{theirs_path.stat().st_size / 1e6:.1f} MB"
            )
            ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
            print(f"ratio (same work both sides): median {statistics.median(ratios):.2f}x [target ≤ 1.3x]")
            cpu_ratios = [a / b for a, b in zip(cpu_ours, cpu_theirs, strict=True)]
            print(
                f"CPU time of this process: openpyxl {statistics.median(cpu_ours):.1f} s, "
                f"XlsxWriter {statistics.median(cpu_theirs):.1f} s, median ratio {statistics.median(cpu_ratios):.2f}x"
            )
            print(
                f"writing alone (minus the shared rows): openpyxl {o - s_:.1f} s, XlsxWriter {x - s_:.1f} s, "
                f"{(o - s_) / max(x - s_, 1e-9):.2f}x"
            )
        if peak is not None:
            print(f"peak memory of export_audit_workbook: {peak:.0f} MB [target < 150 MB]")
            print(f"  the same process without the workbook (manage.py check): {baseline:.0f} MB")


if __name__ == "__main__":
    main()

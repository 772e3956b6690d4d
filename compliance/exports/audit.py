"""The audit workbook (审计工作簿): every figure computed as of a date, streamed in write-only mode.

Sheets (stable names, used for measurement): 概览, 任务分解表, 逾期事项, 佐证材料, 操作记录.

Requirements, assignments and evidence are read as three streams sorted the same way (document,
order, requirement) and merged in Python, so memory stays flat however many rows there are; the
same pass writes 任务分解表, 逾期事项 and 佐证材料 and accumulates the 概览 figures, which are
written last into the first sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..models import Assignment, Department, Evidence, PolicyDocument, Requirement, User
from ..rules import CompletionRates
from .cells import CellMaker, RowMaker, add_table_borders, make_body_style_the_default

SHEET_OVERVIEW = "概览"
SHEET_TASKS = "任务分解表"
SHEET_OVERDUE = "逾期事项"
SHEET_EVIDENCE = "佐证材料"
SHEET_HISTORY = "操作记录"
SHEETS = (SHEET_OVERVIEW, SHEET_TASKS, SHEET_OVERDUE, SHEET_EVIDENCE, SHEET_HISTORY)

# The customary 任务分解表 layout; headers are stable (auditors and scripts look for them).
TASK_HEADERS = (
    "序号",
    "文件",
    "条款",
    "重点任务（原文）",
    "牵头单位",
    "配合单位",
    "责任校领导",
    "完成时限",
    "状态",
    "完成情况",
    "佐证材料",
    "完成日期",
    "是否按期",
    "备注",
)
TASK_WIDTHS = (6, 22, 10, 60, 14, 18, 10, 12, 9, 36, 24, 12, 9, 16)
# Per column: "body" cells carry no style (the workbook default is the body style), see cells.py.
TASK_STYLES = (
    "center",
    "body",
    "center",
    "body",
    "body",
    "body",
    "center",
    "date",
    "center",
    "body",
    "body",
    "date",
    "center",
    "body",
)
OVERDUE_HEADERS = (
    "序号",
    "文件",
    "条款",
    "重点任务（原文）",
    "责任单位",
    "角色",
    "完成时限",
    "逾期天数",
    "状态",
    "最新进展",
    "责任校领导",
)
OVERDUE_WIDTHS = (6, 22, 10, 56, 14, 8, 12, 9, 9, 36, 10)
OVERDUE_STYLES = ("center", "body", "center", "body", "center", "center", "date", "center", "center", "body", "center")
EVIDENCE_HEADERS = ("序号", "文件", "条款", "责任单位", "文件名", "上传人", "上传时间", "大小（字节）", "SHA-256")
EVIDENCE_WIDTHS = (6, 22, 10, 14, 30, 10, 17, 12, 66)
EVIDENCE_STYLES = ("center", "body", "center", "center", "body", "center", "datetime", "center", "body")
HISTORY_HEADERS = ("序号", "时间", "操作人", "对象", "文件", "条款", "部门", "字段", "原值", "新值", "说明")
HISTORY_WIDTHS = (7, 17, 10, 9, 22, 10, 14, 12, 30, 30, 16)
HISTORY_STYLES = (
    "center",
    "datetime",
    "center",
    "center",
    "body",
    "center",
    "center",
    "center",
    "body",
    "body",
    "body",
)

ON_TIME_YES, ON_TIME_NO, ON_TIME_NOT_DUE = "是", "否", "未到期"
HEADER_ROW = 3  # row 1 title, row 2 "截至…" and filters, row 3 headers
FIRST_DATA_ROW = HEADER_ROW + 1
PROGRESS_EVERY = 500
CHUNK = 2000

S = Assignment.Status


def university_name() -> str:
    """The name printed in titles and file names (DUBAN_UNIVERSITY_NAME; empty: no name at all)."""
    return settings.DUBAN_UNIVERSITY_NAME.strip()


@dataclass(frozen=True)
class AuditScope:
    """What the workbook covers: optional document and department, and the as-of date."""

    as_of: dt.date
    document: PolicyDocument | None = None
    department: Department | None = None

    @property
    def as_of_end(self) -> dt.datetime:
        """The first instant after the as-of day, in the site's time zone."""
        return timezone.make_aware(dt.datetime.combine(self.as_of + dt.timedelta(days=1), dt.time.min))

    @property
    def uses_history(self) -> bool:
        """A past date is answered from the change history; today or later from the live rows."""
        return self.as_of < timezone.localdate()

    def describe(self) -> str:
        parts = [_("截至 %(d)s") % {"d": self.as_of.isoformat()}]
        parts.append(_("文件：%(t)s") % {"t": self.document.title if self.document else _("全部")})
        parts.append(_("部门：%(n)s") % {"n": self.department.name if self.department else _("全部")})
        return "    ".join(parts)


def audit_filename(scope: AuditScope) -> str:
    """A Chinese file name without characters that break downloads or file systems."""
    what = f"《{scope.document.title[:40]}》" if scope.document else _("重点任务")
    dept = f"_{scope.department.name}" if scope.department else ""
    name = f"{university_name()}{what}{_('审计工作簿')}{dept}_{_('截至')}{scope.as_of.isoformat()}.xlsx"
    return re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]', "_", name)


# ------------------------------------------------------------------------------------------------
# Reading


class _Stream:
    """A sorted row iterator that hands out the rows belonging to one requirement key."""

    def __init__(self, rows: Iterable[tuple]) -> None:
        self._it = iter(rows)
        self.head: tuple | None = next(self._it, None)

    def take(self, key: tuple) -> list[tuple]:
        out: list[tuple] = []
        while self.head is not None and self.head[:3] <= key:
            if self.head[:3] == key:
                out.append(self.head)
            self.head = next(self._it, None)
        return out


# Columns read for an assignment (live row or history snapshot), after the 3 sort-key columns.
_A_FIELDS = (
    "id",
    "department_id",
    "role",
    "period",
    "status",
    "due_date",
    "progress_note",
    "completed_at",
    "return_reason",
)


@dataclass
class _A:
    id: int
    department_id: int
    role: str
    period: str
    status: str
    due_date: dt.date | None
    progress_note: str
    completed_at: dt.datetime | None
    return_reason: str


@dataclass
class _Tally(CompletionRates):
    total: int = 0
    completed: int = 0
    on_time: int = 0
    overdue: int = 0
    not_applicable: int = 0

    def add(self, *, status: str, on_time: str, overdue: bool) -> None:
        self.total += 1
        if status == S.COMPLETED:
            self.completed += 1
            if on_time == ON_TIME_YES:
                self.on_time += 1
        elif status == S.NOT_APPLICABLE:
            self.not_applicable += 1
        if overdue:
            self.overdue += 1


@dataclass
class AuditTotals:
    requirements: int = 0
    rows: _Tally = field(default_factory=_Tally)
    by_department: dict[int, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    by_document: dict[int, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    assignments: _Tally = field(default_factory=_Tally)
    document_titles: dict[int, str] = field(default_factory=dict)


class AuditSource:
    """Everything the workbook shows, read as of scope.as_of through sorted streams."""

    def __init__(self, scope: AuditScope) -> None:
        self.scope = scope
        self.departments: dict[int, tuple[str, int | None]] = {
            pk: (name, leader) for pk, name, leader in Department.objects.values_list("id", "name", "school_leader_id")
        }
        self.users: dict[int, str] = {
            pk: (display or f"{last}{first}" or username)
            for pk, display, first, last, username in User.objects.values_list(
                "id", "display_name", "first_name", "last_name", "username"
            )
        }
        self.status_labels = {k: str(v) for k, v in S.choices}
        self.role_labels = {k: str(v) for k, v in Assignment.Role.choices}

    # -- querysets --------------------------------------------------------------------------------

    def requirements(self) -> QuerySet[Requirement]:
        qs = Requirement.objects.filter(is_requirement=True, document__imported_at__lt=self.scope.as_of_end)
        if self.scope.document is not None:
            qs = qs.filter(document=self.scope.document)
        if self.scope.department is not None:
            qs = qs.filter(id__in=Assignment.objects.filter(department=self.scope.department).values("requirement_id"))
        return qs

    def document_ids(self) -> list[int]:
        return list(self.requirements().order_by().values_list("document_id", flat=True).distinct()[:2])

    def count(self) -> int:
        return self.requirements().count()

    def _requirement_rows(self) -> Iterator[tuple]:
        return (
            self.requirements()
            .order_by("document_id", "order", "id")
            .values_list(
                "document_id",
                "order",
                "id",
                "document__title",
                "document__doc_number",
                "path",
                "heading",
                "text",
                "deadline_date",
                "deadline_text",
                "not_applicable",
                "school_leader_id",
            )
            .iterator(chunk_size=CHUNK)
        )

    def _assignment_rows(self) -> Iterator[tuple]:
        key = ("requirement__document_id", "requirement__order", "requirement_id")
        if not self.scope.uses_history:
            return (
                Assignment.objects.filter(requirement__in=self.requirements(), created_at__lt=self.scope.as_of_end)
                .order_by(*key, "id")
                .values_list(*key, *_A_FIELDS)
                .iterator(chunk_size=CHUNK)
            )
        return self._assignment_snapshots(key)

    def _assignment_snapshots(self, key: tuple[str, ...]) -> Iterator[tuple]:
        """The last recorded state of each assignment before the as-of day ended."""
        history = (
            Assignment.history.model.objects.filter(
                requirement_id__in=self.requirements().values("id"), history_date__lt=self.scope.as_of_end
            )
            .order_by(*key, "id", "history_date", "history_id")
            .values_list(*key, *_A_FIELDS, "history_type")
            .iterator(chunk_size=CHUNK)
        )
        last: tuple | None = None
        for row in history:
            if last is not None and last[3] != row[3] and last[-1] != "-":
                yield last[:-1]
            last = row
        if last is not None and last[-1] != "-":
            yield last[:-1]

    def _evidence_rows(self) -> Iterator[tuple]:
        key = ("assignment__requirement__document_id", "assignment__requirement__order", "assignment__requirement_id")
        return (
            Evidence.objects.filter(
                assignment__requirement__in=self.requirements(), uploaded_at__lt=self.scope.as_of_end
            )
            .order_by(*key, "assignment_id", "uploaded_at", "id")
            .values_list(
                *key,
                "assignment_id",
                "assignment__department_id",
                "original_name",
                "uploaded_by_id",
                "uploaded_at",
                "size",
                "sha256",
            )
            .iterator(chunk_size=CHUNK)
        )

    # -- judgement --------------------------------------------------------------------------------

    def judge(self, a: _A | None, due: dt.date | None) -> tuple[str, bool, dt.date | None]:
        """Return (是否按期, overdue?, completion date) for an assignment as of the scope's date."""
        if a is None:
            return "", False, None
        as_of = self.scope.as_of
        if a.status == S.COMPLETED:
            done = timezone.localtime(a.completed_at).date() if a.completed_at else None
            if due is None or done is None:
                return ON_TIME_YES, False, done
            return (ON_TIME_YES if done <= due else ON_TIME_NO), False, done
        if a.status == S.NOT_APPLICABLE or due is None:
            return "", False, None
        if due < as_of:
            # Overdue means still open past the due date, as on the dashboard and the task list.
            return ON_TIME_NO, a.status in Assignment.OPEN_STATUSES, None
        return ON_TIME_NOT_DUE, False, None

    def clause(self, path: list[str]) -> str:
        return " > ".join(path or [])

    def document_label(self, title: str, number: str) -> str:
        return f"{title}（{number}）" if number else title

    @staticmethod
    def task_text(heading: str, text: str) -> str:
        if heading and text and not text.startswith(heading):
            return f"{heading}\n{text}"
        return text or heading

    # -- the main pass ----------------------------------------------------------------------------

    def rows(self) -> Iterator[dict[str, Any]]:
        """Yield one row per tracked requirement and period, with its assignments and evidence."""
        assignments = _Stream(self._assignment_rows())
        evidence = _Stream(self._evidence_rows())
        for req in self._requirement_rows():
            key = req[:3]
            (
                doc_id,
                _order,
                req_id,
                title,
                number,
                path,
                heading,
                text,
                deadline_date,
                deadline_text,
                not_applicable,
                leader_id,
            ) = req
            by_period: dict[str, list[_A]] = defaultdict(list)
            for row in assignments.take(key):
                a = _A(*row[3:])
                by_period[a.period].append(a)
            ev_rows = evidence.take(key)
            periods = sorted(by_period) or [""]
            for period in periods:
                group = by_period.get(period, [])
                # Lead units first, then cooperating units in directory order.
                group.sort(key=lambda a: (a.role != Assignment.Role.LEAD, a.department_id, a.id))
                ids = {a.id for a in group}
                yield {
                    "document_id": doc_id,
                    "requirement_id": req_id,
                    "document": self.document_label(title, number),
                    "clause": self.clause(path),
                    "text": self.task_text(heading, text),
                    "deadline_date": deadline_date,
                    "deadline_text": deadline_text,
                    "not_applicable": not_applicable,
                    "leader_id": leader_id,
                    "period": period,
                    "assignments": group,
                    "evidence": [e for e in ev_rows if e[3] in ids],
                }


# ------------------------------------------------------------------------------------------------
# Writing


def _setup_sheet(
    ws: WriteOnlyWorksheet, widths: tuple[int, ...], *, landscape: bool = True, freeze: bool = True
) -> None:
    """Column widths, frozen header, A4 landscape fitted to the page width: all before any row."""
    for idx, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = width
    if freeze:
        ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.row_dimensions[1].height = 30
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6


def _head(ws: WriteOnlyWorksheet, cells: CellMaker, title: str, scope: AuditScope, headers: tuple[str, ...]) -> None:
    last = get_column_letter(len(headers))
    ws.append([cells(title, "title")] + [cells(None, "title") for _ in headers[1:]])
    ws.merged_cells.add(f"A1:{last}1")
    ws.append([cells(scope.describe(), "subtitle")])
    ws.merged_cells.add(f"A2:{last}2")
    ws.append(cells.row(headers, "header"))
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    # The as-of date on every printed page too, not only on the first.
    ws.oddHeader.right.text = _("截至 %(d)s") % {"d": scope.as_of.isoformat()}
    ws.oddFooter.center.text = _("第 &P 页，共 &N 页")


def _finish_table(ws: WriteOnlyWorksheet, ncols: int, last_row: int) -> None:
    """Auto-filter over header and body; thin borders on the body (one conditional-format rule)."""
    last_row = max(last_row, FIRST_DATA_ROW)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(ncols)}{last_row}"
    add_table_borders(ws, ncols, FIRST_DATA_ROW, last_row)


def _excel_str(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class AuditWorkbookWriter:
    """Write the five sheets from an AuditSource into a write-only openpyxl workbook."""

    def __init__(self, source: AuditSource, *, progress: Callable[[int, int], None] | None = None) -> None:
        self.source = source
        self.scope = source.scope
        self.progress = progress
        self.wb = Workbook(write_only=True)
        make_body_style_the_default(self.wb)
        self.sheets = {name: self.wb.create_sheet(name) for name in SHEETS}
        self.cells = {name: CellMaker(ws) for name, ws in self.sheets.items()}
        self.totals = AuditTotals()

    def title(self) -> str:
        doc_ids = self.source.document_ids()
        if self.scope.document is not None or len(doc_ids) == 1:
            doc = self.scope.document or PolicyDocument.objects.get(pk=doc_ids[0])
            return _("%(u)s贯彻落实《%(t)s》任务分解表") % {"u": university_name(), "t": doc.title}
        return _("%(u)s重点任务分解表") % {"u": university_name()}

    def build(self) -> Workbook:
        scope = self.scope
        tasks, overdue, evidence = (self.sheets[n] for n in (SHEET_TASKS, SHEET_OVERDUE, SHEET_EVIDENCE))
        ct, co, ce = (self.cells[n] for n in (SHEET_TASKS, SHEET_OVERDUE, SHEET_EVIDENCE))
        _setup_sheet(tasks, TASK_WIDTHS)
        _setup_sheet(overdue, OVERDUE_WIDTHS)
        _setup_sheet(evidence, EVIDENCE_WIDTHS)
        _head(tasks, ct, self.title(), scope, TASK_HEADERS)
        _head(overdue, co, _("逾期事项"), scope, OVERDUE_HEADERS)
        _head(evidence, ce, _("佐证材料清单"), scope, EVIDENCE_HEADERS)
        # Each row is made and appended before the next (RowMaker reuses its styled cells).
        out = {
            SHEET_TASKS: (tasks.append, RowMaker(tasks, TASK_STYLES)),
            SHEET_OVERDUE: (overdue.append, RowMaker(overdue, OVERDUE_STYLES)),
            SHEET_EVIDENCE: (evidence.append, RowMaker(evidence, EVIDENCE_STYLES)),
        }
        counts = dict.fromkeys(out, 0)
        for sheet, values in self.table_rows():
            append, make = out[sheet]
            append(make(values))
            counts[sheet] += 1

        self._finish_tasks(tasks, counts[SHEET_TASKS])
        _finish_table(overdue, len(OVERDUE_HEADERS), HEADER_ROW + counts[SHEET_OVERDUE])
        _finish_table(evidence, len(EVIDENCE_HEADERS), HEADER_ROW + counts[SHEET_EVIDENCE])
        self._write_history()
        self._write_overview()
        if self.progress is not None:
            self.progress(counts[SHEET_TASKS], counts[SHEET_TASKS])
        return self.wb

    def table_rows(self) -> Iterator[tuple[str, list[Any]]]:
        """(sheet, values) for 任务分解表, 逾期事项 and 佐证材料 in one pass; fills self.totals.

        Values only: how a column looks is the sheet's *_STYLES entry. (The benchmark writes the
        same rows with XlsxWriter from here.)
        """
        src, scope = self.source, self.scope
        n_overdue = n_evidence = 0
        total = src.count()
        seen_requirements: set[int] = set()
        labels, roles, depts, users = src.status_labels, src.role_labels, src.departments, src.users
        for n_task, row in enumerate(src.rows(), start=1):
            group: list[_A] = row["assignments"]
            leads = [a for a in group if a.role == Assignment.Role.LEAD]
            cos = [a for a in group if a.role != Assignment.Role.LEAD]
            primary = leads[0] if leads else (cos[0] if cos else None)
            lead_dept = depts.get(leads[0].department_id) if leads else None
            leader_id = row["leader_id"] or (lead_dept[1] if lead_dept else None)
            leader = users.get(leader_id, "") if leader_id else ""
            due = (primary.due_date if primary and primary.due_date else None) or row["deadline_date"]
            if row["not_applicable"]:
                status = labels[S.NOT_APPLICABLE]
            elif primary is not None:
                status = labels[primary.status]
            else:
                status = _("未分配")
            on_time, is_overdue, done = src.judge(primary, due)
            notes = [a for a in group if a.progress_note]
            if len(notes) == 1:
                progress_text = notes[0].progress_note
            else:
                progress_text = "\n".join(f"{depts[a.department_id][0]}：{a.progress_note}" for a in notes)
            remarks = []
            if row["period"]:
                remarks.append(_("期次：%(p)s") % {"p": row["period"]})
            if primary is not None and primary.status == S.RETURNED and primary.return_reason:
                remarks.append(_("退回原因：%(r)s") % {"r": primary.return_reason})
            if due is None and not row["deadline_text"]:
                remarks.append(_("未设时限"))
            yield (
                SHEET_TASKS,
                [
                    n_task,
                    row["document"],
                    row["clause"],
                    row["text"],
                    "、".join(depts[a.department_id][0] for a in leads),
                    "、".join(depts[a.department_id][0] for a in cos),
                    leader,
                    due or row["deadline_text"],
                    status,
                    progress_text,
                    "\n".join(e[5] for e in row["evidence"]),
                    done,
                    on_time,
                    "；".join(remarks),
                ],
            )
            # 概览 figures: rows per document, assignments per department.
            if row["requirement_id"] not in seen_requirements:
                seen_requirements.add(row["requirement_id"])
                self.totals.requirements += 1
            self.totals.document_titles.setdefault(row["document_id"], row["document"])
            row_status = (
                primary.status
                if primary is not None and not row["not_applicable"]
                else (S.NOT_APPLICABLE if row["not_applicable"] else "")
            )
            self.totals.rows.add(status=row_status, on_time=on_time, overdue=is_overdue)
            self.totals.by_document[row["document_id"]].add(status=row_status, on_time=on_time, overdue=is_overdue)
            for a in group:
                a_due = a.due_date or row["deadline_date"]
                a_on_time, a_overdue, _done = src.judge(a, a_due)
                self.totals.assignments.add(status=a.status, on_time=a_on_time, overdue=a_overdue)
                self.totals.by_department[a.department_id].add(status=a.status, on_time=a_on_time, overdue=a_overdue)
                if a_overdue:
                    n_overdue += 1
                    yield (
                        SHEET_OVERDUE,
                        [
                            n_overdue,
                            row["document"],
                            row["clause"],
                            row["text"],
                            depts[a.department_id][0],
                            roles.get(a.role, a.role),
                            a_due,
                            (scope.as_of - a_due).days,
                            labels[a.status],
                            a.progress_note,
                            leader,
                        ],
                    )
            for e in row["evidence"]:
                n_evidence += 1
                yield (
                    SHEET_EVIDENCE,
                    [
                        n_evidence,
                        row["document"],
                        row["clause"],
                        depts[e[4]][0],
                        e[5],
                        users.get(e[6], "") if e[6] else "",
                        timezone.localtime(e[7]),
                        e[8],
                        e[9],
                    ],
                )
            if self.progress is not None and n_task % PROGRESS_EVERY == 0:
                self.progress(n_task, max(total, n_task))

    def _finish_tasks(self, ws: WriteOnlyWorksheet, n: int) -> None:
        last = HEADER_ROW + max(n, 1)
        # Overdue rows in red: 是否按期 (M) says 否 and 状态 (I) is still an open status.
        labels = self.source.status_labels
        open_tests = ",".join(f"$I{FIRST_DATA_ROW}={_excel_str(labels[s])}" for s in Assignment.OPEN_STATUSES)
        formula = f"AND($M{FIRST_DATA_ROW}={_excel_str(ON_TIME_NO)},OR({open_tests}))"
        ws.conditional_formatting.add(
            f"A{FIRST_DATA_ROW}:N{last}",
            FormulaRule(
                formula=[formula],
                fill=PatternFill(start_color="FFC7CE", end_color="FFC7CE", fill_type="solid"),
                font=Font(color="9C0006"),
            ),
        )
        _finish_table(ws, len(TASK_HEADERS), last)  # the border rule after the overdue rule

    # -- 操作记录 -----------------------------------------------------------------------------------

    def _write_history(self) -> None:
        ws, cells = self.sheets[SHEET_HISTORY], self.cells[SHEET_HISTORY]
        _setup_sheet(ws, HISTORY_WIDTHS)
        _head(ws, cells, _("操作记录"), self.scope, HISTORY_HEADERS)
        history_row = RowMaker(ws, HISTORY_STYLES)
        n = 0
        for values in self.history_rows():
            n += 1
            ws.append(history_row(values))
        _finish_table(ws, len(HISTORY_HEADERS), HEADER_ROW + n)

    def history_rows(self) -> Iterator[list[Any]]:
        """操作记录 rows, values only (see HISTORY_STYLES)."""
        for n, entry in enumerate(history_entries(self.source), start=1):
            yield [
                n,
                timezone.localtime(entry.when),
                entry.who,
                entry.kind,
                entry.document,
                entry.clause,
                entry.department,
                entry.field,
                entry.old,
                entry.new,
                entry.reason,
            ]

    # -- 概览 -------------------------------------------------------------------------------------

    def _write_overview(self) -> None:
        ws, c = self.sheets[SHEET_OVERVIEW], self.cells[SHEET_OVERVIEW]
        _setup_sheet(ws, (28, 12, 12, 12, 12, 12, 12, 12), landscape=False, freeze=False)
        t = self.totals
        row = 0

        def put(values: list) -> None:
            nonlocal row
            ws.append(values)
            row += 1

        put([c(_("审计工作簿 · 概览"), "title")] + [c(None, "title")] * 6)
        ws.merged_cells.add("A1:G1")
        put([c(self.scope.describe(), "subtitle")])
        ws.merged_cells.add("A2:G2")
        ws.oddHeader.right.text = _("截至 %(d)s") % {"d": self.scope.as_of.isoformat()}
        ws.oddFooter.center.text = _("第 &P 页，共 &N 页")
        put([c(_("截至日期"), "label"), c(self.scope.as_of, "date")])
        put([c(_("文件"), "label"), c(self.scope.document.title if self.scope.document else _("全部"))])
        put([c(_("部门"), "label"), c(self.scope.department.name if self.scope.department else _("全部"))])
        put([c(_("生成时间"), "label"), c(timezone.localtime(), "datetime")])
        put([])
        put(c.row([_("合计"), _("数量")], "header"))
        for label, value, style in (
            (_("跟踪条款"), t.requirements, "center"),
            (_("分解表行数"), t.rows.total, "center"),
            (_("任务（部门×条款）"), t.assignments.total, "center"),
            (_("已办结"), t.assignments.completed, "center"),
            (_("按期办结"), t.assignments.on_time, "center"),
            (_("逾期未办结"), t.assignments.overdue, "center"),
            (_("完成率"), t.assignments.completion_rate, "percent"),
            (_("按期率"), t.assignments.on_time_rate, "percent"),
        ):
            put([c(label), c(value, style)])
        put([])
        put([c(_("完成率 = 已办结 ÷（任务数 − 不适用）；按期率 = 按期办结 ÷（已办结 + 逾期未办结）。"), "subtitle")])
        put([])
        rate_headers = [_("已办结"), _("按期办结"), _("逾期"), _("完成率"), _("按期率")]

        def table(headers: list[str], items: list[tuple[str, _Tally]]) -> tuple[int, int]:
            put(c.row(headers, "header"))
            start = row + 1
            for name, tally in items:
                put(
                    [
                        c(name),
                        c(tally.total, "center"),
                        c(tally.completed, "center"),
                        c(tally.on_time, "center"),
                        c(tally.overdue, "center"),
                        c(tally.completion_rate, "percent"),
                        c(tally.on_time_rate, "percent"),
                    ]
                )
            put([])
            return start, start + len(items) - 1

        departments = self.source.departments
        dept_items = sorted(
            ((departments[k][0], v) for k, v in t.by_department.items()),
            key=lambda kv: (-(kv[1].completion_rate or 0), kv[0]),
        )
        doc_items = [(t.document_titles[k], v) for k, v in sorted(t.by_document.items())]
        dept_range = table([_("部门"), _("任务数"), *rate_headers], dept_items)
        doc_range = table([_("文件"), _("条款数"), *rate_headers], doc_items)
        anchor_row = row + 2
        for (first, last), title, anchor in (
            (dept_range, _("各部门完成率与按期率"), f"A{anchor_row}"),
            (doc_range, _("各文件完成率与按期率"), f"A{anchor_row + 20}"),
        ):
            if last < first:
                continue
            chart = BarChart()
            chart.type = "bar"
            chart.title = title
            chart.y_axis.title = _("比例")
            chart.y_axis.number_format = "0%"
            chart.y_axis.scaling.min = 0
            chart.y_axis.scaling.max = 1
            chart.height = max(7.5, 0.6 * (last - first + 1) + 3)
            chart.width = 22
            data = Reference(ws, min_col=6, max_col=7, min_row=first - 1, max_row=last)
            chart.add_data(data, titles_from_data=True)
            chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
            ws.add_chart(chart, anchor)


# ------------------------------------------------------------------------------------------------
# 操作记录: who changed what, from the history tables


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    kind: str
    document: str
    clause: str
    department: str
    field: str
    old: str
    new: str
    reason: str


_ASSIGNMENT_TRACKED = (
    "department_id",
    "role",
    "period",
    "status",
    "due_date",
    "progress",
    "progress_note",
    "submitted_at",
    "completed_at",
    "return_reason",
)
_REQUIREMENT_TRACKED = (
    "heading",
    "text",
    "deadline_text",
    "deadline_date",
    "school_leader_id",
    "not_applicable",
    "is_requirement",
    "lead_units_text",
    "co_units_text",
)
_EVIDENCE_TRACKED = ("original_name", "note", "sha256")


def _field_label(model: type, name: str) -> str:
    return str(model._meta.get_field(name.removesuffix("_id")).verbose_name)


def history_entries(source: AuditSource) -> Iterator[HistoryEntry]:
    """Every recorded change before the as-of day ended: consecutive history rows compared in Python.

    One streamed query per model, ordered by object and time; never a query per row.
    """
    scope, depts, users = source.scope, source.departments, source.users
    req_ids = source.requirements().values("id")
    end = scope.as_of_end
    labels = source.status_labels
    roles = source.role_labels

    def fmt(name: str, value: Any) -> str:
        if value is None or value == "":
            return ""
        if name == "status":
            return labels.get(value, value)
        if name == "role":
            return roles.get(value, value)
        if name == "department_id":
            return depts.get(value, (str(value),))[0]
        if name == "school_leader_id":
            return users.get(value, str(value))
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if isinstance(value, dt.datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, list):
            return "、".join(str(v) for v in value)
        return str(value)

    specs: list[tuple[str, type, QuerySet, tuple[str, ...], tuple[str, ...]]] = [
        (
            _("条款"),
            Requirement,
            Requirement.history.model.objects.filter(id__in=req_ids),
            ("document__title", "path"),
            _REQUIREMENT_TRACKED,
        ),
        (
            _("任务"),
            Assignment,
            Assignment.history.model.objects.filter(requirement_id__in=req_ids),
            ("requirement__document__title", "requirement__path"),
            _ASSIGNMENT_TRACKED,
        ),
        (
            _("佐证材料"),
            Evidence,
            Evidence.history.model.objects.filter(assignment__requirement_id__in=req_ids),
            ("assignment__requirement__document__title", "assignment__requirement__path"),
            _EVIDENCE_TRACKED,
        ),
    ]
    for kind, model, qs, context, tracked in specs:
        dept_col = (
            ("department_id",) if model is Assignment else (("assignment__department_id",) if model is Evidence else ())
        )
        cols = (
            "id",
            "history_date",
            "history_user_id",
            "history_type",
            "history_change_reason",
            *context,
            *dept_col,
            *tracked,
        )
        rows = (
            qs.filter(history_date__lt=end)
            .order_by("id", "history_date", "history_id")
            .values_list(*cols)
            .iterator(chunk_size=CHUNK)
        )
        offset = 5 + len(context) + len(dept_col)
        previous: tuple | None = None
        for row in rows:
            pk, when, user_id, htype, reason, title, path = row[:7]
            department = depts.get(row[7], ("",))[0] if dept_col else ""
            who = users.get(user_id, "") if user_id else _("系统")
            base = {
                "when": when,
                "who": who,
                "kind": kind,
                "document": title or "",
                "clause": source.clause(path),
                "department": department,
                "reason": reason or "",
            }
            if previous is None or previous[0] != pk or htype == "+":
                summary = "；".join(
                    f"{_field_label(model, f)}：{fmt(f, v)}"
                    for f, v in zip(tracked, row[offset:], strict=True)
                    if f in ("status", "department_id", "due_date", "original_name", "deadline_date", "sha256")
                    and v not in (None, "")
                )
                yield HistoryEntry(field=_("新建"), old="", new=summary, **base)
            elif htype == "-":
                yield HistoryEntry(field=_("删除"), old="", new="", **base)
            else:
                for name, old, new in zip(tracked, previous[offset:], row[offset:], strict=True):
                    if old != new:
                        yield HistoryEntry(
                            field=_field_label(model, name), old=fmt(name, old), new=fmt(name, new), **base
                        )
            previous = row


# ------------------------------------------------------------------------------------------------
# Entry points


def build_audit_workbook(
    *,
    as_of: dt.date,
    document: PolicyDocument | None = None,
    department: Department | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Workbook:
    """Build the audit workbook (write-only; call .save(file) once)."""
    scope = AuditScope(as_of=as_of, document=document, department=department)
    # An audit document is Chinese whatever language the requesting user browses in.
    with translation.override(settings.LANGUAGE_CODE):
        return AuditWorkbookWriter(AuditSource(scope), progress=progress).build()


def audit_row_count(
    *, as_of: dt.date, document: PolicyDocument | None = None, department: Department | None = None
) -> int:
    """How many 任务分解表 rows (roughly) a workbook will have; decides web vs background job."""
    return AuditSource(AuditScope(as_of=as_of, document=document, department=department)).count()

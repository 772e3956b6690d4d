"""Write the five sheets of the audit workbook into a write-only openpyxl workbook.

One pass over the rows (AuditSource.rows) writes 任务分解表, 逾期事项 and 佐证材料 and tallies the
概览 figures; 操作记录 comes from the shared history selector; 概览 is written last into the first
sheet. Rows are values only; each column's look is its *_STYLES entry (layout.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ..models import Assignment, PolicyDocument
from ..selectors_history import HistoryNames, history_entries
from .cells import CellMaker, TableSheet, make_body_style_the_default
from .layout import (
    EVIDENCE_HEADERS,
    EVIDENCE_STYLES,
    EVIDENCE_WIDTHS,
    FIRST_DATA_ROW,
    HEADER_ROW,
    HISTORY_HEADERS,
    HISTORY_STYLES,
    HISTORY_WIDTHS,
    OVERDUE_HEADERS,
    OVERDUE_STYLES,
    OVERDUE_WIDTHS,
    SHEET_EVIDENCE,
    SHEET_HISTORY,
    SHEET_OVERDUE,
    SHEET_OVERVIEW,
    SHEET_TASKS,
    SHEETS,
    TASK_HEADERS,
    TASK_STYLES,
    TASK_WIDTHS,
    SpillingRows,
    excel_str,
    finish_table,
    setup_sheet,
    write_head,
)
from .overview import AuditTotals, OverviewWriter
from .scope import university_name
from .source import ON_TIME_NO, AssignmentState, AuditSource, RequirementRow

PROGRESS_EVERY = 500

S = Assignment.Status


class AuditWorkbookWriter:
    """Write the five sheets from an AuditSource into a write-only openpyxl workbook."""

    def __init__(self, source: AuditSource, *, progress: Callable[[int, int], None] | None = None) -> None:
        self.source = source
        self.scope = source.scope
        self.progress = progress
        self.wb = Workbook(write_only=True)
        make_body_style_the_default(self.wb)
        self.sheets: dict[str, TableSheet] = {}
        for name in SHEETS:
            self.sheets[name] = ws = TableSheet(parent=self.wb, title=name)
            self.wb._add_sheet(ws)  # what Workbook.create_sheet does, with the table sheet class
        self.cells = {name: CellMaker(ws) for name, ws in self.sheets.items()}
        self.totals = AuditTotals()
        self._last_requirement: int | None = None

    def title(self) -> str:
        doc_ids = self.source.document_ids()
        if self.scope.document is not None or len(doc_ids) == 1:
            doc = self.scope.document or PolicyDocument.objects.get(pk=doc_ids[0])
            return _("%(u)s贯彻落实《%(t)s》任务分解表") % {"u": university_name(), "t": doc.title}
        return _("%(u)s重点任务分解表") % {"u": university_name()}

    def build(self) -> Workbook:
        tables = {
            SHEET_TASKS: (TASK_WIDTHS, self.title(), TASK_HEADERS, TASK_STYLES),
            SHEET_OVERDUE: (OVERDUE_WIDTHS, _("逾期事项"), OVERDUE_HEADERS, OVERDUE_STYLES),
            SHEET_EVIDENCE: (EVIDENCE_WIDTHS, _("佐证材料清单"), EVIDENCE_HEADERS, EVIDENCE_STYLES),
        }
        out: dict[str, SpillingRows] = {}
        for name, (widths, title, headers, styles) in tables.items():
            ws = self.sheets[name]
            setup_sheet(ws, widths)
            write_head(ws, self.cells[name], title, self.scope, headers, widths)
            out[name] = SpillingRows(ws, widths, styles, more=self._more(name, title, headers, widths))
        for sheet, values in self.table_rows():
            out[sheet].append(values)
        n_tasks = out[SHEET_TASKS].count
        for ws, n in out[SHEET_TASKS].sheets():
            self._finish_tasks(ws, n)
        for name in (SHEET_OVERDUE, SHEET_EVIDENCE):
            for ws, n in out[name].sheets():
                finish_table(ws, len(tables[name][2]), HEADER_ROW + n)
        self._write_history()
        OverviewWriter(self.sheets[SHEET_OVERVIEW], self.scope, self.totals, self.source.departments).write()
        if self.progress is not None:
            self.progress(n_tasks, n_tasks)
        return self.wb

    # -- 任务分解表, 逾期事项, 佐证材料 ----------------------------------------------------------------

    def table_rows(self) -> Iterator[tuple[str, list[Any]]]:
        """(sheet, values) for 任务分解表, 逾期事项 and 佐证材料 in one pass; fills self.totals.

        Values only: how a column looks is the sheet's *_STYLES entry. (The benchmark writes the
        same rows with XlsxWriter from here.)
        """
        n_overdue = n_evidence = 0
        total = self.source.count()
        for n_task, row in enumerate(self.source.rows(), start=1):
            values, primary, on_time, is_overdue = self._task_values(n_task, row)
            yield SHEET_TASKS, values
            self._tally_row(row, primary, on_time, is_overdue)
            for a, a_due in self._tally_assignments(row):
                n_overdue += 1
                yield SHEET_OVERDUE, self._overdue_values(n_overdue, row, a, a_due, values[6])
            for e in row.evidence:
                n_evidence += 1
                yield SHEET_EVIDENCE, self._evidence_values(n_evidence, row, e)
            if self.progress is not None and n_task % PROGRESS_EVERY == 0:
                self.progress(n_task, max(total, n_task))

    def _task_values(self, n: int, row: RequirementRow) -> tuple[list[Any], AssignmentState | None, str, bool]:
        """The 任务分解表 row, the assignment that decides its status, 是否按期 and overdue."""
        src = self.source
        depts, labels = src.departments, src.status_labels
        group = row.assignments
        leads = [a for a in group if a.role == Assignment.Role.LEAD]
        cos = [a for a in group if a.role != Assignment.Role.LEAD]
        primary = leads[0] if leads else (cos[0] if cos else None)
        lead_dept = depts.get(leads[0].department_id) if leads else None
        leader_id = row.leader_id or (lead_dept[1] if lead_dept else None)
        due = (primary.due_date if primary and primary.due_date else None) or row.deadline_date
        if row.not_applicable:
            status = labels[S.NOT_APPLICABLE]
        elif primary is not None:
            status = labels[primary.status]
        else:
            status = _("未分配")
        on_time, is_overdue, done = src.judge(primary, due)
        values = [
            n,
            row.document,
            row.clause,
            row.text,
            "、".join(depts[a.department_id][0] for a in leads),
            "、".join(depts[a.department_id][0] for a in cos),
            src.users.get(leader_id, "") if leader_id else "",
            due or row.deadline_text,
            status,
            self._progress_text(group),
            "\n".join(e.name for e in row.evidence),
            done,
            on_time,
            "；".join(self._remarks(row, primary, due)),
        ]
        return values, primary, on_time, is_overdue

    def _progress_text(self, group: list[AssignmentState]) -> str:
        notes = [a for a in group if a.progress_note]
        if len(notes) == 1:
            return notes[0].progress_note
        depts = self.source.departments
        return "\n".join(f"{depts[a.department_id][0]}：{a.progress_note}" for a in notes)

    @staticmethod
    def _remarks(row: RequirementRow, primary: AssignmentState | None, due: Any) -> list[str]:
        remarks = []
        if row.period:
            remarks.append(_("期次：%(p)s") % {"p": row.period})
        if primary is not None and primary.status == S.RETURNED and primary.return_reason:
            remarks.append(_("退回原因：%(r)s") % {"r": primary.return_reason})
        if due is None and not row.deadline_text:
            remarks.append(_("未设时限"))
        return remarks

    def _tally_row(self, row: RequirementRow, primary: AssignmentState | None, on_time: str, overdue: bool) -> None:
        """概览 figures per 分解表 row: rows per document."""
        t = self.totals
        # A requirement's rows (one per period) come one after another: count it at its first row
        # (no set of every id seen: memory stays flat however many rows there are).
        if row.requirement_id != self._last_requirement:
            self._last_requirement = row.requirement_id
            t.requirements += 1
        t.document_titles.setdefault(row.document_id, row.document)
        if row.not_applicable:
            status = S.NOT_APPLICABLE
        else:
            status = primary.status if primary is not None else ""
        t.rows.add(status=status, on_time=on_time, overdue=overdue)
        t.by_document[row.document_id].add(status=status, on_time=on_time, overdue=overdue)

    def _tally_assignments(self, row: RequirementRow) -> Iterator[tuple[AssignmentState, Any]]:
        """概览 figures per assignment (per department); yield the overdue ones with their due date."""
        t = self.totals
        for a in row.assignments:
            a_due = a.due_date or row.deadline_date
            a_on_time, a_overdue, _done = self.source.judge(a, a_due)
            t.assignments.add(status=a.status, on_time=a_on_time, overdue=a_overdue)
            t.by_department[a.department_id].add(status=a.status, on_time=a_on_time, overdue=a_overdue)
            if a_overdue:
                yield a, a_due

    def _overdue_values(self, n: int, row: RequirementRow, a: AssignmentState, due: Any, leader: str) -> list[Any]:
        src = self.source
        return [
            n,
            row.document,
            row.clause,
            row.text,
            src.departments[a.department_id][0],
            src.role_labels.get(a.role, a.role),
            due,
            (self.scope.as_of - due).days,
            src.status_labels[a.status],
            a.progress_note,
            leader,
        ]

    def _evidence_values(self, n: int, row: RequirementRow, e: Any) -> list[Any]:
        src = self.source
        return [
            n,
            row.document,
            row.clause,
            src.departments[e.department_id][0],
            e.name,
            src.users.get(e.uploaded_by_id, "") if e.uploaded_by_id else "",
            timezone.localtime(e.uploaded_at),
            e.size,
            e.sha256,
        ]

    def _finish_tasks(self, ws: WriteOnlyWorksheet, n: int) -> None:
        last = HEADER_ROW + max(n, 1)
        # Overdue rows in red: 是否按期 (M) says 否 and 状态 (I) is still an open status.
        labels = self.source.status_labels
        open_tests = ",".join(f"$I{FIRST_DATA_ROW}={excel_str(labels[s])}" for s in Assignment.OPEN_STATUSES)
        formula = f"AND($M{FIRST_DATA_ROW}={excel_str(ON_TIME_NO)},OR({open_tests}))"
        ws.conditional_formatting.add(
            f"A{FIRST_DATA_ROW}:N{last}",
            FormulaRule(
                formula=[formula],
                fill=PatternFill(start_color="FFC7CE", end_color="FFC7CE", fill_type="solid"),
                font=Font(color="9C0006"),
            ),
        )
        finish_table(ws, len(TASK_HEADERS), last)  # the border rule after the overdue rule

    # -- 操作记录 -----------------------------------------------------------------------------------

    def _write_history(self) -> None:
        ws, cells = self.sheets[SHEET_HISTORY], self.cells[SHEET_HISTORY]
        setup_sheet(ws, HISTORY_WIDTHS)
        write_head(ws, cells, _("操作记录"), self.scope, HISTORY_HEADERS, HISTORY_WIDTHS)
        more = self._more(SHEET_HISTORY, _("操作记录"), HISTORY_HEADERS, HISTORY_WIDTHS)
        rows = SpillingRows(ws, HISTORY_WIDTHS, HISTORY_STYLES, more=more)
        for values in self.history_rows():
            rows.append(values)
        for sheet, n in rows.sheets():
            finish_table(sheet, len(HISTORY_HEADERS), HEADER_ROW + n)

    def _more(
        self, name: str, title: str, headers: tuple[str, ...], widths: tuple[float, ...]
    ) -> Callable[[int], TableSheet]:
        """The continuation sheets of a table longer than one sheet: 操作记录（2）… right after the
        table's earlier sheets, each with the title (续), the scope line and the header row."""

        def more(part: int) -> TableSheet:
            ws = TableSheet(parent=self.wb, title=f"{name}（{part}）")
            titles = [sheet.title for sheet in self.wb.worksheets]
            self.wb._add_sheet(ws, titles.index(name if part == 2 else f"{name}（{part - 1}）") + 1)
            setup_sheet(ws, widths)
            write_head(ws, CellMaker(ws), _("%(title)s（续）") % {"title": title}, self.scope, headers, widths)
            return ws

        return more

    def history_rows(self) -> Iterator[list[Any]]:
        """操作记录 rows, values only (see HISTORY_STYLES): the same entries the item page shows."""
        src = self.source
        names = HistoryNames(departments={k: v[0] for k, v in src.departments.items()}, users=src.users)
        entries = history_entries(requirements=src.requirements(), before=self.scope.as_of_end, names=names)
        for n, entry in enumerate(entries, start=1):
            yield [
                n,
                timezone.localtime(entry.when),
                entry.who,
                entry.subject,
                entry.action,
                entry.document,
                entry.clause,
                entry.department,
                entry.field,
                entry.old,
                entry.new,
                entry.note,
            ]

"""任务分解表: a table of tasks, one row per task, read into items. Pure.

A task table has a header row naming its columns with the words of :mod:`.vocabulary`
(``序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限``).  It reaches the parser as rows
``| cell | cell |`` (Word tables and typeset PDFs, see ``markers.RE_TABLE_ROW``) or as the
rows of an Excel sheet.  :func:`table_items` turns the rows (a list of cell lists, header row
first) into one :class:`~.types.ParsedItem` per task: its label is the 序号 cell, its text
the task columns, its units come from the unit columns (a 责任单位 column: the first unit
leads, the others cooperate) and its deadlines from the 完成时限 column, every phrase of
which is kept as text (``长期坚持`` included).

A header row that names no task column, or no unit or deadline column beside it, is no task
table: such tables stay part of the text around them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .deadlines import extract_deadlines
from .types import Deadline, ParsedItem
from .units import split_unit_list
from .vocabulary import (
    CLAUSE_LABELS,
    CO_UNIT_LABELS,
    DEADLINE_LABELS,
    DOCUMENT_LABELS,
    LEAD_UNIT_LABELS,
    LEADER_LABELS,
    REMARK_LABELS,
    RESPONSIBLE_UNIT_LABELS,
    SEQ_LABELS,
    TASK_TEXT_LABELS,
)

_RE_SPACE = re.compile(r"\s+")
# Cells are set off by "|" (a "|" inside a cell was written "｜" when the row was made).
_RE_CELL_SEP = re.compile(r"\s*\|\s*")
_RE_ONGOING = re.compile(r"长期|持续|常态|经常性|每年|每学期|每季度|每月")


@dataclass(frozen=True)
class TaskColumns:
    """Where each field of a task table is (column indexes; ``text`` may name several)."""

    text: tuple[int, ...]
    seq: int | None = None
    lead: int | None = None
    responsible: int | None = None
    co: int | None = None
    leader: int | None = None
    deadline: int | None = None
    clause: int | None = None
    document: int | None = None
    remark: int | None = None


@dataclass
class TaskRow:
    """One task of a table, read but not yet resolved against a document."""

    label: str  # the 序号 cell as printed ("1", "（一）"), "" if none
    heading: str  # the first task column when there are several ("重点任务" over "具体措施")
    text: str
    lead_units: list[str] = field(default_factory=list)
    co_units: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    deadline: str = ""  # the 完成时限 cell as printed
    remark: str = ""


def _norm(cell: str) -> str:
    return _RE_SPACE.sub("", cell).replace("(", "（").replace(")", "）")


def task_columns(header: Sequence[str]) -> TaskColumns | None:
    """The columns of a task table's header row, or ``None`` if the row heads no task table."""
    names = [_norm(c) for c in header]

    def find(labels: Sequence[str]) -> int | None:
        for label in labels:
            if label in names:
                return names.index(label)
        return None

    text = tuple(i for i, n in enumerate(names) if n in TASK_TEXT_LABELS)
    cols = TaskColumns(
        text=text,
        seq=find(SEQ_LABELS),
        lead=find(LEAD_UNIT_LABELS),
        responsible=find(RESPONSIBLE_UNIT_LABELS),
        co=find(CO_UNIT_LABELS),
        leader=find(LEADER_LABELS),
        deadline=find(DEADLINE_LABELS),
        clause=find(CLAUSE_LABELS),
        document=find(DOCUMENT_LABELS),
        remark=find(REMARK_LABELS),
    )
    if not text or all(c is None for c in (cols.lead, cols.responsible, cols.co, cols.deadline)):
        return None
    return cols


def read_task_rows(rows: Sequence[Sequence[str]]) -> list[TaskRow]:
    """The tasks of a table whose first row is its header; ``[]`` if it is no task table.

    Rows without task text are skipped; a task column left empty under a merged cell
    (``重点任务`` spanning several ``具体措施`` rows) repeats the cell above.
    """
    if not rows:
        return []
    cols = task_columns(rows[0])
    if cols is None:
        return []
    out: list[TaskRow] = []
    above: dict[int, str] = {}
    for raw in rows[1:]:
        cells = [str(c or "").strip() for c in raw]
        if _norm("".join(cells)) == _norm("".join(rows[0])):
            continue  # the header repeated on a new page
        row = _read_row(cells, cols, above)
        if row is not None:
            out.append(row)
    return out


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _read_row(cells: list[str], cols: TaskColumns, above: dict[int, str]) -> TaskRow | None:
    own = [_cell(cells, i) for i in cols.text]
    if not any(own):
        return None
    texts = []
    for n, (i, value) in enumerate(zip(cols.text, own, strict=True)):
        if not value and n == 0 and len(cols.text) > 1:
            value = above.get(i, "")
        above[i] = value
        texts.append(value)
    rest = "\n".join(t for t in texts[1:] if t)
    heading, text = (texts[0], rest) if rest else ("", texts[0])
    lead = split_unit_list(_cell(cells, cols.lead))
    co = split_unit_list(_cell(cells, cols.co))
    responsible = split_unit_list(_cell(cells, cols.responsible))
    if responsible and (lead or cols.lead is not None):
        co = [*responsible, *co]
    elif responsible:
        lead, co = responsible[:1], [*responsible[1:], *co]
    return TaskRow(
        label=_cell(cells, cols.seq),
        heading=heading,
        text=text,
        lead_units=lead,
        co_units=[u for u in dict.fromkeys(co) if u not in lead],
        leaders=split_unit_list(_cell(cells, cols.leader)),
        deadline=_cell(cells, cols.deadline),
        remark=_cell(cells, cols.remark),
    )


def row_deadlines(cell: str, doc_year: int | None, doc_date: dt.date | None = None) -> list[Deadline]:
    """The deadlines of a 完成时限 cell: every phrase found, else the whole cell as text."""
    cell = cell.strip()
    if not cell:
        return []
    found = extract_deadlines(cell, doc_year, doc_date)
    if found:
        return found
    kind = "ongoing" if _RE_ONGOING.search(cell) else "text"
    return [Deadline(cell, None, None, kind)]


def table_items(
    rows: Sequence[Sequence[str]],
    *,
    doc_year: int | None = None,
    doc_date: dt.date | None = None,
    parent_path: Sequence[str] = (),
) -> list[ParsedItem]:
    """One requirement item per task of a 任务分解表 (header row first), under ``parent_path``.

    The label is the 序号 cell; the path ends with it (or with ``#n``, n counting the rows,
    when the table has no 序号).  Usable on its own, e.g. for the rows of an Excel sheet.
    """
    items: list[ParsedItem] = []
    for n, row in enumerate(read_task_rows(rows), start=1):
        path = [*parent_path, _RE_SPACE.sub("", row.label) or f"#{n}"]
        items.append(
            ParsedItem(
                label=row.label,
                path=path,
                level=len(path),
                heading=row.heading,
                text=row.text,
                is_requirement=True,
                lead_units=row.lead_units,
                co_units=row.co_units,
                deadlines=row_deadlines(row.deadline, doc_year, doc_date),
            )
        )
    return items


def split_row(text: str) -> list[str]:
    """The cells of a ``| a | b | c |`` row line."""
    inner = text.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [c.strip() for c in _RE_CELL_SEP.split(inner)]


__all__ = ["TaskColumns", "TaskRow", "read_task_rows", "row_deadlines", "split_row", "table_items", "task_columns"]

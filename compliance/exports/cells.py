"""The one cell helper every exported value goes through.

User text is made safe here and nowhere else: characters that Excel refuses (control characters)
are removed, over-long text is cut to Excel's cell limit, and text that a spreadsheet would read
as a formula (starting with = + - @, a tab or a carriage return) is stored as a plain string with
Excel's "quote prefix" set, so it shows as typed and stays text even when a user edits the cell.

Speed (100,000-row sheets): the workbook's default cell format (xf 0, and the "Normal" style) is
made the body style, 宋体 10.5 with wrapped text at the top, so body text is written as plain
values with no per-cell style at all. Table bodies are appended as plain values to a TableSheet,
which writes each in its column's style with one refilled cell object and the column's style id
looked up once; the table borders come from one conditional-format rule per sheet. Building and
styling a cell object per value, as openpyxl does for what it is given, costs more than writing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from copy import copy
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

EXCEL_CELL_LIMIT = 32767
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

BODY_FONT = "宋体"  # SimSun: what offices print 任务分解表 in
HEADER_FONT = "黑体"  # SimHei for headers and titles
BODY_SIZE, HEADER_SIZE, TITLE_SIZE = 10.5, 11, 16
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0.0%"


def clean_text(value: str) -> tuple[str, bool]:
    """Return (text Excel accepts, whether it must be guarded against formula reading)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[: EXCEL_CELL_LIMIT - 1] + "…"
    return text, text.startswith(FORMULA_TRIGGERS)


_thin = Side(style="thin", color="999999")
_border = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_wrap_top = Alignment(wrap_text=True, vertical="top")
_center = Alignment(horizontal="center", vertical="center", wrap_text=True)
_center_top = Alignment(horizontal="center", vertical="top", wrap_text=True)
BODY = Font(name=BODY_FONT, size=BODY_SIZE)  # no theme scheme: Excel must not swap in the theme font

STYLE_SPECS: dict[str, dict[str, Any]] = {
    "title": {"font": Font(name=HEADER_FONT, size=TITLE_SIZE, bold=True), "alignment": _center},
    "subtitle": {
        "font": Font(name=BODY_FONT, size=10, color="555555"),
        "alignment": Alignment(horizontal="left", vertical="top", wrap_text=True),
    },
    "header": {
        "font": Font(name=HEADER_FONT, size=HEADER_SIZE, bold=True),
        "alignment": _center,
        "border": _border,
        "fill": PatternFill("solid", fgColor="DDE5F0"),
    },
    "body": {"font": BODY, "alignment": _wrap_top, "border": _border},
    "center": {
        "font": Font(name=BODY_FONT, size=BODY_SIZE),
        "alignment": Alignment(horizontal="center", vertical="top", wrap_text=True),
        "border": _border,
    },
    "date": {
        "font": Font(name=BODY_FONT, size=BODY_SIZE),
        "alignment": Alignment(horizontal="center", vertical="top"),
        "border": _border,
        "number_format": DATE_FORMAT,
    },
    "datetime": {
        "font": Font(name=BODY_FONT, size=BODY_SIZE),
        "alignment": Alignment(horizontal="center", vertical="top"),
        "border": _border,
        "number_format": DATETIME_FORMAT,
    },
    "percent": {
        "font": Font(name=BODY_FONT, size=BODY_SIZE),
        "alignment": Alignment(horizontal="right", vertical="top"),
        "border": _border,
        "number_format": PERCENT_FORMAT,
    },
    "label": {"font": Font(name=HEADER_FONT, size=11, bold=True), "alignment": Alignment(vertical="top")},
}

# Table bodies (TableSheet): the body font and wrap come from the default format, borders from the
# sheet's conditional-format rule; only alignment and number formats differ per column.
TABLE_STYLES: dict[str, dict[str, Any]] = {
    "body": {"font": BODY, "alignment": _wrap_top},
    "center": {"font": BODY, "alignment": _center_top},
    "date": {"font": BODY, "alignment": _center_top, "number_format": DATE_FORMAT},
    "datetime": {"font": BODY, "alignment": _center_top, "number_format": DATETIME_FORMAT},
}


def make_body_style_the_default(wb: Workbook) -> None:
    """Make 宋体 10.5, wrapped at the top, the workbook's default cell format and "Normal" style.

    A cell written without a style (no s attribute) uses cell format 0: Excel, WPS, LibreOffice
    and openpyxl then show it in 宋体 with wrapped text. Call on a new workbook, before any cell
    or style is made (font 0 and cell format 0 are replaced).
    """
    if len(wb._fonts) != 1 or len(wb._cell_styles) != 1:
        raise RuntimeError("make_body_style_the_default() must run on a new workbook")
    wb._fonts = IndexedList([BODY])
    normal = wb._named_styles["Normal"]
    normal.font = BODY
    normal.alignment = _wrap_top
    default = StyleArray()
    default.alignmentId = wb._alignments.add(_wrap_top)
    wb._cell_styles = IndexedList([default])


def set_column_widths(ws: WriteOnlyWorksheet, widths: tuple[float, ...] | list[float]) -> None:
    """Column widths, the columns keeping the default cell format.

    LibreOffice shows a cell written without a style in its column's format; openpyxl would give
    each sized column a plain format of its own (no wrap, bottom-aligned), so the columns get
    cell format 0, the body style (see make_body_style_the_default), which is then not written.
    """
    default = ws.parent._cell_styles[0]
    for idx, width in enumerate(widths, start=1):
        dim = ws.column_dimensions[get_column_letter(idx)]
        dim.width = width
        dim._style = copy(default)


def add_table_borders(ws: WriteOnlyWorksheet, ncols: int, first_row: int, last_row: int) -> None:
    """Thin grey borders on the table body through one conditional-format rule (none per cell)."""
    ws.conditional_formatting.add(
        f"A{first_row}:{get_column_letter(ncols)}{max(last_row, first_row)}",
        FormulaRule(formula=["TRUE"], border=_border),
    )


class CellMaker:
    """Make styled write-only cells for one worksheet, every value through the same guard.

    Styles are resolved once into openpyxl style arrays and copied onto each cell, which keeps
    100,000-row sheets fast (assigning Font/Alignment objects per cell costs a lookup each time).
    """

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws
        self._styles: dict[str, Any] = {}
        self._quoted: dict[str, Any] = {}
        for name, spec in STYLE_SPECS.items():
            probe = WriteOnlyCell(ws)
            for attr, val in spec.items():
                setattr(probe, attr, val)
            self._styles[name] = probe._style
            quoted = WriteOnlyCell(ws)
            quoted._style = copy(probe._style)
            quoted.quotePrefix = True
            self._quoted[name] = quoted._style

    def __call__(self, value: Any, style: str = "body") -> WriteOnlyCell:
        """Return a cell holding value; text is cleaned and never becomes a formula."""
        cell = WriteOnlyCell(self.ws)
        if value is None:
            cell._style = copy(self._styles[style])
            return cell
        if isinstance(value, str):
            text, risky = clean_text(value)
            cell.value = text
            if risky:
                # Plain string with quotePrefix: Excel shows the text as typed and keeps it text on edit.
                cell.data_type = "s"
                cell._style = copy(self._quoted[style])
                return cell
        elif isinstance(value, dt.datetime):
            # Excel has no time zones: write the local wall-clock time the user saw.
            cell.value = value.replace(tzinfo=None)
        elif isinstance(value, (int, float, Decimal, dt.date)):
            cell.value = value
        else:
            text, risky = clean_text(str(value))
            cell.value = text
            if risky:
                cell.data_type = "s"
                cell._style = copy(self._quoted[style])
                return cell
        cell._style = copy(self._styles[style])
        return cell

    def row(self, values: list[Any] | tuple[Any, ...], style: str = "body") -> list[WriteOnlyCell]:
        return [self(v, style) for v in values]


class _BodyCell(Cell):
    """A cell whose coordinate and style id are set directly instead of computed on each read.

    openpyxl's writer reads ``coordinate``, ``has_style`` and ``style_id`` of every cell it writes;
    on a plain cell each read builds the column letter or hashes the cell's style to find its
    index in the workbook's style list. These slots shadow those properties.
    """

    __slots__ = ("coordinate", "has_style", "style_id")


class _BodyColumn:
    """One table column: its letter, its style and the style ids, registered on first use."""

    __slots__ = ("array", "is_date", "letter", "plain", "quoted", "quoted_array")

    def __init__(self, ws: WriteOnlyWorksheet, idx: int, name: str) -> None:
        self.letter = get_column_letter(idx)
        styled = WriteOnlyCell(ws)
        for attr, val in TABLE_STYLES[name].items():
            setattr(styled, attr, val)
        # Body columns carry no style at all (see make_body_style_the_default), unless quoted.
        self.array: StyleArray | None = None if name == "body" else copy(styled._style)
        self.is_date = self.array is not None and is_date_format(styled.number_format)
        styled.quotePrefix = True
        self.quoted_array: StyleArray = styled._style
        self.plain: int | None = None
        self.quoted: int | None = None


class TableSheet(WriteOnlyWorksheet):
    """A write-only sheet whose table body is appended as plain values, styled per column.

    After ``start_body(styles)`` (one TABLE_STYLES name per column) every appended row is a list
    of plain values, each written in its column's style and through the same guard as CellMaker:
    text cleaned, formula-like text stored as a quote-prefixed string, datetimes as local
    wall-clock time, None and "" left empty. Rows before it (title, headers) are appended as usual.

    Speed (100,000-row sheets): openpyxl makes a cell object for every value, infers its type,
    checks the text again, hashes the cell's style to find its id, and a styled cell passed in
    costs a raised and caught ValueError first. Here one cell object per sheet is refilled for
    every value (a write-only sheet writes each cell before the next is made), the type comes from
    the value's class and each column's style id is looked up once. openpyxl's own writer still
    writes every cell.
    """

    _columns: list[_BodyColumn] | None = None

    def start_body(self, styles: tuple[str, ...]) -> None:
        self._columns = [_BodyColumn(self, idx, name) for idx, name in enumerate(styles, start=1)]
        cell = _BodyCell(self)
        cell._comment = None
        self._cell = cell

    def _values_to_row(self, values: Any, row_idx: int) -> Iterator[Cell]:
        columns = self._columns
        if columns is None:
            yield from super()._values_to_row(values, row_idx)
            return
        cell, styles, row = self._cell, self.parent._cell_styles, str(row_idx)
        for col, value in zip(columns, values, strict=False):
            if value is None or value == "":
                continue
            cls = value.__class__
            if cls not in _PLAIN_TYPES:
                value = _plain(value)
                cls = value.__class__
            if cls is str:
                value, risky = clean_text(value)
                if risky:  # a plain string with quotePrefix: shows as typed, stays text on edit
                    if col.quoted is None:
                        col.quoted = styles.add(col.quoted_array)
                    cell._value, cell.data_type, cell.has_style, cell.style_id = value, "s", True, col.quoted
                    cell.coordinate = col.letter + row
                    yield cell
                    continue
                data_type = "e" if value in ERROR_CODES else "s"  # as openpyxl types "#N/A"
            elif cls is dt.datetime or cls is dt.date:
                if cls is dt.datetime:
                    value = value.replace(tzinfo=None)  # Excel has no time zones: local wall-clock time
                if not col.is_date:  # openpyxl would give this cell a date format of its own
                    yield self._general_cell(col, value, row_idx)
                    continue
                data_type = "d"
            else:
                data_type = "b" if cls is bool else "n"
            cell._value, cell.data_type, cell.coordinate = value, data_type, col.letter + row
            if col.array is None:
                cell.has_style = False
            else:
                if col.plain is None:
                    col.plain = styles.add(col.array)
                cell.has_style, cell.style_id = True, col.plain
            yield cell

    def _general_cell(self, col: _BodyColumn, value: Any, row_idx: int) -> Cell:
        cell = WriteOnlyCell(self)
        if col.array is not None:
            cell._style = copy(col.array)
        cell.value = value
        cell.row, cell.column = row_idx, column_index_from_string(col.letter)
        return cell


_PLAIN_TYPES = frozenset({str, int, float, bool, Decimal, dt.date, dt.datetime})


def _plain(value: Any) -> Any:
    """The value as one of _PLAIN_TYPES: a subclass as its base type, anything else as text."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dt.datetime):
        return dt.datetime.combine(value.date(), value.timetz())
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, (int, float, Decimal)):
        return value  # a number subclass: written as a number ("n"), bool aside
    return str(value)

"""The one cell helper every exported value goes through.

User text is made safe here and nowhere else: characters that Excel refuses (control characters)
are removed, over-long text is cut to Excel's cell limit, and text that a spreadsheet would read
as a formula (starting with = + - @, a tab or a carriage return) is stored as a plain string with
Excel's "quote prefix" set, so it shows as typed and stays text even when a user edits the cell.
"""

from __future__ import annotations

import datetime as dt
from copy import copy
from decimal import Decimal
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

EXCEL_CELL_LIMIT = 32767
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

BODY_FONT = "宋体"  # SimSun: what offices print 任务分解表 in
HEADER_FONT = "黑体"  # SimHei for headers and titles
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

STYLE_SPECS: dict[str, dict[str, Any]] = {
    "title": {"font": Font(name=HEADER_FONT, size=16, bold=True), "alignment": _center},
    "subtitle": {"font": Font(name=BODY_FONT, size=10, color="555555"), "alignment": Alignment(horizontal="left")},
    "header": {
        "font": Font(name=HEADER_FONT, size=11, bold=True),
        "alignment": _center,
        "border": _border,
        "fill": PatternFill("solid", fgColor="DDE5F0"),
    },
    "body": {"font": Font(name=BODY_FONT, size=10.5), "alignment": _wrap_top, "border": _border},
    "center": {
        "font": Font(name=BODY_FONT, size=10.5),
        "alignment": Alignment(horizontal="center", vertical="top", wrap_text=True),
        "border": _border,
    },
    "date": {
        "font": Font(name=BODY_FONT, size=10.5),
        "alignment": Alignment(horizontal="center", vertical="top"),
        "border": _border,
        "number_format": DATE_FORMAT,
    },
    "datetime": {
        "font": Font(name=BODY_FONT, size=10.5),
        "alignment": Alignment(horizontal="center", vertical="top"),
        "border": _border,
        "number_format": DATETIME_FORMAT,
    },
    "percent": {
        "font": Font(name=BODY_FONT, size=10.5),
        "alignment": Alignment(horizontal="right", vertical="top"),
        "border": _border,
        "number_format": PERCENT_FORMAT,
    },
    "label": {"font": Font(name=HEADER_FONT, size=11, bold=True), "alignment": Alignment(vertical="top")},
}


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

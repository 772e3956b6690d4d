"""Read a staff roster (花名册) exported from an HR or OA system: .xlsx or CSV, bytes in, rows out.

Columns are found by their header text wherever the header row is among the first rows (exports
often start with a title row such as "东方大学教职工花名册"). Required: 工号 and 姓名; optional:
部门, 职务, 邮箱, 手机, 企业微信账号, 钉钉账号, under the usual variants of those names. A cell
may list several departments separated by 、 or ；. Every row that cannot be used is reported
with its line number; the others are returned.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from .decode import MAX_UNZIPPED, MAX_ZIP_RATIO, decode_text
from .types import ParseError

HEADERS: dict[str, tuple[str, ...]] = {
    "employee_id": (
        "工号",
        "职工号",
        "教工号",
        "人员编号",
        "员工编号",
        "人事编号",
        "职工编号",
        "employeeid",
        "工号/学号",
    ),
    "name": ("姓名", "名字", "name"),
    "department": ("部门", "所在部门", "部门名称", "单位", "所在单位", "单位名称", "二级单位", "department"),
    "title": ("职务", "行政职务", "职位", "岗位", "title"),
    "email": ("邮箱", "电子邮箱", "邮件", "电子邮件", "邮箱地址", "email", "e-mail", "mail"),
    "phone": ("手机", "手机号", "手机号码", "移动电话", "联系电话", "电话", "mobile", "phone"),
    "wecom_userid": ("企业微信账号", "企业微信", "企业微信id", "企业微信userid", "wecom"),
    "dingtalk_userid": ("钉钉账号", "钉钉", "钉钉id", "钉钉userid", "dingtalk"),
}
HEADER_SCAN_ROWS = 10
MAX_ROWS = 50_000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SPLIT_DEPARTMENTS = re.compile(r"[、；;]+")


@dataclass
class RosterRow:
    """One person as the roster lists them (``line`` is the spreadsheet or CSV line number)."""

    line: int
    employee_id: str
    name: str
    departments: list[str] = field(default_factory=list)
    title: str = ""
    email: str = ""
    phone: str = ""
    wecom_userid: str = ""
    dingtalk_userid: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "employee_id": self.employee_id,
            "name": self.name,
            "departments": list(self.departments),
            "title": self.title,
            "email": self.email,
            "phone": self.phone,
            "wecom_userid": self.wecom_userid,
            "dingtalk_userid": self.dingtalk_userid,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RosterRow:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


@dataclass
class Roster:
    rows: list[RosterRow]
    columns: list[str]  # the optional columns the file has (a missing column changes nothing)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


def _header_key(value: Any) -> str:
    return re.sub(r"[\s*＊:：（）()]", "", str(value or "")).lower()


_LOOKUP = {_header_key(alias): key for key, aliases in HEADERS.items() for alias in aliases}


def _cell(value: Any) -> str:
    """A cell as text: whole numbers without ".0" (工号 and phone numbers are often numeric)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return re.sub(r"\s+", " ", str(value)).strip()


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int]]:
    for idx, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for col, value in enumerate(row):
            key = _LOOKUP.get(_header_key(value))
            if key and key not in columns:
                columns[key] = col
        if "employee_id" in columns and "name" in columns:
            return idx, columns
    raise ParseError("找不到表头：花名册的前 10 行中应有“工号”和“姓名”两列（可选：部门、职务、邮箱、手机）。")


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(i.file_size for i in zf.infolist())
            ratio = max((i.file_size / max(i.compress_size, 1) for i in zf.infolist()), default=0)
    except zipfile.BadZipFile:
        raise ParseError("文件不是有效的 .xlsx 工作簿。") from None
    if total > MAX_UNZIPPED or (ratio > MAX_ZIP_RATIO and total > 1024 * 1024):
        raise ParseError("工作簿解压后过大或压缩比异常，已拒绝读取。")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ParseError(f"无法读取 .xlsx 工作簿：{exc}") from None
    try:
        for ws in wb.worksheets:
            rows = [list(r) for r in ws.iter_rows(values_only=True, max_row=MAX_ROWS + HEADER_SCAN_ROWS)]
            try:
                _find_header(rows)
            except ParseError:
                continue
            return rows
    finally:
        wb.close()
    raise ParseError("找不到表头：工作簿中没有一张表在前 10 行中有“工号”和“姓名”两列。")


def _csv_rows(data: bytes) -> list[list[Any]]:
    text = decode_text(data)
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]


def read_roster(data: bytes, filename: str = "") -> Roster:
    """Read an .xlsx or CSV roster; raise ParseError when the file as a whole is unusable."""
    if not data:
        raise ParseError("文件是空的。")
    name = filename.lower()
    if name.endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ParseError("不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 或 CSV 后再导入。")
    rows = _xlsx_rows(data) if data.startswith(b"PK") else _csv_rows(data)
    header_idx, columns = _find_header(rows)
    body = rows[header_idx + 1 :]
    if len(body) > MAX_ROWS:
        raise ParseError(f"花名册超过 {MAX_ROWS} 行，请分批导入。")
    roster = Roster(rows=[], columns=sorted(k for k in columns if k not in ("employee_id", "name")))
    seen: dict[str, int] = {}
    for offset, raw in enumerate(body):
        line = header_idx + offset + 2  # 1-based, after the header line

        def get(key: str, raw: list[Any] = raw) -> str:
            col = columns.get(key)
            return _cell(raw[col]) if col is not None and col < len(raw) else ""

        if not any(_cell(v) for v in raw):
            continue
        row = _row(line, get, roster.problems)
        if row is None:
            continue
        if row.employee_id in seen:
            roster.problems.append((line, f"工号 {row.employee_id} 与第 {seen[row.employee_id]} 行重复，已忽略本行。"))
            continue
        seen[row.employee_id] = line
        roster.rows.append(row)
    if not roster.rows:
        raise ParseError("花名册中没有可用的人员行（每行至少需要工号和姓名）。")
    return roster


def _row(line: int, get, problems: list[tuple[int, str]]) -> RosterRow | None:
    employee_id, name = get("employee_id"), get("name")
    if not employee_id or not name:
        problems.append((line, "缺少工号或姓名，已忽略本行。"))
        return None
    if len(employee_id) > 32 or " " in employee_id:
        problems.append((line, f"工号“{employee_id[:40]}”无效（不超过 32 个字符且不含空格），已忽略本行。"))
        return None
    email = get("email")
    if email and not _EMAIL.match(email):
        problems.append((line, f"邮箱“{email[:60]}”格式不正确，未导入邮箱。"))
        email = ""
    departments = [d.strip() for d in _SPLIT_DEPARTMENTS.split(get("department")) if d.strip()]
    return RosterRow(
        line=line,
        employee_id=employee_id,
        name=name[:64],
        departments=departments,
        title=get("title")[:64],
        email=email[:254],
        phone=get("phone")[:32],
        wecom_userid=get("wecom_userid")[:64],
        dingtalk_userid=get("dingtalk_userid")[:64],
    )

"""The 督办通报 as a Word document, from a replaceable template (python-docx, no LibreOffice).

Content, in the order of a 公文: title and 文号 line, the period, 一、总体情况 (the dashboard's figures
for the items due in the period, rates as in rules.py), 二、各单位排名 (the dashboard's ranking,
with late reports and urges), 三、逾期事项 (with the departments responsible), 四、催办事项,
五、考核得分 (with the scoring rule) and 六、下一步工作 (a closing paragraph the office may edit).
Page set-up, styles, fonts and the ``— N —`` footer come from the template (see bulletin_template).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .. import selectors, selectors_dashboard, selectors_reports, selectors_scores
from ..models import Assignment, PolicyDocument, ReportRound, User
from ..rules import CompletionRates
from .bulletin_template import DEFAULT_TEMPLATE, HEADING_FONT, TABLE_FONT, set_fonts
from .scope import university_name

OVERDUE_LIMIT = 200


@dataclass
class Tally(CompletionRates):
    total: int = 0
    completed: int = 0
    on_time: int = 0
    overdue: int = 0
    not_applicable: int = 0


@dataclass
class BulletinData:
    start: dt.date
    end: dt.date
    today: dt.date
    totals: Tally
    ranking: list[selectors_dashboard.RankRow]
    overdue: list[Assignment]
    overdue_more: int
    urged: list[dict]
    scores: list[selectors_scores.ScoreRow]
    rule_text: str
    closing: str
    number: str = ""
    document: PolicyDocument | None = None
    round: ReportRound | None = None
    notes: list[str] = field(default_factory=list)


def office_reader() -> User:
    """The reader of a bulletin made without a signed-in user (the command): the office's view."""
    return User(username="duban-bulletin", role=User.Role.ADMINISTRATOR, is_active=True)


def default_closing() -> str:
    return _(
        "请各单位对照通报问题，抓紧推进逾期事项，按时报送进展；督查办将持续跟踪督办，并将办理情况纳入年度督办考核。"
    )


def collect_bulletin(
    *,
    user: User,
    start: dt.date,
    end: dt.date,
    document: PolicyDocument | None = None,
    rnd: ReportRound | None = None,
    closing: str = "",
    number: str = "",
) -> BulletinData:
    """Read everything the bulletin prints, through the dashboard's and the scores' selectors."""
    if start > end:
        start, end = end, start
    doc_id = document.pk if document else None
    dash = selectors_dashboard.dashboard(user=user, filters={"document": doc_id}, rank_from=start, rank_to=end)
    totals = Tally()
    for r in dash.ranking:
        totals.total += r.assigned
        totals.completed += r.completed
        totals.on_time += r.on_time
        totals.overdue += r.overdue
        totals.not_applicable += r.not_applicable
    overdue_qs = selectors.assignment_list(user=user, filters={"document": doc_id, "overdue": True}).order_by(
        "due_date", "department__order", "id"
    )
    overdue = list(overdue_qs[: OVERDUE_LIMIT + 1])
    rule = selectors_scores.scoring_rule_current()
    return BulletinData(
        start=start,
        end=end,
        today=dash.today,
        totals=totals,
        ranking=dash.ranking,
        overdue=overdue[:OVERDUE_LIMIT],
        overdue_more=max(0, overdue_qs.count() - OVERDUE_LIMIT) if len(overdue) > OVERDUE_LIMIT else 0,
        urged=selectors_reports.urged_items(user=user, start=start, end=end),
        scores=selectors_scores.department_scores(user=user, start=start, end=end, rule=rule, document=doc_id),
        rule_text=selectors_scores.scoring_rule_text(rule),
        closing=(closing or "").strip() or default_closing(),
        number=number.strip(),
        document=document,
        round=rnd,
    )


def template_path() -> Path:
    """The office's template (DUBAN_BULLETIN_TEMPLATE) or the one shipped with Duban."""
    configured = settings.DUBAN_BULLETIN_TEMPLATE.strip()
    return Path(configured) if configured else DEFAULT_TEMPLATE


def _cn_date(d: dt.date) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": d.year, "m": d.month, "d": d.day}


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


class _Writer:
    def __init__(self, doc) -> None:
        self.doc = doc

    def para(self, text: str, style: str = "Normal", *, center: bool = False, indent: bool = True):
        p = self.doc.add_paragraph(text, style=style)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if not indent:
            p.paragraph_format.first_line_indent = Pt(0)
        return p

    def table(
        self, headers: list[str], rows: list[list[str]], widths_cm: list[float], *, align: list[str] | None = None
    ):
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        tbl_pr.append(layout)
        header_row = table.rows[0]
        tr_pr = header_row._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")  # repeated at the top of every page the table spans
        tr_pr.append(repeat)
        for cell, text in zip(header_row.cells, headers, strict=True):
            self._cell(cell, text, bold=True, center=True)
        for values in rows:
            cells = table.add_row().cells
            for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
                self._cell(cell, text, center=bool(align and align[i] == "c"))
        # Word reads the cell widths, LibreOffice the grid's: set both.
        for column, width in zip(table.columns, widths_cm, strict=True):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(width)
        self.para("", indent=False).paragraph_format.line_spacing = Pt(8)
        return table

    @staticmethod
    def _cell(cell, text: str, *, bold: bool = False, center: bool = False) -> None:
        p = cell.paragraphs[0]
        pf = p.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.line_spacing = 1.0
        pf.space_before = pf.space_after = Pt(1)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.font.size = Pt(10.5)
        run.bold = bold
        set_fonts(run, *(HEADING_FONT if bold else TABLE_FONT))


def _overdue_rows(data: BulletinData) -> list[list[str]]:
    roles = dict(Assignment.Role.choices)
    rows = []
    for n, a in enumerate(data.overdue, start=1):
        req = a.requirement
        task = f"{req.document.title} {' > '.join(req.path)} {req.heading or req.text[:60]}"
        days = (data.today - a.due_date).days if a.due_date else 0
        rows.append(
            [str(n), task, f"{a.department.name}（{roles.get(a.role, a.role)}）", a.due_date.isoformat(), str(days)]
        )
    return rows


def build_bulletin(data: BulletinData, *, template: Path | None = None):
    """The bulletin as a python-docx Document built on the template."""
    doc = Document(str(template or template_path()))
    w = _Writer(doc)
    w.para(f"{university_name()}{_('督办通报')}", "Title", center=True, indent=False)
    number = data.number or _("督查办 %(d)s") % {"d": _cn_date(data.today)}
    w.para(number, "Subtitle", center=True, indent=False)
    scope = data.document.title if data.document else _("全部已发布文件")
    w.para(
        _("通报期间：%(a)s至%(b)s（完成时限在此期间的事项）；范围：%(s)s。")
        % {"a": _cn_date(data.start), "b": _cn_date(data.end), "s": scope}
    )
    _totals_section(w, data)
    _ranking_section(w, data)
    _overdue_section(w, data)
    _urge_section(w, data)
    _score_section(w, data)
    w.para(_("六、下一步工作"), "Heading 1")
    for paragraph in data.closing.splitlines():
        if paragraph.strip():
            w.para(paragraph.strip())
    return doc


def _totals_section(w: _Writer, data: BulletinData) -> None:
    t = data.totals
    w.para(_("一、总体情况"), "Heading 1")
    w.para(
        _(
            "期间内到期事项 %(n)s 项，已办结 %(c)s 项，其中按期办结 %(o)s 项；逾期未办结 %(l)s 项。"
            "完成率 %(cr)s，按期率 %(or)s（完成率 = 已办结 ÷（事项数 − 不适用）；按期率 = 按期办结 ÷（已办结 + 逾期未办结））。"
        )
        % {
            "n": t.total,
            "c": t.completed,
            "o": t.on_time,
            "l": t.overdue,
            "cr": _pct(t.completion_rate),
            "or": _pct(t.on_time_rate),
        }
    )
    w.table(
        [_("事项"), _("已办结"), _("按期办结"), _("逾期未办结"), _("完成率"), _("按期率")],
        [
            [
                str(t.total),
                str(t.completed),
                str(t.on_time),
                str(t.overdue),
                _pct(t.completion_rate),
                _pct(t.on_time_rate),
            ]
        ],
        [2.6] * 6,
        align=["c"] * 6,
    )


def _ranking_section(w: _Writer, data: BulletinData) -> None:
    w.para(_("二、各单位排名"), "Heading 1")
    w.para(_("按完成率、按期率、逾期数、迟报次数、被催办次数排序。"))
    w.table(
        [
            _("名次"),
            _("单位"),
            _("事项"),
            _("已办结"),
            _("按期"),
            _("逾期"),
            _("迟报"),
            _("被催办"),
            _("完成率"),
            _("按期率"),
        ],
        [
            [str(i), r.name, str(r.assigned), str(r.completed), str(r.on_time), str(r.overdue), str(r.late_reports)]
            + [str(r.urges), _pct(r.completion_rate), _pct(r.on_time_rate)]
            for i, r in enumerate(data.ranking, start=1)
        ]
        or [["—", _("该期间没有到期事项"), "", "", "", "", "", "", "", ""]],
        [1.3, 3.3, 1.2, 1.3, 1.2, 1.2, 1.2, 1.4, 1.7, 1.7],
        align=["c", "l"] + ["c"] * 8,
    )


def _overdue_section(w: _Writer, data: BulletinData) -> None:
    w.para(_("三、逾期事项"), "Heading 1")
    if data.overdue:
        w.para(_("截至%(d)s，以下事项已逾期未办结：") % {"d": _cn_date(data.today)})
        w.table(
            [_("序号"), _("事项"), _("责任单位"), _("完成时限"), _("逾期天数")],
            _overdue_rows(data),
            [1.3, 7.2, 3.4, 2.2, 1.5],
            align=["c", "l", "l", "c", "c"],
        )
        if data.overdue_more:
            w.para(_("另有 %(n)s 项逾期事项未列出，详见督办系统。") % {"n": data.overdue_more})
    else:
        w.para(_("截至%(d)s，没有逾期未办结事项。") % {"d": _cn_date(data.today)})


def _urge_section(w: _Writer, data: BulletinData) -> None:
    w.para(_("四、催办事项"), "Heading 1")
    if data.urged:
        w.table(
            [_("序号"), _("事项"), _("被催办单位"), _("催办时间")],
            [[str(i), u["title"], u["department"], u["when"]] for i, u in enumerate(data.urged, start=1)],
            [1.1, 8.5, 3.6, 2.4],
            align=["c", "l", "l", "c"],
        )
    else:
        w.para(_("本期无催办事项。"))


def _score_section(w: _Writer, data: BulletinData) -> None:
    w.para(_("五、考核得分"), "Heading 1")
    w.para(_("评分规则：%(r)s。") % {"r": data.rule_text})
    w.table(
        [_("名次"), _("单位"), _("得分"), _("计算过程")],
        [[str(i), s.name, str(s.score), s.explanation] for i, s in enumerate(data.scores, start=1)]
        or [["—", _("该期间没有到期事项"), "", ""]],
        [1.3, 3.3, 1.5, 9.5],
        align=["c", "l", "c", "l"],
    )


def bulletin_bytes(data: BulletinData, *, template: Path | None = None) -> bytes:
    out = io.BytesIO()
    build_bulletin(data, template=template).save(out)
    return out.getvalue()


def bulletin_filename(data: BulletinData) -> str:
    return f"{university_name()}{_('督办通报')}-{data.start.isoformat()}-{data.end.isoformat()}.docx"

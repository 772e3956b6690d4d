"""Physical lines of extracted text, and the page furniture among them. Pure.

A PDF text layer or a copied web page carries lines that are not the document: page
numbers, running headers and footers, tables of contents, and the chrome of a web page
(breadcrumbs, font-size switches, print/share buttons, ICP lines).  :func:`drop_furniture`
removes them and leaves a page-break gap where they were.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .chars import display_width, fix_spaces, squeeze_spaces
from .markers import is_structural
from .numbering import recognize_label

_RE_PAGE_NO = re.compile(
    r"^(?:[-—–－―─]+\s*\d{1,4}\s*[-—–－―─]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?|·\s*\d{1,4}\s*·)$"
)
_RE_BARE_NUMBER = re.compile(r"^\d{1,4}$")
# Web page chrome copied along with a policy text: breadcrumbs, font-size switches,
# print/close/share buttons, copyright and ICP lines.  (来源/发布时间 lines are kept: they
# mark news items and document starts, see markers.RE_SOURCE.)
_RE_WEB_CHROME = re.compile(
    r"^(?:当前位置|您的位置|你的位置|您现在的位置|你现在的位置|现在位置)\s*[：:]"
    r"|^(?:网站)?首页\s*(?:>|＞|»|›|→|/|>>)"
    r"|^[【\[]?\s*字\s*[体号]\s*[：:]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中"
    r"|^(?:[【\[](?:打印|关闭|收藏|打印本页|关闭窗口|返回顶部)[】\]]\s*)+$"
    r"|^(?:打印本页|关闭窗口|返回顶部|分享到\s*[：:]?|扫一扫在手机(?:打开|上查看))"
    r"|^(?:版权所有|Copyright|©)"
    r"|[京沪津渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵云陕甘青蒙桂藏宁新]ICP备\s*\d"
    # The information box of a government site (索引号 / 主题分类 / 发文机关 / 标题 …).
    r"|^(?:索\s*引\s*号|主题分类|主\s*题\s*词|发文机关|成文日期|发文字号|标\s*题|公开方式|"
    r"有\s*效\s*性|信息分类)\s*[：:]",
    re.IGNORECASE,
)


def _is_web_chrome(text: str) -> bool:
    """``_RE_WEB_CHROME.search``: all its branches but the ICP one are anchored at the start, so
    ``match`` decides unless the line holds the ICP branch's ``备``."""
    return bool(_RE_WEB_CHROME.match(text) or ("备" in text and _RE_WEB_CHROME.search(text)))


_RE_TOC_LINE = re.compile(r"^(?P<title>.{2,}?)(?:\t+\s*|\s*[.．·…。\-_]{4,}\s*|\s{3,})(?P<page>\d{1,4})$")
_RE_TOC_HEADER = re.compile(r"^目\s*录$")


def _ends_digit(text: str) -> bool:
    """Could ``text`` end as :data:`_RE_TOC_LINE` requires (``$`` also matches before a last ``\\n``)?"""
    return text[-1:].isdigit() or (text[-2:-1].isdigit() and text[-1] == "\n")


_SENT_END = "。！？；：!?;:"


@dataclass
class Line:
    text: str
    lineno: int  # 1-based in the source
    indent: int = 0
    gap_before: int = 0  # blank lines before this line
    width: int = 0  # display width as extracted (spaces included: they occupy the page)


def raw_lines(text: str) -> list[Line]:
    out: list[Line] = []
    gap = 0
    for i, raw in enumerate(text.split("\n"), start=1):
        if raw.strip() == "\f":
            gap += 3  # a page break counts as a long gap
            continue
        stripped = raw.replace("\f", "").rstrip()
        if not stripped.strip():
            gap += 1
            continue
        indent = len(stripped) - len(stripped.lstrip(" \t\u3000"))
        body = stripped.strip()
        out.append(Line(body, i, indent, gap, display_width(squeeze_spaces(body))))
        gap = 0
    return out


def typical_gap(lines: list[Line]) -> int:
    """0 when lines follow each other, 1 when a blank line follows every line (PDF text).

    Anything longer is a page break or a section gap, never the layout's normal spacing.
    """
    gaps = Counter(min(ln.gap_before, 3) for ln in lines[1:])
    if not gaps:
        return 0
    return min(gaps.most_common(1)[0][0], 1)


def drop_furniture(lines: list[Line]) -> list[Line]:
    """Remove tables of contents, page numbers and running headers."""
    lines = _drop_toc(lines)
    typical = typical_gap(lines)
    kept: list[Line] = []
    for i, ln in enumerate(lines):
        t = ln.text.strip()
        if _RE_PAGE_NO.match(t):
            _carry_gap(lines, i, ln)
            continue
        if len(t) <= 120 and _is_web_chrome(t):
            continue
        if _RE_BARE_NUMBER.match(t):
            nxt_gap = lines[i + 1].gap_before if i + 1 < len(lines) else typical + 2
            if ln.gap_before > typical + 1 or nxt_gap > typical + 1 or (typical == 0 and ln.gap_before and nxt_gap):
                _carry_gap(lines, i, ln)
                continue
        kept.append(ln)
    return _drop_running_headers(kept, typical)


def _carry_gap(lines: list[Line], i: int, ln: Line) -> None:
    """A removed line's gap becomes a page-break gap on the next line."""
    if i + 1 < len(lines):
        lines[i + 1].gap_before = max(lines[i + 1].gap_before, ln.gap_before, 3)


def _drop_toc(lines: list[Line]) -> list[Line]:
    """Drop runs of table-of-contents lines (title + TAB/dot leader + page number).

    A run needs at least three such lines close together; everything between the first and
    the last TOC line (section markers, wrapped entries) and a ``目录`` header goes too.
    """
    # A TOC line ends in its page number: a cheap look first, most lines are prose.
    idx = [i for i, ln in enumerate(lines) if _ends_digit(ln.text) and ("\t" in ln.text or _RE_TOC_LINE.match(ln.text))]
    idx = [i for i in idx if _RE_TOC_LINE.match(lines[i].text.replace("\u3000", " "))]
    if len(idx) < 3:
        return lines
    drop: set[int] = set()
    run = [idx[0]]
    for i in idx[1:] + [10**9]:
        if i - run[-1] <= 3:
            run.append(i)
            continue
        if len(run) >= 3:
            start, end = run[0], run[-1]
            for k in range(start, end + 1):
                drop.add(k)
            for k in range(max(0, start - 2), start):
                if _RE_TOC_HEADER.match(lines[k].text.replace(" ", "")):
                    drop.add(k)
        run = [i]
    return [ln for i, ln in enumerate(lines) if i not in drop]


def _drop_running_headers(lines: list[Line], typical: int) -> list[Line]:
    """Drop short lines that repeat next to most page breaks (running headers/footers).

    A line counts only if it sits next to at least a third of all page breaks: in a
    compilation ``附件``, a signature or a date recurs near some breaks by chance.
    """
    near_break: Counter[str] = Counter()
    total: Counter[str] = Counter()
    breaks = sum(1 for ln in lines if ln.gap_before > typical + 1)
    for i, ln in enumerate(lines):
        if len(ln.text) > 40:
            continue
        total[ln.text] += 1
        nxt_gap = lines[i + 1].gap_before if i + 1 < len(lines) else 99
        if ln.gap_before > typical + 1 or nxt_gap > typical + 1:
            near_break[ln.text] += 1
    headers = {
        t
        for t, n in near_break.items()
        # Two repeats suffice in a short document (2–3 pages); a compilation needs three
        # and a third of its breaks, or a recurring issuer line would be taken for one.
        if n >= max(2 if breaks <= 3 else 3, breaks / 3)
        and n >= 0.6 * total[t]
        and not recognize_label(t)
        and not t.endswith(tuple(_SENT_END))
        and not is_structural(fix_spaces(t))
    }
    if not headers:
        return lines
    out: list[Line] = []
    for i, ln in enumerate(lines):
        if ln.text in headers:
            _carry_gap(lines, i, ln)
            continue
        out.append(ln)
    return out


__all__ = ["Line", "drop_furniture", "raw_lines", "typical_gap"]

"""Turn extracted text into clean paragraphs.

Policy documents reach us as PDF text layers (hard-wrapped every ~30 CJK characters, often
with a blank line after *every* line, page numbers and running headers), web copies (one
paragraph per line, sometimes broken mid-sentence) or Word files.  Everything downstream
works on paragraphs, so this module:

1. cleans characters (control characters, odd spaces, spaces inside Chinese and around
   digits: ``2019 年`` → ``2019年``; spaces between ASCII words survive);
2. drops page furniture: page numbers, running headers, tables of contents, and the chrome
   of a copied web page (breadcrumbs, font-size switches, print/share buttons, ICP lines);
3. rebuilds paragraphs from physical lines using the document's own wrap width.  Where
   lines otherwise follow each other, a lone blank line ends a paragraph (unless the line
   before stops mid-sentence); a field line of a task block (``责任单位：``, ``完成时限：``,
   ``问题1：``) always starts one.

The result is a list of :class:`Para` carrying the source line number for diagnostics.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from .numbering import Label, recognize_label
from .vocabulary import RE_TASK_BLOCK_LINE

# --------------------------------------------------------------------------- characters

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Full-width / CJK punctuation: no space is wanted next to it.
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef\u2014\u2026\u201c\u201d\u2018\u2019\u00b7\u2460-\u24ff\u3200-\u32ff"
_WIDE = f"{_CJK}{_CJK_PUNCT}"

_RE_CTRL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\ufeff\ufffe]")
_RE_SPACES = re.compile(r"[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# A space next to a wide character on either side goes, except CJK–CJK (handled apart).
_RE_SP_WIDE_NARROW = re.compile(rf"(?<=[{_WIDE}]) +(?=[0-9A-Za-z%.(（\[{_CJK_PUNCT}])")
_RE_SP_NARROW_WIDE = re.compile(rf"(?<=[0-9A-Za-z%.)）\]{_CJK_PUNCT}]) +(?=[{_WIDE}])")
_RE_SP_PUNCT = re.compile(rf"(?<=[{_CJK_PUNCT}]) +| +(?=[{_CJK_PUNCT}])")
_RE_SP_CJK_CJK = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}])")
_RE_SP_DIGITS = re.compile(r"(?<=\d) +(?=[.．:：/\-—](?:\d|$))|(?<=\d[.．:：/\-—]) +(?=\d)")


def clean_chars(text: str) -> str:
    """Remove control characters and unify line ends and exotic spaces (keeps ``\\n``, ``\\t``)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\f\n")
    text = _RE_CTRL.sub("", text)
    # Compatibility ideographs (⼀ U+2F00 block) look identical to 一 but break matching.
    return _RE_RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


_RE_RADICALS = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")


def fix_spaces(line: str) -> str:
    """Normalise spaces inside one physical line.

    Spaces between a CJK character and a digit/letter (``2019 年``, ``第 45 条``) and
    around CJK punctuation are removed; letter-spaced words (``学 校 名 称``, ``吴 刚``) are
    closed up; a space between two multi-character CJK runs (``中共中央 国务院``,
    ``教育部 财政部``) separates names and is kept; ASCII words keep one space.
    """
    line = _RE_SPACES.sub(" ", line.replace("\t", " ")).strip()
    if " " not in line:
        return line
    line = _RE_SP_PUNCT.sub("", line)
    line = _RE_SP_WIDE_NARROW.sub("", line)
    line = _RE_SP_NARROW_WIDE.sub("", line)
    line = _RE_SP_DIGITS.sub("", line)
    if " " in line:
        line = _close_cjk_spaces(line)
    return line


def _close_cjk_spaces(line: str) -> str:
    """Close CJK–CJK spaces except between multi-character names on short lines."""
    parts = re.split(rf"(?<=[{_CJK}]) (?=[{_CJK}])", line)
    if len(parts) == 1:
        return line
    keep = (
        all(len(p) >= 2 for p in parts)
        and (len(line) <= 60 or not re.search("[，。；,;]", line))
        and not _RE_LABEL_SEP.match(line)
    )
    if keep:
        return " ".join(parts)
    return "".join(parts)


# "第一条 为…" / "一、 加强": a space after a label is a separator, not a name list.
_RE_LABEL_SEP = re.compile(r"^(第[一二三四五六七八九十百千零〇]+[条章节编]|[一二三四五六七八九十]+、)")


def display_width(text: str) -> int:
    """Width in half-width units: CJK and full-width characters count 2, ASCII 1."""
    return len(text) + len(_RE_WIDE_CHARS.findall(text))


# East Asian Wide/Fullwidth ranges (what a PDF lays out as a full em).
_RE_WIDE_CHARS = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]"
)


# --------------------------------------------------------------------------- page furniture

_RE_PAGE_NO = re.compile(
    r"^(?:[-—–－―─]+\s*\d{1,4}\s*[-—–－―─]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?|·\s*\d{1,4}\s*·)$"
)
_RE_BARE_NUMBER = re.compile(r"^\d{1,4}$")
# Web page chrome copied along with a policy text: breadcrumbs, font-size switches,
# print/close/share buttons, copyright and ICP lines.  (来源/发布时间 lines are kept: they
# mark news items and document starts, see documents.py.)
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
_RE_TOC_LINE = re.compile(r"^(?P<title>.{2,}?)(?:\t+\s*|\s*[.．·…。\-_]{4,}\s*|\s{3,})(?P<page>\d{1,4})$")
_RE_TOC_HEADER = re.compile(r"^目\s*录$")

_SENT_END = "。！？；：!?;:"
_CLOSERS = "”’」』）)》】〕]"
_LABEL_END = "。！？；：!?;:…"


@dataclass
class Line:
    text: str
    lineno: int  # 1-based in the source
    indent: int = 0
    gap_before: int = 0  # blank lines before this line
    width: int = 0  # display width as extracted (spaces included: they occupy the page)


@dataclass
class Para:
    """A reconstructed paragraph (wraps joined) with its first source line."""

    text: str
    lineno: int
    nlines: int = 1
    short_end: bool = False  # the last physical line was clearly shorter than the wrap width


def _raw_lines(text: str) -> list[Line]:
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
        out.append(Line(body, i, indent, gap, display_width(_RE_SPACES.sub(" ", body))))
        gap = 0
    return out


def _typical_gap(lines: list[Line]) -> int:
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
    typical = _typical_gap(lines)
    kept: list[Line] = []
    for i, ln in enumerate(lines):
        t = ln.text.strip()
        if _RE_PAGE_NO.match(t):
            _carry_gap(lines, i, ln)
            continue
        if len(t) <= 120 and _RE_WEB_CHROME.search(t):
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
    idx = [i for i, ln in enumerate(lines) if "\t" in ln.text or _RE_TOC_LINE.match(ln.text)]
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
        and not _structural(fix_spaces(t))
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


# --------------------------------------------------------------------------- structural lines

_RE_DOCNUM = re.compile(
    r"^[\u4e00-\u9fff×XＸ]{1,16}[〔［\[﹝【(（]\s*(?:19|20)\d{2}\s*[〕］\]﹞】)）]\s*\d{1,4}\s*号$"
    r"|^[\u4e00-\u9fff]{2,20}令\s*第\s*\d{1,4}\s*号$"
)
_RE_DATE_LINE = re.compile(
    r"^(?:(?:19|20)\d{2}|[一二〇○零三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"(?:\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日)?$"
)
_RE_BRACKET_DATE = re.compile(r"^[（(]\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?[^（()）]{0,30}[）)]$")
_RE_ATTACH = re.compile(r"^附\s*件\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})?\s*[：:]?$")


# A row of a real table (Word), as written by decode: "| 1 | 自查阶段 | 2024年5月31日前 |".
RE_TABLE_ROW = re.compile(r"^\|\s.*\s\|$")


def is_table_row(text: str) -> bool:
    return bool(RE_TABLE_ROW.match(text))


def is_docnum(text: str) -> bool:
    """A standalone 文号 line: ``教学〔2019〕4号``, ``工信党建组办﹝2020﹞1号``, ``教育部令第46号``."""
    return bool(_RE_DOCNUM.match(text.replace(" ", "")))


def is_date_line(text: str) -> bool:
    """A standalone date line (signature date): ``2020年2月28日``."""
    return bool(_RE_DATE_LINE.match(text.replace(" ", "")))


def is_bracket_date(text: str) -> bool:
    """A date in brackets under a title: ``（2020年3月20日）``."""
    return bool(_RE_BRACKET_DATE.match(text.replace(" ", "")))


def is_attachment_marker(text: str) -> bool:
    """``附件`` / ``附件1`` / ``附件：`` alone on a line (the start of an attachment)."""
    return bool(_RE_ATTACH.match(text.replace(" ", "")))


RE_ORG_END = re.compile(
    r"(部|厅|委|局|院|会|办|府|组|室|中央|国务院|司|党组|政府|委员会|中心|办公室|小组|学校|大学|学院|银行|集团|总队|公司|"
    r"代章）|代章\))$"
)


def looks_like_signature(text: str) -> bool:
    """A short line naming issuing bodies (``教育部办公厅``, ``科技部 财政部``)."""
    t = text.strip()
    if not t or len(t) > 40 or t[-1] in _SENT_END or recognize_label(t) is not None:
        return False
    return bool(RE_ORG_END.search(t.replace(" ", "")))


DOC_WORDS = (
    "通知",
    "意见",
    "办法",
    "规定",
    "方案",
    "计划",
    "要点",
    "决定",
    "细则",
    "纲要",
    "规划",
    "条例",
    "答记者问",
    "函",
    "报告",
    "指南",
    "标准",
    "公告",
    "通报",
    "批复",
    "规则",
    "章程",
    "制度",
    "准则",
    "措施",
    "举措",
    "决议",
    "指引",
    "解读",
    "愿景与行动",
    "问答",
    "答问",
    "若干规定",
    "实施意见",
    "工作方案",
    "管理办法",
    "法",
    "守则",
    "目录",
    "名单",
    "清单",
    "汇总表",
    "申报书",
    "内容参考",
    "参考",
    "要求",
    "任务分解表",
)
_RE_TRAILING_BRACKET = re.compile(r"[（(][^（()）]{1,24}[）)]$")


def has_doc_word(text: str) -> bool:
    """Does a title end in a document-type word (通知, 意见, 办法, …)?"""
    t = text.strip().rstrip("”」》")
    for _ in range(2):
        stripped = _RE_TRAILING_BRACKET.sub("", t).strip()
        if stripped == t:
            break
        t = stripped
    return t.endswith(DOC_WORDS) and len(t) >= 6


def _structural(text: str) -> bool:
    return is_docnum(text) or is_date_line(text) or is_bracket_date(text) or is_attachment_marker(text)


# --------------------------------------------------------------------------- paragraphs


def _wrap_width(lines: list[Line]) -> int | None:
    """The document's wrap width in half-width units, or ``None`` for one-paragraph-per-line text.

    PDF text layers wrap at a fixed width, so a large share of lines sits within a couple
    of units below the most common long width; web text and Word files do not.
    """
    widths = [ln.width for ln in lines if len(ln.text) >= 8]
    if len(widths) < 8:
        return None
    counts = Counter(w for w in widths if 30 <= w <= 160)
    if not counts:
        return None
    best_w, _ = counts.most_common(1)[0]
    near = sum(n for w, n in counts.items() if best_w - 4 <= w <= best_w + 2)
    if near >= max(6, 0.2 * len(widths)):
        return max(w for w, n in counts.items() if best_w <= w <= best_w + 2 and n >= 0.1 * counts[best_w])
    return None


def _full_tolerance(width: int) -> int:
    """How much shorter than the wrap width a wrapped line may be.

    First lines carry a two-character indent and justified lines with digits vary by a
    few units, so allow about an eighth of the width.
    """
    return max(6, width // 8)


def _ends_sentence(text: str) -> bool:
    t = text.rstrip(_CLOSERS) if text and text[-1] in _CLOSERS else text
    return (bool(t) and t[-1] in _SENT_END) or text.endswith(("。”", "。）", "。)", "！”", "？”"))


class _SeqTracker:
    """Last number seen per label kind, for the plausibility check of ambiguous labels."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}

    def plausible(self, label: Label, prev_is_label: bool) -> bool:
        last = self.last.get(label.kind)
        if last is not None and last < label.number <= last + 2:
            return True
        return label.number == 1 and (prev_is_label or last is None)

    def see(self, label: Label) -> None:
        self.last[label.kind] = label.number


def build_paragraphs(text: str) -> list[Para]:
    """Clean ``text`` and rebuild its paragraphs (see the module docstring)."""
    lines = drop_furniture(_raw_lines(clean_chars(text)))
    for ln in lines:
        ln.text = fix_spaces(ln.text)
    lines = [ln for ln in lines if ln.text]
    if not lines:
        return []
    width = _wrap_width(lines)
    typical = _typical_gap(lines)
    indent_signal = _indent_is_signal(lines)
    starts = _forced_starts(lines)
    seq = _SeqTracker()
    paras: list[Para] = []
    cur: list[Line] = [lines[0]]
    lab0 = recognize_label(lines[0].text)
    if lab0:
        seq.see(lab0)
    for i in range(1, len(lines)):
        prev, ln = lines[i - 1], lines[i]
        if _breaks(prev, ln, i, width, indent_signal, starts, seq, cur, typical):
            paras.append(_make_para(cur, width))
            cur = [ln]
        else:
            cur.append(ln)
    paras.append(_make_para(cur, width))
    return paras


def _indent_is_signal(lines: list[Line]) -> bool:
    n = sum(1 for ln in lines if 2 <= ln.indent <= 12)
    return 0 < n < 0.5 * len(lines)


def _forced_starts(lines: list[Line]) -> set[int]:
    """Line indices that must start a paragraph: structural lines and the title lines above them."""
    starts: set[int] = set()
    for i, ln in enumerate(lines):
        if is_table_row(ln.text):
            starts.add(i)
            starts.add(i + 1)
        elif is_docnum(ln.text) or is_bracket_date(ln.text):
            starts.add(i)
            # Title lines above a 文号 / bracket date (up to four, none ending a sentence).
            j = i - 1
            while j >= 0 and i - j <= 4 and len(lines[j].text) <= 45 and not _ends_sentence(lines[j].text):
                if _structural(lines[j].text):
                    break
                j -= 1
            starts.add(j + 1)
            if i + 1 < len(lines):
                starts.add(i + 1)
        elif is_date_line(ln.text) or is_attachment_marker(ln.text):
            starts.add(i)
            if i + 1 < len(lines):
                starts.add(i + 1)
            if is_date_line(ln.text):
                # Signature lines above the date each stand alone.
                j = i - 1
                while j >= 0 and i - j <= 8 and looks_like_signature(lines[j].text):
                    starts.add(j)
                    j -= 1
    return starts


def _breaks(
    prev: Line,
    ln: Line,
    i: int,
    width: int | None,
    indent_signal: bool,
    starts: set[int],
    seq: _SeqTracker,
    cur: list[Line],
    typical: int = 1,
) -> bool:
    """Does ``ln`` start a new paragraph after ``prev``?"""
    label = recognize_label(ln.text)
    prev_label = recognize_label(prev.text) if len(cur) == 1 else None
    if prev_label is not None and not prev_label.rest and len(cur) == 1:
        # A label alone on its line ("（一）" / title on the next line).
        if label is not None:
            seq.see(label)
            return True
        return False
    if i in starts:
        if label:
            seq.see(label)
        return True
    full = _is_full(prev, prev.width, width)
    ended = _ends_sentence(prev.text)
    if label is None and prev.text[-1] not in _MID_SENTENCE and RE_TASK_BLOCK_LINE.match(ln.text):
        return True  # "责任单位：…" / "完成时限：…" / "问题1：…": a field line of a task block
    if (
        label is None
        and width is not None
        and ln.gap_before == 1
        and typical == 0
        and prev.text[-1] not in _MID_SENTENCE
    ):
        return True  # a lone blank line in text whose lines otherwise follow each other
    if label is not None:
        if full and not ended and not seq.plausible(label, prev_label is not None):
            return False  # "…相统" / "一、学术自由…": a wrap, not a label
        if (
            width
            and not full
            and not ended
            and ln.gap_before >= 2
            and prev_label is None
            and not seq.plausible(label, False)
        ):
            return False  # a short unfinished line, a page break, then an implausible label
        seq.see(label)
        return True
    if prev.text.startswith(("http", "www.", "mailto:")) or _structural(prev.text) or _RE_ENDS_DATE.search(prev.text):
        return True
    if width is None:
        # One paragraph per line, except long lines broken mid-sentence.
        if ended or len(prev.text) < 40 or _structural(ln.text):
            return True
        return prev.text[-1] in _CLOSERS or _looks_like_start(ln.text)
    if indent_signal and 2 <= ln.indent <= 12 and ended:
        return True
    if prev.text[-1] in _MID_SENTENCE:
        return False  # "…，" never ends a paragraph, even before a page break
    if ended:
        return not full
    # No punctuation at the end: a wrap unless the line is clearly short (a title, a name),
    # is a short label heading, or ends a title ("…的意见").
    if prev.width < 0.7 * width:
        return True
    return bool(not full and (has_doc_word(prev.text) or (len(cur) == 1 and prev_label is not None)))


_RE_ENDS_DATE = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:印发|发布)$")
_MID_SENTENCE = "，、,（(《“‘—"


def _is_full(prev: Line, pw: int, width: int | None) -> bool:
    if width is None:
        return len(prev.text) >= 40 and not _ends_sentence(prev.text)
    return pw >= width - _full_tolerance(width)


def _looks_like_start(text: str) -> bool:
    return text.startswith(("附件", "——", "来源", "发布时间", "联系人", "电话"))


def _make_para(lines: list[Line], width: int | None) -> Para:
    text = lines[0].text
    for ln in lines[1:]:
        if (
            text
            and ln.text
            and text[-1].isascii()
            and text[-1].isalpha()
            and ln.text[0].isascii()
            and ln.text[0].isalpha()
            and "/" not in text[-20:]
        ):
            text += " " + ln.text
        else:
            text += ln.text
    text = fix_spaces(text)
    short_end = width is not None and lines[-1].width < width - _full_tolerance(width)
    return Para(text, lines[0].lineno, len(lines), short_end)


__all__ = [
    "Para",
    "build_paragraphs",
    "clean_chars",
    "display_width",
    "drop_furniture",
    "fix_spaces",
    "is_attachment_marker",
    "is_bracket_date",
    "is_date_line",
    "is_docnum",
    "is_table_row",
]

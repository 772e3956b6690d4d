"""Turn extracted text into clean paragraphs.

Policy documents reach us as PDF text layers (hard-wrapped every ~30 CJK characters, often
with a blank line after *every* line, page numbers and running headers), web copies (one
paragraph per line, sometimes broken mid-sentence) or Word files.  Everything downstream
works on paragraphs, so this module:

1. cleans characters (:mod:`.chars`: control characters, odd spaces, spaces inside Chinese
   and around digits: ``2019 年`` → ``2019年``; spaces between ASCII words survive);
2. drops page furniture (:mod:`.lines`): page numbers, running headers, tables of contents,
   and the chrome of a copied web page;
3. rebuilds paragraphs from physical lines using the document's own wrap width.  Where
   lines otherwise follow each other, a lone blank line ends a paragraph (unless the line
   before stops mid-sentence); a field line of a task block (``责任单位：``, ``完成时限：``,
   ``问题1：``) always starts one.

The result is a list of :class:`Para` carrying the source line number for diagnostics.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .chars import clean_chars, fix_spaces
from .elements import is_header_element
from .lines import Line, drop_furniture, raw_lines, typical_gap
from .markers import (
    DOC_WORDS,
    RE_ATTACH_LIST,
    RE_CONTACT_LINE,
    RE_NEWS_LEAD,
    RE_SOURCE,
    has_doc_word,
    is_attachment_marker,
    is_bracket_date,
    is_date_line,
    is_docnum,
    is_person_signature,
    is_structural,
    is_table_row,
    looks_like_signature,
)
from .numbering import Label, recognize_label
from .vocabulary import RE_TASK_BLOCK_LINE

_SENT_END = "。！？；：!?;:"
_CLOSERS = "”’」』）)》】〕]"


@dataclass
class Para:
    """A reconstructed paragraph (wraps joined) with its first source line."""

    text: str
    lineno: int
    nlines: int = 1
    short_end: bool = False  # the last physical line was clearly shorter than the wrap width


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
    lines = drop_furniture(raw_lines(clean_chars(text)))
    for ln in lines:
        ln.text = fix_spaces(ln.text)
    lines = [ln for ln in lines if ln.text]
    if not lines:
        return []
    return join_lines(lines, _wrap_width(lines))


def join_lines(lines: list[Line], width: int | None, decided: Sequence[bool | None] = ()) -> list[Para]:
    """Paragraphs of clean physical ``lines`` wrapped at ``width`` half-width units (``None``:
    one paragraph per line, unless broken mid-sentence).

    ``decided[i]`` is what the page layout already knows about line ``i``: ``True`` starts a
    paragraph, ``False`` continues one, ``None`` (or no entry) leaves it to the text rules.
    """
    if not lines:
        return []
    typical = typical_gap(lines)
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
        known = decided[i] if i < len(decided) else None
        if known is None:
            new = _breaks(prev, ln, i, width, indent_signal, starts, seq, cur, typical)
        else:
            new = known
            label = recognize_label(ln.text) if new else None
            if label:
                seq.see(label)
        if new:
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
    starts: set[int] = {_title_end(lines, 0)}
    for i, ln in enumerate(lines):
        if is_table_row(ln.text):
            starts.add(i)
            starts.add(i + 1)
        elif is_docnum(ln.text) or is_bracket_date(ln.text):
            starts.add(i)
            # Title lines above a 文号 / bracket date (up to four, none ending a sentence).
            j = i - 1
            while j >= 0 and i - j <= 4 and len(lines[j].text) <= 45 and not _ends_sentence(lines[j].text):
                if is_structural(lines[j].text):
                    break
                j -= 1
            starts.add(j + 1)
            if i + 1 < len(lines):
                starts.add(i + 1)
        elif RE_ATTACH_LIST.match(ln.text) or RE_CONTACT_LINE.match(ln.text):
            starts.add(i)  # "附件：1.…" / "联系人：…" never continue the paragraph above
        elif RE_SOURCE.match(ln.text) or RE_NEWS_LEAD.match(ln.text) or is_header_element(ln.text):
            # A byline, a wire-service lead or a 公文 element (份号, 密级, 发文机关标志, 签发人,
            # an adoption line) never continues the title above it.
            starts.add(i)
            if not RE_NEWS_LEAD.match(ln.text):
                starts.add(i + 1)
        elif is_date_line(ln.text) or is_attachment_marker(ln.text):
            starts.add(i)
            if i + 1 < len(lines):
                starts.add(i + 1)
                starts.add(_title_end(lines, i + 1))
            if is_date_line(ln.text):
                # Signature lines above the date each stand alone.
                j = i - 1
                while (
                    j >= 0
                    and i - j <= 8
                    and (looks_like_signature(lines[j].text) or is_person_signature(lines[j].text))
                ):
                    starts.add(j)
                    j -= 1
    return starts


def _title_end(lines: list[Line], i: int) -> int:
    """Where a title starting at line ``i`` (the top of the text, or after a date line) ends:
    after the first one to four lines that end in a document word (通知, 规定…), with a
    trailing ``的通知`` / ``（试行）`` line; ``i`` when no title starts there.  The next line
    (a byline, a date lead, the body) never continues it, however wide the title line is."""
    joined = ""
    for k in range(i, min(i + 4, len(lines))):
        text = lines[k].text
        if re.search(r"[。；;！？!?：:，,]", text):
            return i
        joined += text
        if has_doc_word(joined):
            end = k + 1
            while end < len(lines) and _title_tail(lines[end].text):
                end += 1
            return end
    return i


def _title_tail(text: str) -> bool:
    """A last title line: ``的通知``, ``（试行）``, ``——…答记者问`` (not a wrapped adoption line)."""
    if len(text) > 40 or is_header_element(text):
        return False
    return (
        (text.startswith("的") and text.endswith(DOC_WORDS))
        or (text.startswith(("（", "(")) and text.endswith(("）", ")")))
        or text.startswith("——")
    )


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
    if label is None and prev.text[-1] not in _MID_SENTENCE and _is_task_field(ln.text):
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
    if (
        prev.text.startswith(("http", "www.", "mailto:"))
        or is_structural(prev.text)
        or _ends_with_issue_date(prev.text)
    ):
        return True
    if width is None:
        # One paragraph per line, except long lines broken mid-sentence.
        if ended or len(prev.text) < 40 or is_structural(ln.text):
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


def _is_task_field(text: str) -> bool:
    """:data:`RE_TASK_BLOCK_LINE`, tried only on lines with the colon every field line has."""
    return ("：" in text or ":" in text) and bool(RE_TASK_BLOCK_LINE.match(text))


def _ends_with_issue_date(text: str) -> bool:
    """``…2020年3月1日印发``: :data:`_RE_ENDS_DATE` searched only in lines that hold its last word."""
    return ("印发" in text or "发布" in text) and bool(_RE_ENDS_DATE.search(text))


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


__all__ = ["Para", "build_paragraphs", "fix_spaces", "join_lines"]

"""Text outside the numbering: a document's closing words, and the rows of a notice that has
no numbering at all. Pure."""

from __future__ import annotations

import re
from collections import Counter

from .markers import RE_ATTACH_LIST, RE_BOILER, RE_CONTACT_LINE
from .normalize import Para
from .numbering import LabelKind, recognize_label
from .tree import TreeItem

_RE_ACTOR_MODAL = re.compile(
    r"(?:各|全体|有关|所有|本)[^，。；：,;]{0,15}?(?:要|须|必须|应当|应|务必|需)"
    r"|^(?:请各|请有关|请你们|请于)|必须|务必|应当|不得|严禁|[^，。；：,;]{1,12}须"
)
# Reported speech ("《意见》指出，要…", "会议强调") is a summary, not a duty.
_RE_REPORTED = re.compile(r"^(?:《[^》]{1,40}》|[^，。；：]{0,12}(?:会议|讲话|文件))(?:指出|强调|要求|提出|明确)")
_RE_DUE = re.compile(
    r"\d{1,2}\s*月\s*(?:\d{1,2}\s*日|底|[上中下]旬)\s*(?:前|之前|以前)"
    r"|(?:年底|月底)\s*(?:前|之前)|\d+\s*个?(?:工作日|日|天|周|个月)内"
)
_RE_FORWARD = re.compile(r"(?:印发|转发|发)给你们|印发你们|现予印发|现印发|将本(?:通知|文件|意见|方案)转发")


def split_closing(body: list[Para]) -> tuple[list[Para], list[Para]]:
    """Separate closing paragraphs that stand outside the numbering.

    ``…16．【健全考核评价机制】…`` / (blank line) / ``各党总支要…于2月28日前报党委组织部。``:
    after the last numbered item, up to three unnumbered paragraphs set off by a larger gap
    than usual, in a document whose items are one paragraph each, are the document's
    closing words, not the last item's text (they are no row either: they stay in the
    document's body).  Articles never lose paragraphs this way.  Returns (body, closing).
    """
    labels = [recognize_label(p.text.strip()) for p in body]
    labelled = [lab is not None for lab in labels]
    if not any(labelled):
        return body, []
    last = max(i for i, is_label in enumerate(labelled) if is_label)
    if labels[last].kind.is_division or labels[last].kind is LabelKind.ARTICLE:
        return body, []  # an article's further paragraphs are its 款
    tail = body[last + 1 :]
    if not 1 <= len(tail) <= 3:
        return body, []
    gaps = [body[i].lineno - (body[i - 1].lineno + body[i - 1].nlines) for i in range(1, len(body))]
    typical = Counter(gaps).most_common(1)[0][0] if gaps else 0
    if gaps[last] <= typical:  # gaps[last] is the gap before body[last + 1]
        return body, []
    items = [i for i, is_label in enumerate(labelled[:last]) if is_label]
    single = sum(1 for i in items if labelled[i + 1])
    if len(items) < 3 or single < 0.8 * len(items):
        return body, []
    return body[: last + 1], tail


def paragraph_items(body: list[Para]) -> list[TreeItem]:
    """Rows of a document without any numbering.

    A short notice often has no labels at all: its duties are plain paragraphs.  Each
    paragraph that names an actor with a modal verb (``各学院要…``, ``学生须…``, ``请各…``)
    or states a deadline (``1月22日前``, ``10个工作日内``) becomes a level-1 row with an empty
    label and the path ``¶N`` (N counts these rows).  Lead-ins ending in ``：``, the
    forwarding sentence of a cover letter (``现将《…》印发给你们，请认真贯彻执行。``),
    boilerplate, contact and attachment lines are not rows.
    """
    out: list[TreeItem] = []
    for para in body:
        text = para.text.strip()
        if (
            not text
            or text.endswith(("：", ":"))
            or RE_BOILER.match(text)
            or RE_CONTACT_LINE.match(text)
            or RE_ATTACH_LIST.match(text)
            or _RE_FORWARD.search(text)
            or _RE_REPORTED.match(text)
            or recognize_label(text) is not None
        ):
            continue
        if not (_RE_ACTOR_MODAL.search(text) or _RE_DUE.search(text)):
            continue
        if not text.endswith(("。", "；", ";", "！", "）", ")")):
            continue
        n = len(out) + 1
        out.append(TreeItem("", [f"¶{n}"], 1, "", text, True, None))
    return out


__all__ = ["paragraph_items", "split_closing"]

"""Build the numbered tree of one document and decide which nodes are requirements.

Label kinds have no fixed depth, so the level order is learnt per document from first
appearance and kept on a stack: a label of a kind already open closes everything below it;
a new kind opens a level below the current one.  Sequence checks reject labels that cannot
be the next one (``一、`` after ``三、`` is a wrapped sentence, ``（5）`` without ``（4）`` an
inline enumeration) — both continuous (``（一）…（十八）`` across sections) and restarting
numbering are accepted.

Requirement rule (documented here because it is a judgment call):

* a leaf node with its own text is a requirement; a node with numbered children is a heading;
* a 章/节/编 is a heading, except a leaf 章/节 that holds paragraphs of its own (a 规划
  whose 节 are written as prose): it is a row with the title as heading;
* every article (第X条) is a requirement and its enumerated children are not (they are the
  article's conditions or duties); a 章/节 with articles is a heading;
* a node whose own text announces a list (``下列…``, ends with ``：``) keeps its children as
  checklist items: the node is the requirement, the children are not — unless most children
  carry their own title (``工作程序如下：（一）提出申请。…``) or have sub-items, in which case
  they are ordinary items;
* nodes under a context heading (指导思想, 基本原则, 总体要求, 工作目标, 重大意义, 背景 …)
  and contact sections are not requirements;
* items inside 专栏 boxes are dropped: they are sidebars, not part of the main sequence.

Headings follow :mod:`.headings`; the closing words and the rows of unnumbered notices
:mod:`.unnumbered`; 任务分解表 rows (``| 序号 | 重点任务 | 牵头单位 | … |``) become items by
:mod:`.tables`.

Text that never belongs to an item: contact lines (``联系人：…``, ``电话：…``, ``邮箱：…``);
everything after a ``附件：…`` line at the end of the body until the next accepted label
(attachment titles, flattened tables); the rows of a flattened table after its ``序号 …``
header row (numbered rows included).  Field lines of a task block (``责任单位：X``,
``完成时限：Y``) that follow a list introduced by a lead-in ending in ``：`` (``整改措施：``
``1.… 2.…``) belong to the list's owner, not to its last entry.  ``问题一：`` / ``任务2：``
blocks are items (kind ``block``), except right under an item with the same number
(``1.问题标题`` / ``问题1：描述``), where they are that item's own text.

编/部分 > 章 > 节 > 条 rank by definition; every other kind ranks by first appearance.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .headings import heading_of, is_checklist
from .markers import RE_ATTACH_LIST, RE_BOILER, RE_CONTACT_LINE, is_table_row
from .normalize import Para
from .numbering import Label, LabelKind, recognize_label
from .tables import read_task_rows, split_row
from .tree import Node, TreeItem
from .vocabulary import FIELD_LABELS, RE_FIELD_LINE, alternation

K = LabelKind
# "二、（一）指导思想。": an outer label of these kinds may carry an inner one of those.
_GLUED_OUTER = {K.CN_DUN, K.PART, K.CHAPTER, K.SECTION}
_GLUED_INNER = {K.CN_PAREN, K.ARABIC_PAREN, K.ARABIC, K.ARTICLE}
_CONTEXT = re.compile(
    r"指导思想|基本原则|总体要求|工作目标|主要目标|总体目标|发展目标|改革目标|建设目标|目标任务|"
    r"重大意义|重要意义|充分认识|发展现状|现状|背景|形势|态势|总体思路|基本思路|工作原则|战略目标|前言|出台背景|"
    r"^(?:发展基础|主要成就|发展成就|发展环境|(?:面临的)?机遇(?:与|和)挑战)$|"
    r"^[\u4e00-\u9fff]{0,4}目标(?:要求|任务)?$"
)
_CONTACT = re.compile(r"联系方式|联系人|联系电话|咨询电话")
_RE_BOX = re.compile(r"^专栏\s*[0-9一二三四五六七八九十]+")
_RE_QA = re.compile(r"^(问|答)\s*[：:]")
# The header row of a table flattened into text ("序号 重点任务 牵头单位 配合单位 完成时限").
_RE_TABLE_HEAD = re.compile(r"^序\s*号(?:\s|$)")


def split_glued(label: Label) -> list[Label]:
    """``二、（一）指导思想。`` carries two labels: return both (outer first)."""
    out = [label]
    inner = recognize_label(label.rest) if label.rest else None
    if inner is not None and inner.kind != label.kind and inner.kind in _GLUED_INNER and label.kind in _GLUED_OUTER:
        out = [
            Label(label.kind, label.number, label.label, label.norm, "", label.start),
            inner,
        ]
    return out


class _Builder:
    def __init__(self) -> None:
        self.roots: list[Node] = []
        self.stack: list[Node] = []
        self.order: list[LabelKind] = []  # kinds in first-appearance order
        self.last: dict[LabelKind, int] = {}  # last number per kind, document-wide
        self.box: str | None = None  # the title of an open 专栏 (sidebar)
        self.box_last: dict[LabelKind, int] = {}
        self.attach_list = False
        self.in_appendix = False  # after "附件：…" at the end of the body
        self.in_table = False  # after a "序号 …" table header row
        self.after_plain_heading = False

    # -- sequence checks -------------------------------------------------------------

    def _accept(self, lab: Label) -> bool:
        kinds = [n.label.kind for n in self.stack]
        if lab.kind in kinds:
            cur = self.stack[kinds.index(lab.kind)].label.number
            if cur < lab.number <= cur + 2:
                return True
            if lab.number == cur and self._hollow_glued(self.stack[kinds.index(lab.kind)]):
                return True  # "二、（一）指导思想。" … "二、支柱产业…": see _unglue
            # Restart at 1 is only valid under a new parent (which pops this kind first) or
            # after an unnumbered sub-heading ("疫情期间中小学线上教学工作情况").
            return lab.number == 1 and self.after_plain_heading
        last = self.last.get(lab.kind)
        if lab.number == 1:
            return True
        if last is not None and last < lab.number <= last + 2:
            return True  # continuous numbering across parents
        if lab.kind.is_division and last is None and K.ARTICLE in self.last and _title_only(lab):
            return True  # 第一章 lost in copying: a 第二章 after 第一条… is still a chapter
        # An excerpt that starts mid-regulation.
        return not self.stack and not self.roots and lab.kind in {K.ARTICLE, K.CHAPTER}

    def _learn_kind(self, kind: LabelKind) -> None:
        """Append a new label kind to the level order — except that 编/部分 > 章 > 节 > 条
        rank by definition: a 第一节 first seen after 第一条 still goes above the articles."""
        if kind.rank is not None:
            for i, known in enumerate(self.order):
                if known.rank is not None and known.rank > kind.rank:
                    self.order.insert(i, kind)
                    return
        self.order.append(kind)

    @staticmethod
    def _hollow_glued(node: Node) -> bool:
        return node.glued and not node.text_parts

    def _unglue(self, node: Node) -> None:
        """A glued outer label repeated later was a typo: ``一、总体要求`` / ``二、（一）指导
        思想。`` … ``二、支柱产业``.  Its children belong to the previous sibling, and the
        later label is the real one."""
        siblings = node.parent.children if node.parent else self.roots
        idx = siblings.index(node)
        prev = siblings[idx - 1] if idx > 0 else None
        if prev is None or prev.label.kind != node.label.kind:
            node.glued = False
            return
        for ch in node.children:
            ch.parent = prev
        prev.children.extend(node.children)
        del siblings[idx]

    def add_label(self, lab: Label, *, glued: bool = False) -> bool:
        if self.box is not None:
            # Inside a 专栏: the box ends when a label fits the main sequence but not the box's.
            bl = self.box_last.get(lab.kind)
            fits_box = (bl is None and lab.number == 1) or (bl is not None and lab.number == bl + 1)
            if fits_box:
                self.box_last[lab.kind] = lab.number
                return True
            self.box = None
        if not self._accept(lab):
            return False
        if lab.kind not in self.order:
            self._learn_kind(lab.kind)
        kinds = [n.label.kind for n in self.stack]
        if lab.kind in kinds:
            same = self.stack[kinds.index(lab.kind)]
            if same.label.number == lab.number and self._hollow_glued(same):
                self._unglue(same)
            elif lab.number <= same.label.number and self.after_plain_heading:
                # A restarted list: its lead-in / sub-heading belongs to the parent, not
                # to the last item of the previous list.
                last = self.stack[-1]
                if last.text_parts and same.parent is not None:
                    same.parent.text_parts.append(last.text_parts.pop())
            del self.stack[kinds.index(lab.kind) :]
        else:
            # A kind that ranks above the top of the stack closes the deeper levels.
            rank = self.order.index(lab.kind)
            while self.stack and self.order.index(self.stack[-1].label.kind) > rank:
                self.stack.pop()
        node = Node(lab, [lab.rest] if lab.rest else [], glued=glued)
        if self.stack:
            node.parent = self.stack[-1]
            self.stack[-1].children.append(node)
        else:
            self.roots.append(node)
        self.stack.append(node)
        self.last[lab.kind] = lab.number
        # A deeper kind restarts below a new parent: forget the numbers of deeper kinds
        # only when they restart (handled by accepting 1 above), keep for continuity.
        return True

    def add_table(self, lines: list[str]) -> None:
        """A 任务分解表 gives one node per task under the open item; any other table stays
        in the open item's text, one line a row."""
        tasks = read_task_rows([split_row(t) for t in lines])
        if self.box is not None or self.in_appendix:
            return
        if not tasks:
            for text in lines:
                self.add_text(text)
            return
        parent = self.stack[-1] if self.stack else None
        siblings = parent.children if parent else self.roots
        for n, task in enumerate(tasks, start=1):
            norm = re.sub(r"\s+", "", task.label) or f"#{n}"
            siblings.append(Node(Label(K.ARABIC, n, task.label, norm, ""), parent=parent, row=task))

    def add_text(self, text: str) -> None:
        if self.box is not None:
            return
        if RE_FIELD_LINE.match(text) and len(self.stack) >= 2:
            # "整改措施：1.… 2.… 责任单位：X 完成时限：Y": field lines after a list that a
            # lead-in (ending in ：) introduced belong to the list's owner, not to its last
            # entry.
            top, parent = self.stack[-1], self.stack[-2]
            if not top.children and parent.text_parts and parent.text_parts[-1].rstrip().endswith(("：", ":")):
                self.stack.pop()
        elif _RE_ANNOTATION_LINE.match(text) and len(self.stack) >= 2 and self._closes_list():
            # "4.突出教学实绩。（1）…（2）…" / "（责任单位：教务处、人事处）": an annotation on a
            # line of its own after a list none of whose entries has one names the list's owner.
            self.stack.pop()
        if self.stack:
            self.stack[-1].text_parts.append(text)

    def _closes_list(self) -> bool:
        top, parent = self.stack[-1], self.stack[-2]
        siblings = parent.children
        return (
            not top.children
            and len(siblings) >= 2
            and siblings[-1] is top
            and not any(_RE_ANNOTATION_IN.search(p) for ch in siblings for p in ch.text_parts)
        )


# A responsibility annotation standing alone: "（责任单位：教务处、人事处）".
_RE_ANNOTATION_LINE = re.compile(rf"^[（(]\s*(?:{alternation(FIELD_LABELS)})\s*[：:][^（()）]*[）)]。?$")
_RE_ANNOTATION_IN = re.compile(rf"[（(]\s*(?:{alternation(FIELD_LABELS)})\s*[：:]")


def _title_only(lab: Label) -> bool:
    """``第二章 安全责任``: a label followed by a short title, not by a sentence."""
    return len(lab.rest) <= 30 and not re.search(r"[。；;，,：:！？]", lab.rest)


_RE_TOC_HEADER = re.compile(r"^目\s*录$")


def drop_heading_toc(body: list[Para]) -> list[Para]:
    """Drop a table of contents without page numbers (a law's ``目录`` / ``第一章 总则`` /
    ``第二章 …`` run, repeated by the body): two or more title-only divisions, after a ``目录``
    line or followed by the first of them again."""
    out: list[Para] = []
    i = 0
    while i < len(body):
        header = bool(_RE_TOC_HEADER.match(body[i].text.strip()))
        start = i + 1 if header else i
        k = start
        norms: list[str] = []
        while k < len(body):
            lab = recognize_label(body[k].text.strip())
            if lab is None or not lab.kind.is_division or not _title_only(lab) or lab.norm in norms:
                break
            norms.append(lab.norm)
            k += 1
        repeated = k < len(body) and (lab := recognize_label(body[k].text.strip())) is not None
        repeated = repeated and bool(norms) and lab.norm == norms[0]
        if len(norms) >= 2 and (header or repeated):
            i = k
            continue
        if header and not norms:
            i += 1  # a lone 目录 line
            continue
        out.append(body[i])
        i += 1
    return out


def build_tree(body: list[Para]) -> list[Node]:
    """Build the numbered tree from a document body."""
    b = _Builder()
    for text in _texts(drop_heading_toc(body)):
        if isinstance(text, list):
            b.add_table(text)
            continue
        if _RE_BOX.match(text):
            b.box = text
            b.box_last = {}
            continue
        if RE_CONTACT_LINE.match(text):
            continue
        if RE_ATTACH_LIST.match(text):
            b.attach_list = True
            b.in_appendix = bool(b.roots)
            continue
        if _RE_TABLE_HEAD.match(text):
            b.in_table = True
            continue
        lab = recognize_label(text)
        if (
            lab is not None
            and lab.kind is K.BLOCK
            and b.stack
            and b.stack[-1].label.kind.is_item
            and b.stack[-1].label.number == lab.number
            and not b.stack[-1].children
        ):
            lab = None  # "1.问题标题" / "问题1：…": the item describing its own problem
        if lab is not None and b.attach_list and lab.kind is K.ARABIC:
            continue  # "附件：1.… / 2.…"
        if lab is not None and b.in_table and lab.kind.arabic:
            continue  # a numbered table row
        b.attach_list = False
        if lab is None:
            if b.in_table and _prose(text):
                b.in_table = False  # "各区要对照上表抓好落实，…。" after the table
            if RE_BOILER.match(text) or b.in_appendix or b.in_table:
                continue
            b.add_text(text)
            # A restart at 1 is a new list after a sub-heading ("疫情期间中小学线上教学工作
            # 情况") or after a lead-in ("申报示范高校具备以下基本条件：").
            b.after_plain_heading = (len(text) <= 30 and not re.search(r"[。；;！？，,：:]", text)) or (
                len(text) <= 60 and text.endswith(("：", ":"))
            )
            continue
        labels = split_glued(lab)
        accepted = b.add_label(labels[0], glued=len(labels) > 1)
        b.after_plain_heading = False
        if not accepted:
            if not (b.in_appendix or b.in_table):
                b.add_text(text)
            continue
        b.in_appendix = b.in_table = False
        for inner in labels[1:]:
            if b.box is None and not b.add_label(inner):
                b.add_text(inner.label + inner.rest)
    return b.roots


def _texts(body: list[Para]) -> Iterator[str | list[str]]:
    """The paragraphs' texts, each run of table rows (``| a | b |``) as one list."""
    run: list[str] = []
    for para in body:
        text = para.text.strip()
        if is_table_row(text):
            run.append(text)
            continue
        if run:
            yield run
            run = []
        if text:
            yield text
    if run:
        yield run


def _prose(text: str) -> bool:
    """A sentence, not a table cell or row: ends a sentence and is not short."""
    return len(text) > 30 and text.endswith(("。", "；", ";", "！")) and "  " not in text


def flatten(roots: list[Node], *, doc_kind: str = "normative") -> list[TreeItem]:
    """Flatten the tree in document order with paths, levels, headings and requirement flags."""
    out: list[TreeItem] = []

    def walk(
        node: Node,
        path: list[str],
        context: bool,
        under_article: bool,
        under_list: bool,
    ) -> None:
        lab = node.label
        if node.row is not None:
            row_path = [*path, lab.norm]
            out.append(
                TreeItem(
                    lab.label, row_path, len(row_path), node.row.heading, node.row.text, not context, lab.kind, node.row
                )
            )
            return
        heading = heading_of(node)
        text = node.own_text
        has_children = bool(node.children)
        struct_body = (
            lab.kind.is_division
            and not has_children
            and len([p for p in node.text_parts if p]) > (1 if lab.rest else 0)
        )
        if lab.kind.is_division and not struct_body:
            text = lab.rest.strip()
        ctx = context or bool(heading and _CONTEXT.search(heading)) or bool(_CONTACT.search(heading or ""))
        if not heading and lab.kind is not K.ARTICLE and _CONTEXT.match(text):
            ctx = True
        if lab.kind.is_division:
            # A 节/章 of a plan that holds paragraphs but no numbered children is a row.
            req = struct_body and not under_article
        elif lab.kind is K.ARTICLE:
            req = not under_article and not under_list
        elif under_article or under_list:
            req = False
        elif has_children:
            req = is_checklist(node) and len(text) > len(heading) + 4
        else:
            req = bool(text.strip()) and text.strip() != heading
        if ctx and lab.kind is not K.ARTICLE:
            # Articles are rows even in a chapter called 基本原则 or 总则 (one row per
            # article, see the module docstring).
            req = False
        if _RE_QA.match(text):
            req = False
        my_path = [*path, lab.norm]
        out.append(TreeItem(lab.label.strip(), my_path, len(my_path), heading, text, req, lab.kind))
        child_list = under_list or (has_children and req and lab.kind is not K.ARTICLE and is_checklist(node))
        for ch in node.children:
            walk(ch, my_path, ctx, under_article or lab.kind is K.ARTICLE, child_list)

    for r in roots:
        walk(r, [], False, False, False)
    return out


__all__ = ["Node", "TreeItem", "build_tree", "drop_heading_toc", "flatten", "split_glued"]

"""The numbered tree of a document: nodes while it is built, items once flattened. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field

from .numbering import Label, LabelKind
from .tables import TaskRow


@dataclass
class Node:
    label: Label
    text_parts: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    glued: bool = False  # the outer label of "二、（一）…", with no text of its own
    row: TaskRow | None = None  # a row of a 任务分解表, read from its cells

    @property
    def own_text(self) -> str:
        return "\n".join(p for p in self.text_parts if p)


@dataclass
class TreeItem:
    """A numbered node flattened in document order."""

    label: str
    path: list[str]
    level: int
    heading: str
    text: str
    is_requirement: bool
    kind: LabelKind | None  # None: an unnumbered paragraph row
    row: TaskRow | None = None  # a 任务分解表 row: its units and deadline come from its cells


__all__ = ["Node", "TreeItem"]

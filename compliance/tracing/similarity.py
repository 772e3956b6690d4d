"""Chinese text similarity between requirement rows: jieba words ranked with BM25 (rank-bm25).

Pure: strings in, dataclasses out; no ORM and no settings, so ``manage.py trace_links`` (no
database) and the in-app link proposals rank with exactly the same code. jieba's dictionary ships
inside its package: nothing is downloaded at run time.

Each row is represented by its heading and text plus, at half weight, the headings of the sections
above it (a university task often repeats its section's theme, not the upstream item's words).
Words that say nothing about the subject (推进, 加强, 工作 …) are dropped, as are single characters
and punctuation, so the ranking rests on the subject words (实验室安全, 成果转化, 网络安全 …).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import jieba
from rank_bm25 import BM25Okapi

jieba.setLogLevel(logging.WARNING)
_init_lock = threading.Lock()
_initialised = False

# Verbs and filler common to every 工作要点 and 实施方案: they match everything, so they rank nothing.
STOPWORDS = frozenset(
    """
    加强 推进 推动 深入 进一步 全面 积极 持续 不断 切实 扎实 大力 着力 加快 深化 完善 健全 建立 建设 提升 提高
    强化 落实 贯彻 实施 开展 组织 做好 抓好 坚持 支持 鼓励 引导 促进 发挥 加大 统筹 围绕 按照 根据 有关 相关
    工作 任务 要求 方面 重点 主要 各项 工作要点 机制 体系 能力 水平 作用 重要 重大 以及 进行 通过 实现 形成 保障
    我们 各级 各类 有效 持续性 年度 今年 全年 学校 高校 大学 我校 各单位 各部门 部门 单位 牵头 配合 负责 责任
    完成 之前 以前 以上 以下 前 月 日 年 等 和 与 及 或 的 了 在 对 为 是 将 把 从 向 于 由 并 其 其中 一个 一批
    """.split()
)
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9.+]+")
CONTEXT_WEIGHT = 0.5


def _ensure_initialised() -> None:
    global _initialised
    if not _initialised:
        with _init_lock:
            if not _initialised:
                jieba.initialize()
                _initialised = True


def tokenize(text: str) -> list[str]:
    """The subject words of ``text``: jieba's search-mode segmentation (each word and the shorter words
    inside it, so 科技成果 also matches 成果) less stop words, punctuation and single characters."""
    _ensure_initialised()
    words = []
    for chunk in _WORD.findall(text or ""):
        for w in jieba.lcut_for_search(chunk):
            w = w.strip().lower()
            if len(w) < 2 or w in STOPWORDS or w.isdigit():
                continue
            words.append(w)
    return words


@dataclass(frozen=True)
class Passage:
    """One requirement row to compare: an identifier of the caller's, its path, its text.

    ``context`` holds the titles of the sections above it (weighted at half).
    """

    key: Hashable
    path: tuple[str, ...]
    text: str
    context: str = ""


@dataclass(frozen=True)
class Candidate:
    key: Hashable
    path: tuple[str, ...]
    score: float


@dataclass
class UpstreamIndex:
    """A BM25 index over the requirement rows of an upstream document."""

    passages: Sequence[Passage]
    _bm25: BM25Okapi | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        corpus = [tokenize(p.text) + tokenize(p.context) for p in self.passages]
        # BM25Okapi divides by the average length: an index of empty rows ranks nothing.
        self._bm25 = BM25Okapi(corpus) if any(corpus) else None

    def rank(self, passage: Passage, *, top: int = 3) -> list[Candidate]:
        """The ``top`` most similar upstream rows, best first; rows sharing no word are left out."""
        if self._bm25 is None or top <= 0:
            return []
        own = self._bm25.get_scores(tokenize(passage.text))
        context_words = tokenize(passage.context)
        extra = self._bm25.get_scores(context_words) if context_words else [0.0] * len(own)
        scored = [(float(a) + CONTEXT_WEIGHT * float(b), i) for i, (a, b) in enumerate(zip(own, extra, strict=True))]
        scored = [(s, i) for s, i in scored if s > 0]
        scored.sort(key=lambda si: (-si[0], si[1]))
        return [
            Candidate(key=self.passages[i].key, path=self.passages[i].path, score=round(s, 4)) for s, i in scored[:top]
        ]


def propose(
    rows: Sequence[Passage], upstream: Sequence[Passage], *, top: int = 3
) -> list[tuple[Passage, list[Candidate]]]:
    """For each row, its ``top`` candidates among the upstream rows (best first)."""
    index = UpstreamIndex(upstream)
    return [(row, index.rank(row, top=top)) for row in rows]

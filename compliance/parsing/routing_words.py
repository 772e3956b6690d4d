"""Keyword routing, cautious: which departments' words a clause contains, and how strongly.

The office gives each department routing words (教务处: 课程, 教材 …). A clause proposes a lead
only when the evidence is strong, because a wrong proposal costs more than none (the office
assigns by hand anyway):

- **strength** of a department = for each of its words found: weight by length (2 characters 1,
  3 characters 2, 4 or more 3) × occurrences (at most 3), plus the weight again when the word is
  in the clause's heading;
- **theme words** of a document (found in half of its clauses or more, at least 4) say what the
  whole document is about (人工智能 in an AI plan) and route nothing;
- a lead is proposed only at ``min_strength`` or more and well ahead of the next department;
- a clause about matters outside a university (industry, agriculture, city management …, with
  no word about teaching, research or students) is suggested 不适用 and gets no proposal.

Spreading one department over most of a document is checked by the caller, which sees all
clauses (``services.routing``). Pure: strings in, dataclasses out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# Words that say a clause concerns a university's own business.
UNIVERSITY_WORDS = (
    "高校", "高等学校", "学校", "大学", "学院", "院校", "学生", "教师", "师生", "教学", "课程", "学科",
    "人才培养", "研究生", "本科", "校园", "招生", "毕业生", "教材", "实验室", "科研", "教育",
)  # fmt: skip
# Words that say it concerns business outside a university (a province's industries and services).
OUTSIDE_WORDS = (
    "企业", "产业", "工业", "制造", "农业", "农村", "农作物", "养殖", "农机", "城市管理", "智慧城市",
    "交通", "政务", "金融", "景区", "文旅", "旅游", "医疗", "医院", "医药", "社区", "消费", "商务",
    "招商", "市场主体", "供应链", "防汛", "地质灾害", "消防救援", "生态环境", "自然资源", "气象",
)  # fmt: skip


def word_weight(word: str) -> float:
    return 1.0 if len(word) <= 2 else 2.0 if len(word) == 3 else 3.0


@dataclass(frozen=True)
class WordMatch:
    """One department's words found in a clause, and how strongly they point at it."""

    key: int
    words: tuple[str, ...]
    strength: float


@dataclass
class KeywordVerdict:
    """What the words of one clause suggest: a lead (or none), other candidates, 不适用."""

    matches: list[WordMatch] = field(default_factory=list)  # strongest first
    lead: int | None = None
    co: list[int] = field(default_factory=list)
    not_applicable: tuple[str, ...] = ()  # the outside words, when the clause is not a university's business
    ignored: tuple[str, ...] = ()  # theme words of the document, found here and not counted


def outside_business(text: str) -> tuple[str, ...]:
    """The outside words of a clause mostly about matters outside a university; else ().

    At least two different outside words, and at least twice as many as different university
    words: 医疗, 医院, 医药 outweigh a passing 科研机构; 高校 and 院校 keep a talent clause that also
    names 企业.
    """
    outside = tuple(w for w in OUTSIDE_WORDS if w in text)
    university = [w for w in UNIVERSITY_WORDS if w in text]
    return outside if len(outside) >= 2 and len(outside) >= 2 * len(university) else ()


def theme_words(texts: Sequence[str], rules: Mapping[int, Sequence[str]], *, share: float = 0.5) -> set[str]:
    """Routing words found in at least ``share`` of a document's clauses (and in 4 or more)."""
    if len(texts) < 4:
        return set()
    words = {w for ws in rules.values() for w in ws if w}
    seen = Counter(w for text in texts for w in words if w in text)
    return {w for w, n in seen.items() if n >= 4 and n >= share * len(texts)}


def word_matches(
    heading: str, text: str, rules: Mapping[int, Sequence[str]], *, ignore: Iterable[str] = ()
) -> list[WordMatch]:
    """Every department whose words the clause contains, strongest first."""
    skip = set(ignore)
    found = []
    for key, words in rules.items():
        hits = tuple(w for w in dict.fromkeys(words) if w and w not in skip and w in text)
        if not hits:
            continue
        strength = sum(word_weight(w) * (min(text.count(w), 3) + (1 if w in heading else 0)) for w in hits)
        found.append(WordMatch(key=key, words=hits, strength=strength))
    return sorted(found, key=lambda m: (-m.strength, m.key))


def keyword_verdict(
    heading: str,
    text: str,
    rules: Mapping[int, Sequence[str]],
    *,
    min_strength: float,
    theme: Iterable[str] = (),
    lead_margin: float = 1.5,
) -> KeywordVerdict:
    """The cautious proposal for one clause (see the module docstring)."""
    full = f"{heading} {text}" if heading and heading not in text else text
    theme = set(theme)
    verdict = KeywordVerdict(
        matches=word_matches(heading, full, rules, ignore=theme),
        ignored=tuple(sorted(w for w in theme if w in full)),
        not_applicable=outside_business(full),
    )
    if verdict.not_applicable:
        return verdict
    strong = [m for m in verdict.matches if m.strength >= min_strength]
    if not strong:
        return verdict
    runner_up = verdict.matches[1].strength if len(verdict.matches) > 1 else 0.0
    if strong[0].strength >= lead_margin * runner_up:
        verdict.lead = strong[0].key
        verdict.co = [m.key for m in strong[1:]]
    return verdict

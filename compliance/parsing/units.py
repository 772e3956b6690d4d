"""Responsibility units (牵头单位 / 配合单位) named in one item's text. Pure: no Django.

Chinese policy plans name who does each task in three ways:

* an annotation in brackets at the end of the item, ``（牵头单位：X；配合单位：Y、Z）``,
  ``（责任单位：A、B、C）``, ``（牵头领导：张三；牵头部门：国际处）`` - ASCII or full-width
  punctuation, often wrapped by the PDF extractor (even inside the keyword);
* the same ``KEY：list`` pairs unbracketed at the very end of the item (or as the whole item);
* a closing bracket in prose, State Council style: ``（教育部牵头，财政部等按职责分工负责）``,
  ``（人力资源社会保障部、教育部按职责分工负责）`` (removed from the text like an annotation);
* prose, ``由X牵头，Y配合`` / ``由X负责`` / ``由X会同Y``.

Annotations are unambiguous, so they are removed from the text and win over prose. Prose is only
read when it names something that looks like an organisation; a wrong unit costs the tracker more
than a missing one (a human fills in the gap, nobody notices a wrong owner).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .vocabulary import (
    CO_UNIT_LABELS,
    LEAD_UNIT_LABELS,
    LEADER_LABELS,
    PERSON_LABELS,
    RESPONSIBLE_UNIT_LABELS,
    alternation,
)

__all__ = ["extract_units", "looks_like_org", "split_unit_list"]

# --- annotation keywords (the roles are documented in .vocabulary) --------------------------------

_ROLE_BY_KEY: dict[str, str] = {
    **dict.fromkeys(LEAD_UNIT_LABELS, "lead"),
    **dict.fromkeys(RESPONSIBLE_UNIT_LABELS, "responsible"),
    **dict.fromkeys(CO_UNIT_LABELS, "co"),
    # People, not units: recognised so that the annotation is removed, never returned.
    **dict.fromkeys(LEADER_LABELS + PERSON_LABELS, "person"),
}
_KEY_ALT = alternation(_ROLE_BY_KEY, spaced=True)
_COLON = r"\s*[:：]\s*"
_KEY_RE = re.compile(rf"(?P<key>{_KEY_ALT}){_COLON}")
_OPEN_BRACKETS = "（(【〔["
_CLOSE_BRACKETS = "）)】〕]"
_BRACKET_START_RE = re.compile(rf"[{re.escape(_OPEN_BRACKETS)}]\s*(?={_KEY_ALT}\s*[:：])")
# Unbracketed annotation: KEY：list (sep KEY：list)* at the very end, starting a clause.
_TRAILING_RE = re.compile(
    rf"(?:^|(?<=[。；;！!？?）)\]】\s]))\s*(?P<body>(?:{_KEY_ALT}){_COLON}[^。！？!?]*?)[。；;.\s]*\Z"
)
_WS_RE = re.compile(r"\s+")
_OTHER_FIELD_RE = re.compile(r"(?:^|[；;，,、\s])\s*[\u4e00-\u9fff]{2,8}\s*[:：]")
_SEP_CHARS = "、，,；;/／"
_TRIM_CHARS = " \t\r\n\u3000。．.，,；;：:、!！?？\"'“”‘’"

# --- organisation names in prose -----------------------------------------------------------------

_ORG_SUFFIXES = (
    "委员会",
    "办公室",
    "办公厅",
    "办事处",
    "研究院",
    "研究所",
    "研究中心",
    "科研院所",
    "领导小组",
    "工作组",
    "小组",
    "部门",
    "单位",
    "政府",
    "中心",
    "学院",
    "大学",
    "学校",
    "高校",
    "院系",
    "团委",
    "工会",
    "党委",
    "党组",
    "机构",
    "企业",
    "公司",
    "集团",
    "银行",
    "分行",
    "支行",
    "人行",
    "科室",
    "处室",
    "街道",
    "社区",
    "乡镇",
    "总队",
    "支队",
    "部",
    "厅",
    "局",
    "委",
    "处",
    "办",
    "院",
    "室",
    "馆",
    "会",
    "组",
    "所",
    "站",
    "队",
    "司",
    "署",
    "社",
    "台",
    "团",
)
_ORG_SUFFIX_RE = re.compile("(?:" + "|".join(map(re.escape, _ORG_SUFFIXES)) + r")$")
# Words that end in an organisation suffix but are people or not bodies at all.
_NOT_ORG_END_RE = re.compile(
    r"(?:领导|书记|校长|院长|主任|部长|厅长|局长|处长|科长|同志|负责人|责任人|本人|场所|住所"
    r"|全会|大会|会议|晚会|机会|社会|体会|学会|协会会员|委托|全部|内部|外部|局部|干部|细部"
    r"|顶部|底部|各部|全院|组织|分组|重组|编组)$"
)
# Verbs and function words that never start an organisation name in these texts.
_NOT_ORG_START_RE = re.compile(
    r"^(?:支持|推动|鼓励|引导|依托|发挥|加强|组织|要求|督促|指导|请|由|和|与|及|并|对|在|将|把|"
    r"按照|根据|通过|经|报|向|从|自|以|为|是|其|该|此|这|那|本人|所|被|让|使|或|等|如)"
)
_NOT_ORG_ANYWHERE_RE = re.compile(r"[的地得了着过吗呢吧啊等]|指定|确定|认定|选定|所在|负责|牵头|配合|会同")
_PUNCT_IN_NAME_RE = re.compile(r"[。！？!?；;：:，,“”\"'‘’《》<>]")

# A list of names is one lazy run of name characters and 、 (和/及/与 are CJK characters, so they
# are inside it); ``orgs`` splits and checks it. One flat class keeps matching linear: nested
# name-list repetitions backtrack exponentially on long runs without a keyword.
_NAME_LIST = r"[\u4e00-\u9fffA-Za-z0-9（）()·、]{2,60}?"
_CLAUSE_START = r"(?:^|(?<=[。；;！!？?：:，,\s）)]))"
_PROSE_LEAD_CO_RE = re.compile(
    rf"{_CLAUSE_START}由?(?P<lead>{_NAME_LIST})牵头[，,、]?\s*"
    rf"(?P<co>{_NAME_LIST})(?:等)?(?:共同|积极|密切|协同)?(?:配合|参与|协同|协助|参加)"
)
_PROSE_LEAD_ONLY_RE = re.compile(rf"由(?P<lead>{_NAME_LIST})(?:牵头|负责|主责|统筹|组织实施)(?!人|制)")
# The co list after 会同 has no closing keyword: take a run of name characters and let
# ``_leading_orgs`` find where the names end (教育部共同管理 -> 教育部).
_PROSE_WITH_RE = re.compile(rf"由(?P<lead>{_NAME_LIST})会同(?P<co>[\u4e00-\u9fffA-Za-z0-9（）()·、和及与]{{2,60}})")
# Tried in this order, each with a word every match of it holds.
_PROSE_FORMS = ((_PROSE_LEAD_CO_RE, "牵头"), (_PROSE_WITH_RE, "会同"), (_PROSE_LEAD_ONLY_RE, "由"))


def looks_like_org(name: str) -> bool:
    """Tell whether a prose phrase is plausibly an organisation's name (conservative)."""
    if not 2 <= len(name) <= 20:
        return False
    if _PUNCT_IN_NAME_RE.search(name) or _NOT_ORG_START_RE.match(name):
        return False
    if _NOT_ORG_ANYWHERE_RE.search(name) or _NOT_ORG_END_RE.search(name):
        return False
    return bool(_ORG_SUFFIX_RE.search(name))


# --- helpers -------------------------------------------------------------------------------------


def _squash(text: str) -> str:
    """Drop whitespace next to non-ASCII characters (wrap artefacts), keep it between Latin words."""
    if not _WS_RE.search(text):
        return text  # most items: nothing below changes a text without whitespace
    text = re.sub(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])", "", text)
    return _WS_RE.sub(" ", text).strip()


def _dedupe(names: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    seen = set(exclude)
    out: list[str] = []
    for name in names:
        if name and name not in seen:
            seen.add(name)
            out.append(name)
    return out


def split_unit_list(value: str) -> list[str]:
    """Split an annotation's unit list on 、，,；;/ outside brackets; keep names as printed.

    ``各省（区、市）教育厅`` stays one name; a trailing ``等`` (et cetera) is dropped.
    """
    value = _squash(value)
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in value:
        if ch in _OPEN_BRACKETS:
            depth += 1
        elif ch in _CLOSE_BRACKETS:
            depth = max(0, depth - 1)
        if ch in _SEP_CHARS and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    names = []
    for part in parts:
        name = part.strip(_TRIM_CHARS)
        if len(name) > 2 and name.endswith("等"):
            name = name[:-1]
        if name:
            names.append(name)
    return _dedupe(names)


def _find_close(text: str, start: int) -> int | None:
    """Index of the bracket closing the one at ``start`` (nesting-aware), or None."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch in _OPEN_BRACKETS:
            depth += 1
        elif ch in _CLOSE_BRACKETS:
            depth -= 1
            if depth == 0:
                return i
    return None


_Pairs = list[tuple[str, list[str]]]


def _parse_body(body: str) -> tuple[_Pairs, list[str]] | None:
    """Split ``KEY：list；KEY：list`` into (role, names) pairs and the other fields' text.

    None unless the body starts with a unit or person key. Other fields (完成时限：2024年底)
    are returned as printed so that the caller can keep them in the item's text: they are
    not units, and a deadline in them must still reach the deadline extractor.
    """
    keys = list(_KEY_RE.finditer(body))
    if not keys or body[: keys[0].start()].strip():
        return None
    pairs: _Pairs = []
    others: list[str] = []
    for i, match in enumerate(keys):
        end = keys[i + 1].start() if i + 1 < len(keys) else len(body)
        key = _WS_RE.sub("", match.group("key"))
        value = body[match.end() : end]
        # Another field of the annotation (完成时限：…, 备注：…) ends the list.
        other = _OTHER_FIELD_RE.search(value)
        if other:
            rest = _squash(value[other.start() :]).strip(_TRIM_CHARS.replace("。", ""))
            if rest:
                others.append(rest)
            value = value[: other.start()]
        pairs.append((_ROLE_BY_KEY[key], split_unit_list(value)))
    return pairs, others


def _roles_to_units(pairs: _Pairs) -> tuple[list[str], list[str]]:
    has_lead_key = any(role == "lead" for role, _ in pairs)
    lead: list[str] = []
    co: list[str] = []
    for role, names in pairs:
        if role == "lead":
            lead.extend(names)
        elif role == "co":
            co.extend(names)
        elif role == "responsible":
            if has_lead_key or lead:
                co.extend(names)
            else:
                lead.extend(names[:1])
                co.extend(names[1:])
    return lead, co


def _bracketed_annotations(text: str) -> list[tuple[int, int, _Pairs, str]]:
    """(start, end, pairs, replacement) for each bracketed annotation in ``text``."""
    found = []
    pos = 0
    while True:
        match = _BRACKET_START_RE.search(text, pos)
        if not match:
            return found
        close = _find_close(text, match.start())
        if close is None:
            # Unclosed (a truncated item): take the rest of the text as the annotation.
            close = len(text)
        parsed = _parse_body(text[match.start() + 1 : close])
        if parsed:
            pairs, others = parsed
            closing = text[close] if close < len(text) else ""
            keep = text[match.start()] + "；".join(others) + closing if others else ""
            found.append((match.start(), min(close + 1, len(text)), pairs, keep))
            pos = close + 1
        else:
            pos = match.end()


def _prose_units(text: str) -> tuple[list[str], list[str]]:
    """Read ``由X牵头，Y配合`` style phrases; only organisation-looking names survive."""
    text = _squash(text)

    def orgs(names: str) -> list[str]:
        out: list[str] = []
        for part in split_unit_list(names):
            # 和/及/与 join two names only when both halves are names themselves
            # (人力资源和社会保障厅 is one body, 学生处和各学院 are two).
            pieces = re.split(r"[和及与]", part)
            if len(pieces) > 1 and all(len(p) >= 3 and looks_like_org(p) for p in pieces):
                out.extend(pieces)
            else:
                out.append(part)
        return out if out and all(looks_like_org(n) for n in out) else []

    lead: list[str] = []
    co: list[str] = []
    taken: list[tuple[int, int]] = []
    for regex, word in _PROSE_FORMS:
        if word not in text:
            continue  # a cheap look first: each form needs this word
        for match in regex.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            leads = orgs(match.group("lead"))
            if not leads:
                continue
            cos: list[str] = []
            if regex is _PROSE_WITH_RE:
                cos = _leading_orgs(match.group("co"))
            elif "co" in regex.groupindex:
                cos = orgs(match.group("co"))
            lead.extend(leads)
            co.extend(cos)
            taken.append(match.span())
    return lead, co


_VERB_AFTER_NAME_RE = re.compile(
    r"(?:共同|联合|制定|制订|研究|组织|开展|做好|负责|加强|完善|建立|推进|落实|协助|指导|统筹|部署|印发"
    r"|出台|确定|下达|审核|审定|进行|实施|发布|设立|建设|提出|编制|修订|起草|对|按|根据|依|向|在|于|及时"
    r"|定期|抓紧|认真|做|将|把|开发|办理|核定|分配|管理|监督|检查|评估)"
)


def _leading_orgs(run: str) -> list[str]:
    """Organisation names listed at the start of ``run`` (the words after 会同), else [].

    Each name is the shortest organisation-looking prefix followed by a separator (another
    name follows) or by a verb (the list ends): 教育部共同管理 -> 教育部,
    市住房和城乡建设委员会制定 -> 市住房和城乡建设委员会.
    """
    names: list[str] = []
    pos = 0
    while pos < len(run):
        for end in range(pos + 2, min(len(run), pos + 21) + 1):
            name = run[pos:end]
            if not looks_like_org(name):
                continue
            rest = run[end:]
            if rest[:1] in ("、", "，", ","):
                names.append(name)
                pos = end + 1
                break
            if rest[:1] in ("和", "及", "与") and _leading_orgs(rest[1:]):
                names.append(name)
                pos = end + 1
                break
            if not rest or _VERB_AFTER_NAME_RE.match(rest):
                names.append(name)
                return names
        else:
            return []
    return names


# State Council style: "（教育部牵头，国家发展改革委、财政部等按职责分工负责）" at the end.
_PROSE_ROLE_RE = re.compile(
    r"^(?P<names>[\u4e00-\u9fffA-Za-z0-9（）()·、]{2,120}?)\s*(?:等|等部门|等单位)?\s*"
    r"(?P<verb>牵头(?:负责)?|共同牵头|负责|分别负责|共同负责|按职责分工负责|按职责负责|"
    r"按职能分工负责|按职责分工落实|依职责负责|落实|具体落实|组织实施|参与|配合|协助|共同参与|按职责参与)$"
)
_TRAILING_BRACKET_RE = re.compile(r"[（(](?P<body>[^（()）]{2,160})[）)][。．.；;\s]*$")
_COLLECTIVE_RE = re.compile(r"^各(?:地|级|有关|相关|省|市|县|区)")


def _trailing_prose_annotation(text: str) -> tuple[list[str], list[str], int] | None:
    """Read a closing ``（X牵头，Y、Z按职责分工负责）`` / ``（X、Y负责）`` bracket.

    Every segment must be a list of organisation names (or collective ones such as
    ``各地区各部门``) followed by a role verb: 牵头 → lead; 参与/配合/协助 → co; 负责 → co when
    a lead is named, otherwise the first name leads and the rest cooperate (like 责任单位).
    Returns (lead, co, start of the bracket) or None.
    """
    m = _TRAILING_BRACKET_RE.search(text)
    if not m:
        return None
    segments = [seg for seg in re.split(r"[，,；;]", m.group("body")) if seg.strip()]
    roles: list[tuple[str, list[str]]] = []
    for seg in segments:
        sm = _PROSE_ROLE_RE.match(_squash(seg))
        if not sm:
            return None
        names = split_unit_list(sm.group("names"))
        if not names or not all(looks_like_org(n) or (_COLLECTIVE_RE.match(n) and len(n) <= 12) for n in names):
            return None
        verb = sm.group("verb")
        role = "lead" if "牵头" in verb else "co" if verb.endswith(("参与", "配合", "协助")) else "responsible"
        roles.append((role, names))
    lead, co = _roles_to_units(roles)
    return lead, co, m.start()


def extract_units(text: str) -> tuple[list[str], list[str], str]:
    """Return (lead_units, co_units, text_without_annotation).

    Bracketed annotations anywhere in the item and an unbracketed ``KEY：list`` tail are read
    and removed; persons (牵头领导…) are dropped. Only when there is no annotation at all are
    prose forms (``由X牵头，Y配合``) read, and they stay in the text.
    """
    pairs: _Pairs = []
    pieces: list[str] = []
    pos = 0
    annotated = False
    for start, end, found, keep in _bracketed_annotations(text):
        pairs.extend(found)
        pieces.append(text[pos:start] + keep)
        pos = end
        annotated = True
    pieces.append(text[pos:])
    remaining = "".join(pieces).strip()

    # Every tail has a KEY and a colon: most items have no colon at all.
    tail = _TRAILING_RE.search(remaining) if ":" in remaining or "：" in remaining else None
    if tail:
        parsed = _parse_body(tail.group("body"))
        if parsed and all(_looks_like_annotation_value(names) for _, names in parsed[0]):
            pairs.extend(parsed[0])
            remaining = (remaining[: tail.start()] + "；".join(parsed[1])).strip()
            annotated = True

    prose_note = None if annotated else _trailing_prose_annotation(remaining)
    if annotated:
        lead, co = _roles_to_units(pairs)
    elif prose_note is not None:
        lead, co, start = prose_note
        remaining = remaining[:start].rstrip()
    else:
        lead, co = _prose_units(text)
    lead = _dedupe(lead)
    co = _dedupe(co, exclude=lead)
    return lead, co, remaining


def _looks_like_annotation_value(names: list[str]) -> bool:
    """An unbracketed ``责任单位：…`` tail must be a list of short names, not a sentence."""
    return all(len(n) <= 30 and not _PUNCT_IN_NAME_RE.search(n) for n in names)

"""Chinese numerals: the one digit table used by labels, dates and counts. Pure.

Documents write numbers three ways: with units (``十二``, ``一百零五``: labels ``第十二条``,
counts ``三个月``), digit by digit (``二〇二〇``: years), and with the old tens ``廿``/``卅``
(days ``廿五日``).  :func:`cn_to_int` reads all three and refuses anything malformed, so it
doubles as a validity check (``三五十`` is no number).

``cn2an`` (a dependency) reads numerals too, but its strict mode refuses ``两`` and
digit-by-digit years and its other modes accept malformed numerals, and importing it takes a
quarter of a second; the tests use it as an independent oracle for this table instead.
"""

from __future__ import annotations

from functools import lru_cache

DIGITS: dict[str, int] = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
# Every character a numeral up to 9999 may use (for regex character classes).
NUMERAL_CHARS = "〇零○一二两三四五六七八九十百千"
# A small numeral as printed in 附件三 / 问题十二 / 专栏5: 1 to 99.
SMALL_NUMERAL = "[一二三四五六七八九十]{1,3}"

_ZEROS = "〇零○"
_OLD_TENS = {"廿": "二十", "卅": "三十"}
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


@lru_cache(maxsize=4096)  # a handful of numerals recur thousands of times in a compilation
def cn_to_int(text: str) -> int | None:
    """Read ``12``/``１２``, ``十二``, ``一百零五``, ``二〇二〇``, ``廿五``; ``None`` if malformed."""
    text = text.strip().translate(_FULLWIDTH)
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    for old, new in _OLD_TENS.items():
        text = text.replace(old, new)
    if any(ch not in DIGITS and ch not in UNITS for ch in text):
        return None
    if not any(ch in UNITS for ch in text):
        return _positional(text)
    return _with_units(text)


def _positional(text: str) -> int | None:
    """``二〇二〇`` → 2020; a single digit; no leading zero (``〇一`` is not a numeral)."""
    if len(text) == 1:
        return DIGITS[text]
    if text[0] in _ZEROS:
        return None
    return int("".join(str(DIGITS[ch]) for ch in text))


def _with_units(text: str) -> int | None:
    """``一千零五`` → 1005, ``十二`` → 12, ``一百十`` → 110; ``三五十`` / ``十百`` → None."""
    total = 0
    current: int | None = None
    last_unit = 10_000
    zero_seen = False
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
            if digit == 0:
                zero_seen = True
                continue
            if current is not None:  # 三五 before a unit is two numerals, not one
                return None
            current = digit
            continue
        unit = UNITS[ch]
        if unit >= last_unit:
            return None
        if current is None:
            if unit == 10 and not zero_seen:
                current = 1  # 十二 = 12, 一百十 = 110
            else:
                return None
        total += current * unit
        current = None
        last_unit = unit
        zero_seen = False
    return total + (current or 0)


def int_to_cn(n: int) -> str:
    """Write ``n`` (1..9999) the way documents number sections: 十一, 二十, 一百零五."""
    if n <= 0 or n >= 10_000:
        raise ValueError(n)
    digits = "零一二三四五六七八九"
    parts: list[str] = []
    zero_pending = False
    started = False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = (n // value) % 10
        if d == 0:
            if started:
                zero_pending = True
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        if not (value == 10 and d == 1 and not started):
            parts.append(digits[d])
        parts.append(name)
        started = True
    return "".join(parts)


__all__ = ["DIGITS", "NUMERAL_CHARS", "SMALL_NUMERAL", "UNITS", "cn_to_int", "int_to_cn"]

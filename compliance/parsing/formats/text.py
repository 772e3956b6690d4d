"""Plain text in the usual Chinese encodings, and HTML pages saved from a browser."""

from __future__ import annotations

import html as htmlmod
import re

from ..types import ParseError


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK/GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 100):
        text = data.decode("gb18030", errors="replace")
        if text.count("\ufffd") > max(10, len(text) // 100):
            raise ParseError("无法识别文件的文字编码（既不是 UTF-8 也不是 GBK/GB18030），请转换为 UTF-8 后再导入。")
    return text


_RE_TAG = re.compile(r"<[^>]+>")
_RE_BLOCK_TAG = re.compile(r"</?(p|div|br|tr|li|h[1-6]|table|section|article)\b[^>]*>", re.IGNORECASE)
_RE_SCRIPT = re.compile(r"<(script|style|head|noscript)\b.*?</\1>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_RE_CELL_TAG = re.compile(r"</t[dh]>", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    return bool(re.match(r"\s*<(!doctype|html)", text[:200], re.IGNORECASE))


def html_to_text(html: str) -> str:
    """Very small HTML to text: block tags become line breaks, other tags go."""
    html = _RE_SCRIPT.sub("", html)  # the <head> too: its <title> repeats the site name
    html = _RE_CELL_TAG.sub("\u3000", html)  # table cells stay apart
    html = _RE_BLOCK_TAG.sub("\n", html)
    return htmlmod.unescape(_RE_TAG.sub("", html))

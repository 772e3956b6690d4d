"""How names are written wherever several are shown together (pages, workbook rows, messages),
and the <option> lists of the filters that offer every document."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString

# The separator of a list of department names in Chinese text: 国际合作与交流处、科学技术处.
NAME_SEPARATOR = "、"


def names_joined(items: Iterable[object]) -> str:
    """Names (departments, people, or plain strings) joined with 、; empty names are left out."""
    return NAME_SEPARATOR.join(
        str(getattr(item, "name", item)) for item in items if str(getattr(item, "name", item)).strip()
    )


def options_html(choices: Iterable[tuple[object, str]], selected: set[str], width: int) -> SafeString:
    """The <option> elements, built with html.escape (format_html per option cost about 40 µs
    under cProfile)."""

    def cut(label: str) -> str:
        return label if len(label) <= width else label[: width - 1] + "…"

    parts = []
    for value, label in choices:
        v = str(value)
        mark = " selected" if v in selected else ""
        parts.append(f'<option value="{escape(v)}"{mark}>{escape(cut(str(label)))}</option>')
    return SafeString("".join(parts))

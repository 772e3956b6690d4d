"""How names are written wherever several are shown together (pages, workbook rows, messages)."""

from __future__ import annotations

from collections.abc import Iterable

# The separator of a list of department names in Chinese text: 国际合作与交流处、科学技术处.
NAME_SEPARATOR = "、"


def names_joined(items: Iterable[object]) -> str:
    """Names (departments, people, or plain strings) joined with 、; empty names are left out."""
    return NAME_SEPARATOR.join(
        str(getattr(item, "name", item)) for item in items if str(getattr(item, "name", item)).strip()
    )

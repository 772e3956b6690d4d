"""Policy document parsing: bytes or text in, plain dataclasses out (no Django, no ORM).

``parse_text`` and ``parse_file`` are the stable entry points; see :mod:`.pipeline`.
"""

from .pipeline import ParseOutcome, parse_file, parse_text
from .types import Deadline, ParsedDocument, ParsedItem, ParseError, ParseResult

__all__ = [
    "Deadline",
    "ParseError",
    "ParseOutcome",
    "ParseResult",
    "ParsedDocument",
    "ParsedItem",
    "parse_file",
    "parse_text",
]

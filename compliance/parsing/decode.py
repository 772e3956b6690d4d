"""Bytes to text; the formats themselves live in :mod:`compliance.parsing.formats`.

The names other modules have always imported from here stay importable.
"""

from .formats import Decoded, decode_bytes, decode_text, docx_to_text, html_to_text, sniff
from .formats.limits import MAX_BYTES, MAX_PDF_PAGES, MAX_UNZIPPED, MAX_ZIP_RATIO, check_zip

__all__ = [
    "MAX_BYTES",
    "MAX_PDF_PAGES",
    "MAX_UNZIPPED",
    "MAX_ZIP_RATIO",
    "Decoded",
    "check_zip",
    "decode_bytes",
    "decode_text",
    "docx_to_text",
    "html_to_text",
    "sniff",
]

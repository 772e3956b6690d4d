"""Bytes to text; the formats themselves live in :mod:`compliance.parsing.formats`."""

from .formats import MAX_BYTES, Decoded, decode_bytes, decode_text, docx_to_text, sniff

__all__ = ["MAX_BYTES", "Decoded", "decode_bytes", "decode_text", "docx_to_text", "sniff"]

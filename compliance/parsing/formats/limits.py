"""Size limits shared by every format: they keep hostile or accidental input from hanging a worker."""

from __future__ import annotations

import zipfile

from ..types import ParseError

MAX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED = 50 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_ZIP_MEMBERS = 5000
MAX_PDF_PAGES = 500
# OCR costs about a second a page: a scan longer than this belongs in the background twice over.
MAX_OCR_PAGES = 100
MAX_IMAGE_PIXELS = 60_000_000  # about an A0 page at 300 dpi


def check_zip(zf: zipfile.ZipFile, what: str) -> None:
    """Refuse zip bombs before reading any member: too many members, too large, too compressed."""
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ParseError(f"{what}包含的文件过多（{len(infos)} 个），已拒绝解析。")
    total = 0
    for info in infos:
        total += info.file_size
        if (
            info.compress_size
            and info.file_size / max(info.compress_size, 1) > MAX_ZIP_RATIO
            and info.file_size > 1024 * 1024
        ):
            raise ParseError(f"{what}的压缩比异常（疑似压缩炸弹），已拒绝解析。")
    if total > MAX_UNZIPPED:
        raise ParseError(f"{what}解压后过大（{total / 1024 / 1024:.0f} MB），已拒绝解析。")


def read_member(zf: zipfile.ZipFile, name: str, what: str) -> bytes:
    """Read one member, turning a damaged archive into a ParseError."""
    try:
        return zf.read(name)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise ParseError(f"{what}内容损坏，无法解析。") from exc

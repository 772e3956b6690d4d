"""Old Word (.doc), WPS (.wps) and RTF, converted to .docx by LibreOffice running headless.

Each conversion gets its own temporary folder and its own LibreOffice profile
(``-env:UserInstallation``), so two conversions at once do not wait on each other's lock, and
a time limit: a conversion that hangs is killed with its whole process group, so it cannot
hold a worker. Without LibreOffice the message says what to install.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..types import ParseError

CONVERT_TIMEOUT = 120  # seconds
INSTALL_HINT = "apt-get install libreoffice-writer-nogui"
_NAMES = {"doc": "旧版 Word（.doc）", "wps": "WPS（.wps）", "rtf": "RTF"}


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(data: bytes, fmt: str, *, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """The .docx that LibreOffice makes of ``data`` (a .doc, .wps or .rtf file)."""
    name = _NAMES.get(fmt, f".{fmt}")
    soffice = soffice_path()
    if soffice is None:
        raise ParseError(
            f"{name} 文件需要 LibreOffice 转换后才能解析，但服务器未安装 LibreOffice。"
            f"请安装（Debian/Ubuntu：`{INSTALL_HINT}`），或在 Word/WPS 中另存为 .docx 后再导入。"
        )
    with tempfile.TemporaryDirectory(prefix="duban-soffice-") as tmp:
        folder = Path(tmp)
        source = folder / f"document.{fmt}"
        source.write_bytes(data)
        outdir = folder / "out"
        cmd = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(outdir),
            str(source),
        ]
        env = {**os.environ, "HOME": str(folder)}
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env, cwd=folder
        )
        try:
            proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise ParseError(
                f"{name} 文件转换超时（超过 {timeout:.0f} 秒），已中止。请另存为 .docx 后再导入。"
            ) from None
        result = outdir / "document.docx"
        if proc.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
            raise ParseError(f"LibreOffice 无法转换该 {name} 文件（文件可能已损坏或加密），请另存为 .docx 后再导入。")
        return result.read_bytes()


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.communicate()

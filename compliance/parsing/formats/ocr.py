"""OCR of scanned pages and images with RapidOCR (PP-OCR models shipped inside its wheel).

The OCR extra (``requirements-ocr.txt``) is optional: without it a scan is refused with a
message naming the install command. The models are the files packaged with ``rapidocr``
and are passed by path, so nothing is ever downloaded at run time. The engine is loaded
once per process.

Each recognised text box becomes a :class:`~.layout.Line` in the page's coordinates, boxes
on one baseline are one line, and ASCII punctuation that OCR reads next to Chinese text is
written full-width as a typed document has it (``（一）``, ``：``, ``〔2021〕``). Lines below
:data:`LOW_CONFIDENCE` are reported so the preview can mark them for checking.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from ..types import ParseError
from .glyphs import Char, chars_to_lines
from .layout import LaidOut, Page, lay_out
from .limits import MAX_IMAGE_PIXELS, MAX_OCR_PAGES
from .tables import Segment, find_tables

Progress = Callable[[int, int], None]

LOW_CONFIDENCE = 0.95
INSTALL_HINT = "pip install -r requirements-ocr.txt"
ENGINE_NAME = "RapidOCR 3.10 (PP-OCRv6 small det/rec, PP-OCR mobile v2.0 cls, ONNX Runtime)"
_MODELS = {
    "Det.model_path": "PP-OCRv6_det_small.onnx",
    "Rec.model_path": "PP-OCRv6_rec_small.onnx",
    "Cls.model_path": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}
# Detection works on the page scaled so its longer side is at most this (recognition uses the
# full-resolution crops): an A4 page keeps text lines well above the detector's minimum size.
_DET_SIDE = 1280


def _model_dir() -> Path | None:
    try:
        import onnxruntime  # noqa: F401
        import PIL  # noqa: F401
        import rapidocr
    except ImportError:
        return None
    path = Path(rapidocr.__file__).resolve().parent / "models"
    return path if all((path / name).is_file() for name in _MODELS.values()) else None


def available() -> bool:
    """True when the OCR extra and its packaged models are installed."""
    return _model_dir() is not None


def missing_message(what: str) -> str:
    return (
        f"{what}，需要文字识别（OCR）组件才能导入，但服务器未安装。"
        f"请在项目目录执行 `{INSTALL_HINT}`（`make deps` 会自动安装）后重试，或提供带文字层的文件。"
    )


def _threads() -> int:
    try:
        wanted = int(os.environ.get("DUBAN_OCR_THREADS", "2"))
    except ValueError:
        wanted = 2
    return max(1, min(wanted, os.cpu_count() or 1))


@lru_cache(maxsize=1)
def _engine():
    from rapidocr import RapidOCR

    folder = _model_dir()
    if folder is None:
        raise ParseError(missing_message("该文件需要文字识别"))
    params = {name: str(folder / file) for name, file in _MODELS.items()}
    params.update(
        {
            "Global.log_level": "error",
            "Det.limit_type": "max",
            "Det.limit_side_len": _DET_SIDE,
            # Two threads by default (DUBAN_OCR_THREADS): 2.2 s a page on the 2-core machine when it
            # is free, 4.1 s with one; ONNX Runtime's own default (every core, spinning) cost far more
            # CPU when the machine was shared. Pages of one scan run one after the other.
            "EngineConfig.onnxruntime.intra_op_num_threads": _threads(),
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
    )
    return RapidOCR(params=params)


def image_page(image, *, page: int, unit: float = 1.0) -> Page:
    """OCR one page image: its lines and ruled tables, in pixels times ``unit``."""
    rgb = image.convert("RGB")
    result = _engine()(rgb)
    boxes = getattr(result, "boxes", None)
    width, height = rgb.width * unit, rgb.height * unit
    if boxes is None or not len(boxes):
        return Page(width=width, height=height)
    chars: list[Char] = []
    for box, text, score in zip(boxes, result.txts, result.scores, strict=False):
        xs = [float(p[0]) * unit for p in box]
        ys = [float(p[1]) * unit for p in box]
        chars.extend(_box_chars(min(xs), max(xs), min(ys), max(ys), fix_punctuation(str(text)), float(score)))
    if not chars:
        return Page(width=width, height=height)
    sizes = sorted(c.size for c in chars)
    size = sizes[len(sizes) // 2]
    segments = _rules(rgb, size / unit, unit)
    tables, rest = find_tables(segments, chars, page, size)
    return Page(width=width, height=height, lines=chars_to_lines(rest, page), tables=tables)


def _box_chars(x0: float, x1: float, top: float, bottom: float, text: str, score: float) -> list[Char]:
    """Spread a recognised text box over its characters (Chinese one em, Latin half an em).

    The em is the box width over the text's width in ems, which measures the font size far
    better than the box height (padded by the detector) for any line of two or more Chinese
    characters; it also lets a box that runs across a table rule split at the rule.
    """
    text = text.strip()
    if not text:
        return []
    units = [0.5 if ch.isascii() else 1.0 for ch in text]
    em = (x1 - x0) / sum(units)
    wide = sum(1 for u in units if u == 1.0)
    size = em if wide >= 2 else (bottom - top) * 0.8
    out = []
    x = x0
    for ch, u in zip(text, units, strict=True):
        out.append(Char(ch, x, x + em * u, top, bottom, size, score))
        x += em * u
    return out


def _rules(image, size: float, unit: float) -> list[Segment]:
    """Long straight horizontal and vertical strokes of the image (table rules)."""
    import cv2
    import numpy as np

    gray = np.asarray(image.convert("L"))
    ink = (gray < 160).astype(np.uint8) * 255
    out: list[Segment] = []
    for kernel, horizontal in (((max(int(size * 3), 20), 1), True), ((1, max(int(size * 1.6), 12)), False)):
        mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            x, y, w, h = cv2.boundingRect(contour)
            if horizontal:
                out.append(Segment(x * unit, (y + h / 2) * unit, (x + w) * unit, (y + h / 2) * unit))
            else:
                out.append(Segment((x + w / 2) * unit, y * unit, (x + w / 2) * unit, (y + h) * unit))
    return out


_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_RE_OPEN = re.compile(rf"\((?=[{_CJK}\d])")
_RE_CLOSE = re.compile(rf"(?<=[{_CJK}\d])\)")
_RE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}）])\s*([,:;!?])|([,:;!?])\s*(?=[{_CJK}（])")
_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
_RE_DOC_YEAR = re.compile(r"[\[【［〔(（]((?:19|20)\d{2})[\]】］〕)）](?=\s*\d{1,4}\s*号)")


def fix_punctuation(text: str) -> str:
    """Write the punctuation OCR reads as ASCII the way a Chinese document prints it."""
    if not re.search(f"[{_CJK}]", text):
        return text
    text = _RE_DOC_YEAR.sub(r"〔\1〕", text)
    text = _RE_OPEN.sub("（", text)
    text = _RE_CLOSE.sub("）", text)
    return _RE_NEAR_CJK.sub(lambda m: _FULL[m.group(1) or m.group(2)], text)


def load_images(data: bytes) -> list:
    """The pages of an image file (every frame of a multi-page TIFF), refusing huge images."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        img = Image.open(io.BytesIO(data))
        frames = []
        for i in range(getattr(img, "n_frames", 1)):
            if i >= MAX_OCR_PAGES:
                raise ParseError(f"图片文件超过 {MAX_OCR_PAGES} 页的文字识别上限，请拆分后再导入。")
            img.seek(i)
            frames.append(ImageOps.exif_transpose(img.convert("RGB")))
    except Image.DecompressionBombError as exc:
        raise ParseError("图片尺寸过大，已拒绝解析。请以 150–300 dpi 扫描后再导入。") from exc
    except (UnidentifiedImageError, OSError, ValueError, EOFError) as exc:
        raise ParseError("图片文件已损坏或格式不受支持，无法识别。") from exc
    return frames


def image_to_text(data: bytes, *, progress: Progress | None = None) -> LaidOut:
    """OCR an image file (JPEG, PNG, TIFF …) into laid-out text."""
    if not available():
        raise ParseError(missing_message("图片文件"))
    frames = load_images(data)
    pages = []
    for k, img in enumerate(frames):
        pages.append(image_page(img, page=k))
        if progress is not None:
            progress(k + 1, len(frames))
    laid = lay_out(pages, low_score=LOW_CONFIDENCE)
    laid.ocr_pages = len(frames)
    if not laid.text.strip():
        raise ParseError("图片中没有识别出文字，请确认扫描清晰、方向正确后再导入。")
    return laid

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
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from ..types import ParseError
from .layout import LaidOut, Line, Page, join_text, lay_out
from .limits import MAX_IMAGE_PIXELS, MAX_OCR_PAGES

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
        }
    )
    return RapidOCR(params=params)


def image_lines(image, *, page: int, unit: float = 1.0) -> list[Line]:
    """OCR one page image into lines; coordinates are pixels times ``unit``."""
    result = _engine()(image.convert("RGB"))
    boxes = getattr(result, "boxes", None)
    if boxes is None or not len(boxes):
        return []
    found = []
    for box, text, score in zip(boxes, result.txts, result.scores, strict=False):
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        found.append((min(xs), max(xs), min(ys), max(ys), str(text), float(score)))
    return [_merge_row(row, page, unit) for row in _rows(found)]


def _rows(found: list[tuple]) -> list[list[tuple]]:
    """Boxes that overlap vertically by more than half their height share a line."""
    rows: list[list[tuple]] = []
    for box in sorted(found, key=lambda b: (b[2] + b[3]) / 2):
        if rows:
            last = rows[-1]
            top = min(b[2] for b in last)
            bottom = max(b[3] for b in last)
            overlap = min(bottom, box[3]) - max(top, box[2])
            if overlap > 0.5 * min(bottom - top, box[3] - box[2]):
                last.append(box)
                continue
        rows.append([box])
    return rows


def _merge_row(row: list[tuple], page: int, unit: float) -> Line:
    row.sort(key=lambda b: b[0])
    text = ""
    prev = None
    for b in row:
        if prev is not None and b[0] - prev[1] > 1.5 * (b[3] - b[2]):
            text += " "
        text = join_text(text, b[4]) if not text.endswith(" ") else text + b[4]
        prev = b
    height = sum(b[3] - b[2] for b in row) / len(row)
    return Line(
        text=fix_punctuation(text.strip()),
        x0=min(b[0] for b in row) * unit,
        x1=max(b[1] for b in row) * unit,
        top=min(b[2] for b in row) * unit,
        bottom=max(b[3] for b in row) * unit,
        size=height * 0.8 * unit,
        page=page,
        score=min(b[5] for b in row),
    )


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
        pages.append(Page(width=img.width, height=img.height, lines=image_lines(img, page=k)))
        if progress is not None:
            progress(k + 1, len(frames))
    laid = lay_out(pages, low_score=LOW_CONFIDENCE)
    laid.ocr_pages = len(frames)
    if not laid.text.strip():
        raise ParseError("图片中没有识别出文字，请确认扫描清晰、方向正确后再导入。")
    return laid

"""OCR of page images (a scanned PDF's pages, PNG/JPEG/TIFF files) into the same page geometry a
PDF's text layer gives (:class:`nianbao.readers.pdf_layout.Page`): characters with boxes, and the
ruling lines of the tables, so that one layout code reads both.

The optional extra ``nianbao[ocr]`` brings RapidOCR on ONNX Runtime with the PP-OCR Chinese
models inside its wheel. The models are loaded from the installed package by path, so nothing
is ever downloaded: a missing model file is an error, not a fetch. Imported only when an image
page is read (numpy, OpenCV and ONNX Runtime take a second to load).

A page is straightened first (a scan is never square on the glass), its ruling lines are found
with morphology and then erased, so that a cell border is never read as a 1 or an l, and the
rest is recognised. Each character keeps the recogniser's score; each table cell is judged
(:meth:`OcrPage.judge`): its confidence, the candidate readings when a second look at the
cell's crop reads it otherwise, and ink in a cell that was read as blank.
"""

from __future__ import annotations

import importlib.util
import itertools
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from nianbao.i18n import _
from nianbao.readers import ReadError
from nianbao.readers.pdf_layout import Cell, Char, Page, Rule
from nianbao.readers.tokens import CJK

#: what to install, named in every error about a missing OCR
EXTRA = "pip install 'nianbao[ocr]'"
#: the models shipped in RapidOCR's wheel (PP-OCRv6 small det/rec): by path, never downloaded
MODELS = {"det": "PP-OCRv6_det_small.onnx", "rec": "PP-OCRv6_rec_small.onnx"}
#: a cell whose weakest character scores below this is read a second time, from its own crop
REREAD_BELOW = 0.98
#: a figure as tables print it (a count, an amount, a percentage)
FIGURE = re.compile(r"^-?\d+(?:[.,]\d+)*%?$|^\D*$")
#: a Chinese character (not a full-width figure or bracket)
HAN = re.compile(r"[\u4e00-\u9fff]")
#: an ordinal that opens a label: 一、 （一） 1.
ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．，,]|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[、.．，,](?!\d))"
)
#: the long side the text detector sees (the page is downscaled to it; recognition reads the
#: crops at full resolution): 960 px keeps detection about a second a page on one core
DETECT_SIDE = 960


def _runtime() -> str | None:
    """The inference runtime the models run on: OpenVINO when installed (the extra brings it), else
    ONNX Runtime, else None. OpenVINO is the faster on one core: its detector takes a fraction of
    ONNX Runtime's time, and on a CPU that computes in bfloat16 (AMX, AVX512-BF16) it runs both
    models in bfloat16, 2-3 times faster, with the same readings (benchmarks/ocr.py --compare)."""
    for name in ("openvino", "onnxruntime"):
        if importlib.util.find_spec(name) is not None:
            return name
    return None


def available() -> bool:
    """Whether the OCR extra is installed (checked without importing it)."""
    if _runtime() is None:
        return False
    return all(importlib.util.find_spec(m) is not None for m in ("rapidocr", "cv2", "numpy"))


_ENGINE: Any = None


def engine(runtime: str | None = None) -> Any:
    """One RapidOCR engine per process, single-threaded (``-j`` runs one per worker), on
    ``runtime`` (default: :func:`_runtime`'s choice)."""
    global _ENGINE
    if _ENGINE is None or (runtime is not None and _ENGINE.nianbao_runtime != runtime):
        import rapidocr

        root = Path(rapidocr.__file__).parent / "models"
        paths = {k: root / name for k, name in MODELS.items()}
        absent = [str(p) for p in paths.values() if not p.is_file()]
        if absent:
            raise ReadError(
                "unsupported",
                _("the OCR models are not installed ({files}): {install}", files=", ".join(absent), install=EXTRA),
            )
        runtime = runtime or _runtime()
        params: dict[str, Any] = {}
        if runtime == "openvino":
            params = {
                "Det.engine_type": rapidocr.EngineType.OPENVINO,
                "Rec.engine_type": rapidocr.EngineType.OPENVINO,
                # one core, one request at a time; the precision is OpenVINO's own choice for the
                # CPU (bfloat16 where the CPU computes in it, else float32)
                "EngineConfig.openvino.inference_num_threads": 1,
                "EngineConfig.openvino.num_streams": 1,
                "EngineConfig.openvino.performance_hint": "LATENCY",
            }
        _ENGINE = rapidocr.RapidOCR(
            params={
                **params,
                "Global.log_level": "error",
                "Global.use_cls": False,  # pages are upright once straightened
                "Global.text_score": 0.0,  # keep every reading: an unsure one is flagged, not dropped
                "Det.model_path": str(paths["det"]),
                "Det.limit_type": "max",
                "Det.limit_side_len": DETECT_SIDE,
                "Rec.model_path": str(paths["rec"]),
                # a crop is padded to the widest of its batch, at least this: RapidOCR's 320 px
                # makes a lone figure (most of a table) cost as much as a line of prose
                "Rec.rec_img_shape": [3, 48, 160],
                "Rec.rec_batch_num": 8,
                "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )
        _ENGINE.nianbao_runtime = runtime
    return _ENGINE


def describe_engine() -> str:
    """The engine and models, for the model's ``source.ocr``."""
    from importlib.metadata import version

    runtime = engine().nianbao_runtime
    models = f"{MODELS['det'][:-5]}, {MODELS['rec'][:-5]}"
    return f"rapidocr {version('rapidocr')} ({models}) on {runtime} {version(runtime)}"


# --- an image → a page ------------------------------------------------------------------------


def image_page(image: Any, number: int, dpi: float) -> Page:
    """One page image (a numpy array, grey or colour) at ``dpi`` → a page in PDF points."""
    import cv2
    import numpy as np

    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    gray = _straighten(gray)
    ink = _ink(gray)
    horizontal, vertical = _line_masks(ink, dpi)
    vertical = _ruled(vertical, horizontal, dpi)
    scale = 72.0 / dpi
    rules = _rules(horizontal, True, scale) + _rules(vertical, False, scale)
    # the lines erased from the page the recogniser sees, and from the ink a blank cell is checked for
    lines = cv2.dilate(horizontal | vertical, np.ones((5, 5), np.uint8))
    clean = gray.copy()
    clean[lines > 0] = 255
    text_ink = ink.copy()
    text_ink[lines > 0] = 0
    height, width = gray.shape
    page = Page(number, width * scale, height * scale)
    page.rules = rules
    page.images = 1
    page.chars = _recognise(clean, scale)
    page.ocr = OcrPage(clean, text_ink, scale)
    return page


def _straighten(gray: Any) -> Any:
    """Rotate the page so its lines of text and rules are level: the angle (within ±3°) at
    which the rows of ink are the sharpest (the variance of the row sums is largest)."""
    import cv2
    import numpy as np

    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    ink = (_binary(small) > 0).astype(np.float32)
    h, w = ink.shape

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        rotated = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        return float(np.var(rotated.sum(axis=1)))

    best = max((a / 4 for a in range(-12, 13)), key=sharpness)
    best = max((best + a / 40 for a in range(-10, 11)), key=sharpness)
    if abs(best) < 0.03:
        return gray
    m = cv2.getRotationMatrix2D((gray.shape[1] / 2, gray.shape[0] / 2), best, 1.0)
    return cv2.warpAffine(
        gray, m, (gray.shape[1], gray.shape[0]), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def _ink(gray: Any) -> Any:
    """Ink as 255 on 0: Otsu's threshold on a lightly smoothed page (sensor noise and JPEG
    ringing are not ink), lone specks of dust removed."""
    import cv2
    import numpy as np

    blurred = cv2.GaussianBlur(gray, (3, 3), 0)
    return cv2.morphologyEx(_binary(blurred), cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))


def _binary(gray: Any) -> Any:
    """Ink 255 on 0 by Otsu's threshold, never lighter than a light grey (a thin rule scanned): on a blank page Otsu
    splits the paper's own noise, which is no ink."""
    import cv2

    level, _ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, ink = cv2.threshold(gray, min(level, 200), 255, cv2.THRESH_BINARY_INV)
    return ink


def _line_masks(ink: Any, dpi: float) -> tuple[Any, Any]:
    """The horizontal and the vertical ruling lines: runs of ink longer than any stroke of a
    character, the small breaks of a scanned line bridged. Horizontally a third of an inch (a
    dash —— is long); vertically a sixth (a one-line row is barely taller than its text)."""
    import cv2

    wide, tall = max(int(dpi / 3), 15), max(int(dpi / 6), 10)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (wide, 1)))
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, tall)))
    vertical = cv2.morphologyEx(vertical, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 9)))
    return horizontal, vertical


def _ruled(vertical: Any, horizontal: Any, dpi: float) -> Any:
    """The vertical lines that are a table's: each meets a horizontal line (ends on one or
    crosses it), or is longer than any glyph's stroke (half an inch). The strokes of a large bold
    title (东乡县2021年…, 20 pt) are as tall as a one-line row: taken for rules, they were erased
    from the page and the title went unread."""
    import cv2
    import numpy as np

    count, labels, stats, _centres = cv2.connectedComponentsWithStats(vertical, connectivity=8)
    if count <= 1:
        return vertical
    height, width = vertical.shape
    keep = np.zeros(count, dtype=bool)
    for i in range(1, count):
        x, y, w, h = (int(v) for v in stats[i][:4])
        if h >= dpi / 2:
            keep[i] = True
            continue
        x0, x1 = max(x - 3, 0), min(x + w + 3, width)
        y0, y1 = max(y - 5, 0), min(y + h + 5, height)
        keep[i] = bool(horizontal[y0:y1, x0:x1].any())
    if keep[1:].all():
        return vertical
    return np.where(keep[labels], vertical, 0).astype(vertical.dtype)


def _rules(mask: Any, horizontal: bool, scale: float) -> list[Rule]:
    """Each line of a mask as a rule, in points (its middle, its ends)."""
    import cv2

    count, _labels, stats, _centres = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for i in range(1, count):
        x, y, w, h = (int(v) for v in stats[i][:4])
        if horizontal and w > 3 * h:
            out.append(Rule(True, (y + h / 2) * scale, x * scale, (x + w) * scale))
        elif not horizontal and h > 3 * w:
            out.append(Rule(False, (x + w / 2) * scale, y * scale, (y + h) * scale))
    return out


def _recognise(clean: Any, scale: float) -> list[Char]:
    """The recognised characters with their boxes (points) and scores. RapidOCR gives a box per
    Chinese character and per run of Latin letters or figures; a run's box is shared out among
    its characters by their widths (a figure is about half a Chinese character)."""
    import cv2

    result = engine()(
        cv2.cvtColor(clean, cv2.COLOR_GRAY2BGR),
        use_det=True,
        use_cls=False,
        use_rec=True,
        return_word_box=True,
    )
    chars: list[Char] = []
    if result.txts is None:
        return chars
    for line_box, words in zip(result.boxes, result.word_results, strict=False):
        top = min(float(p[1]) for p in line_box)
        bottom = max(float(p[1]) for p in line_box)
        line: list[Char] = []
        for word, score, box in words:
            if not word or box is None:
                continue
            x0 = min(float(p[0]) for p in box)
            x1 = max(float(p[0]) for p in box)
            line.extend(_split(word.strip(), x0, x1, top, bottom, float(score), scale))
        # the recogniser's boxes are glyph-tight, a font's are not: within one detected line a
        # gap under half an em next to a Chinese character is no space (a text layer's 一、总体情况, not 一、 总体情况)
        for prev, nxt in itertools.pairwise(line):
            if (prev.cjk or nxt.cjk) and 0 < nxt.x0 - prev.x1 < 0.5 * prev.height:
                prev.x1 = nxt.x0
        chars.extend(line)
    return chars


def _split(word: str, x0: float, x1: float, top: float, bottom: float, score: float, scale: float) -> list[Char]:
    weights = [1.0 if CJK.match(c) else 0.55 for c in word if not c.isspace()]
    letters = [c for c in word if not c.isspace()]
    total = sum(weights) or 1.0
    out = []
    at = x0
    for c, w in zip(letters, weights, strict=True):
        end = at + (x1 - x0) * w / total
        out.append(Char(c, at * scale, top * scale, end * scale, bottom * scale, conf=score))
        at = end
    return out


# --- judging a cell ---------------------------------------------------------------------------


@cache
def _lexicon() -> dict[str, str]:
    """The labels the templates print (rows, groups, columns, sections, with the variants real
    reports use), by comparison key without the ordinal → the label as printed."""
    from nianbao.normalize import key, strip_ordinal
    from nianbao.template import describe, sections

    labels: list[str] = []
    for name in ("2021", "2019"):
        for table in describe(name).tables.values():
            labels.append(table.label)
            labels += [a for g in table.groups for a in (g.label, *g.aliases)]
            for row in table.rows:
                labels += row.labels
                labels += [a for c in row.columns for a in c.labels]
    labels += [a for sec in sections() for a in (sec.label, *sec.aliases)]
    return {key(label, ordinal=False): strip_ordinal(label) for label in labels if len(key(label, ordinal=False)) >= 4}


def corrected(text: str) -> str | None:
    """A label the OCR misread by a character or two (7.属于行政丸法案卷), as the template prints it
    (7.属于行政执法案卷), or None when ``text`` is a label already or near none: the nearest label
    must be near enough (a similarity of 0.85) and nearer than any other."""
    import difflib

    from nianbao.normalize import key

    if not CJK.search(text):
        return None
    core = key(text, ordinal=False)
    lexicon = _lexicon()
    if len(core) < 4 or core in lexicon:
        return None

    def similarity(k: str) -> float:
        if len(k) == len(core) and sum(a != b for a, b in zip(k, core, strict=True)) == 1:
            return 0.9  # one character misread: a short label (无法提供) is as sure as a long one
        return difflib.SequenceMatcher(None, core, k, autojunk=False).ratio()

    scored = sorted(((similarity(k), k) for k in lexicon if abs(len(k) - len(core)) <= 2), reverse=True)
    if not scored or scored[0][0] < 0.85 or (len(scored) > 1 and scored[1][0] > scored[0][0] - 0.05):
        return None
    m = ORDINAL.match(text.strip())
    return (m.group(0) if m else "") + lexicon[scored[0][1]]


@dataclass
class OcrPage:
    """What a page read by OCR keeps to judge its cells: the image with the rules erased, the
    ink without the rules, the scale from pixels to points."""

    clean: Any
    ink: Any
    scale: float

    def judge(self, cell: Cell) -> tuple[str, dict[str, Any]]:
        """The cell's text and ``{"confidence": c}`` (the weakest character's score; 0 for a cell
        read as blank that has ink in it), with ``candidates`` when a second reading of the cell
        differs, and ``read`` (the OCR's own text) when a label misread by a character or two was
        put right from the template's labels."""
        text, info = self._judge(cell)
        label = corrected(text)
        if label is not None:
            info["read"] = text
            return label, info
        return text, info

    def _judge(self, cell: Cell) -> tuple[str, dict[str, Any]]:
        if not cell.chars:
            ink = self._ink_box(cell)
            if ink is None:
                return "", {"confidence": 1.0}
            # ink the detector passed over (a lone thin figure): the crop read on its own. A
            # clean figure read so is taken, with the blank as the other candidate, so that the
            # cell is reported either way (O101); anything else leaves it blank and uncertain
            found = dict.fromkeys(t for t, _s in self._reread(cell, ink) if t)
            figures = {t for t in found if FIGURE.match(t) and re.search(r"\d", t)}
            scores = [sc for t, sc in self._reread(cell, ink, recognise_only=True) if t in figures]
            if len(figures) == 1 and scores and min(scores) >= 0.9:
                figure = figures.pop()
                return figure, {"confidence": round(min(scores), 4), "candidates": [figure, ""]}
            return "", {"confidence": 0.0, "candidates": ["", *found]}
        text = cell.text
        confidence = min(c.conf for c in cell.chars)
        out: dict[str, Any] = {"confidence": round(confidence, 4)}
        # a figure with a stray mark (0. 1' ·5): dust or a speck of toner read as a character
        odd = bool(re.search(r"\d", text)) and not CJK.search(text) and not FIGURE.match(text)
        # a label (two Chinese characters or more) is matched to the template's labels, not taken
        # as read: a second look at it would cost as much as at a figure and decide nothing
        label = len(HAN.findall(text)) >= 2
        if (confidence < REREAD_BELOW and not label) or odd:
            readings = [text]
            if odd:
                readings.append(text.strip(".,:;'`·-_~ "))
            again = self._reread(cell)
            for other, score in again:
                if other and other not in readings:
                    readings.append(other)
                    out["confidence"] = round(min(confidence, score), 4)
            clean = {t for t, _s in again if t and FIGURE.match(t) and re.search(r"\d", t)}
            stripped = readings[1] if odd else ""
            if odd and (len(clean) == 1 or (not clean and FIGURE.match(stripped))):
                # the figure without the mark (the second look's, else the first's stripped of
                # it): taken, the reading with the mark stays a candidate, so O101 reports it
                text = clean.pop() if clean else stripped
                readings = [text, *[r for r in readings if r != text]]
            if len(readings) > 1:
                out["candidates"] = readings
        return text, out

    def _box(self, cell: Cell, inset: int) -> tuple[int, int, int, int]:
        h, w = self.clean.shape
        x0, x1 = int(cell.x0 / self.scale) + inset, int(cell.x1 / self.scale) - inset
        y0, y1 = int(cell.top / self.scale) + inset, int(cell.bottom / self.scale) - inset
        return max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)

    def _ink_box(self, cell: Cell) -> tuple[int, int, int, int] | None:
        """The box (pixels) of the ink inside a cell, its borders left out, or None: a stroke as
        tall as a twenty-fifth of an inch is ink (a thin 1 included), a speck of dust is not."""
        import cv2

        x0, y0, x1, y1 = self._box(cell, 4)
        if x1 <= x0 or y1 <= y0:
            return None
        count, _labels, stats, _c = cv2.connectedComponentsWithStats(self.ink[y0:y1, x0:x1], connectivity=8)
        tall = 2.88 / self.scale  # 0.04 in, in pixels
        marks = [stats[i] for i in range(1, count) if stats[i][3] >= tall and stats[i][4] >= 10]
        if not marks:
            return None
        left = min(int(m[0]) for m in marks)
        top = min(int(m[1]) for m in marks)
        right = max(int(m[0] + m[2]) for m in marks)
        bottom = max(int(m[1] + m[3]) for m in marks)
        return x0 + left, y0 + top, x0 + right, y0 + bottom

    def _reread(
        self, cell: Cell, ink: tuple[int, int, int, int] | None = None, *, recognise_only: bool = False
    ) -> list[tuple[str, float]]:
        """The cell's text read again from its crop (or the box of its ink), as it is and enlarged
        and binarised: another look at the same ink, which an unsure first reading often does not
        survive. ``recognise_only``: the recogniser on the ink's box, without the detector."""
        import cv2

        if ink is not None:
            pad = 6
            h, w = self.clean.shape
            x0, y0 = max(ink[0] - pad, 0), max(ink[1] - pad, 0)
            x1, y1 = min(ink[2] + pad, w), min(ink[3] + pad, h)
        else:
            x0, y0, x1, y1 = self._box(cell, 3)
        if x1 - x0 < 4 or y1 - y0 < 4:
            return []
        crop = self.clean[y0:y1, x0:x1]
        big = cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
        _, binary = cv2.threshold(big, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        out = []
        for variant in (crop, binary):
            image = cv2.cvtColor(variant, cv2.COLOR_GRAY2BGR)
            result = engine()(image, use_det=not recognise_only, use_cls=False, use_rec=True)
            if result.txts:
                out.append(("".join(t.strip() for t in result.txts), float(min(result.scores))))
        return out


# --- files → pages ----------------------------------------------------------------------------


#: below this a scan's figures are a few pixels high and their reading is a guess: refused
MIN_DPI = 100
#: pages are rendered at their scan's resolution within these bounds
RENDER_DPI = (150.0, 220.0)


def pdf_pages(doc: Any, numbers: list[int]) -> dict[int, Page]:
    """The given pages (1-based) of an open pypdfium2 document, rendered and read by OCR."""
    import numpy as np

    out = {}
    for n in numbers:
        page = doc[n - 1]
        native = _scan_dpi(page)
        if native and native < MIN_DPI:
            raise coarse(_("the PDF has no text layer"), native)
        dpi = min(max(native or RENDER_DPI[0], RENDER_DPI[0]), RENDER_DPI[1])
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        pixels = np.array(bitmap.to_numpy())
        if pixels.ndim == 3:
            pixels = pixels[:, :, 0]
        out[n] = image_page(pixels, n, dpi)
    return out


def coarse(what: str, dpi: float) -> ReadError:
    return ReadError(
        "scanned-pdf",
        _(
            "{what}: the scan ({dpi} dpi) is too coarse for OCR to read its figures reliably: scan it "
            "again at 150 dpi or more",
            what=what,
            dpi=str(round(dpi)),
        ),
    )


def _scan_dpi(page: Any) -> float:
    """The resolution of the largest image on a page (a scan is one image the size of the
    page), 0 when it has none."""
    best, dpi = 0.0, 0.0
    for obj in page.get_objects(max_depth=2):
        if not hasattr(obj, "get_px_size"):
            continue
        left, bottom, right, top = obj.get_bounds()
        width, _height = obj.get_px_size()
        area = (right - left) * (top - bottom)
        if area > best and right > left:
            best, dpi = area, width / ((right - left) / 72)
    return dpi


def image_file_pages(data: bytes) -> list[Page]:
    """Every frame of an image file (a multi-page TIFF has several) as a page. The resolution
    is the file's when it states one, else that of an A4 page as wide as the image."""
    import io

    import numpy as np
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        frames = [f.convert("L") for f in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ReadError("corrupt", _("the image cannot be decoded ({reason})", reason=str(exc))) from exc
    pages = []
    for n, frame in enumerate(frames, 1):
        dpi = float((image.info.get("dpi") or (0, 0))[0] or 0)
        if not 50 <= dpi <= 1200:
            dpi = frame.width / 8.27
        if dpi < MIN_DPI:
            raise coarse(_("an image of report pages"), dpi)
        pages.append(image_page(np.asarray(frame), n, dpi))
    return pages

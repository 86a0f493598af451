"""PDFium (pypdfium2) → pages: the characters with their boxes and the ruling lines. Imported only
when a PDF is read, so that checking other formats does not pay for it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from nianbao.i18n import _
from nianbao.readers import ReadError
from nianbao.readers.limits import DEFAULT, Limits, check
from nianbao.readers.pdf_layout import Char, Page, Rule

#: a line thinner than this (points) is a ruling line even when drawn as a filled box
_THIN = 3.0


# --- PDFium → pages -------------------------------------------------------------------------


def extract(data: bytes, limits: Limits = DEFAULT, ocr: str = "auto") -> list[Page]:
    """Characters and ruling lines of every page, top-down coordinates. ``ocr``: ``auto`` reads
    the pages that have no text layer (or a text layer that decodes to nothing) by OCR when the
    OCR extra is installed, ``always`` reads every page by OCR, ``never`` none."""
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:  # an optional dependency: say how to get it
        raise ReadError("unsupported", _("reading PDF needs pypdfium2: pip install 'nianbao[pdf]'")) from exc

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc).rstrip(".")
        if "password" in text.lower():
            raise ReadError("unsupported", _("the PDF is password-protected: save an unprotected copy")) from exc
        raise ReadError(
            "corrupt",
            _(
                "the PDF is damaged or truncated and cannot be opened ({reason}); download or export it again",
                reason=text,
            ),
        ) from exc
    try:
        check(_("the PDF's pages"), len(doc), "pdf_pages", limits)
        pages = [_page(doc[i], i + 1) for i in range(len(doc))]
        if not pages:
            raise ReadError("corrupt", _("the PDF has no pages"))
        pages = _read_images(doc, pages, ocr)
    except pdfium.PdfiumError as exc:
        raise ReadError("corrupt", _("the PDF is damaged: a page cannot be read ({reason})", reason=exc)) from exc
    finally:
        doc.close()
    if all(_textless(p) for p in pages):
        if any(p.ocr is not None for p in pages):
            raise ReadError(
                "scanned-pdf",
                _(
                    "the PDF has no text layer, and OCR found no text on its pages (a blank page, or a scan "
                    "too faint or too coarse to read?)"
                ),
            )
        if ocr == "never":
            raise ReadError(
                "scanned-pdf",
                _("the PDF has no text layer (a scanned image?) and OCR is off (--ocr never)"),
            )
        raise ocr_missing(_("the PDF has no text layer (a scanned image?)"))
    if any(p.ocr is not None for p in pages):
        return pages
    if _garbled(pages):
        raise ReadError(
            "encoding",
            _(
                "the PDF's text layer cannot be decoded (its fonts map the glyphs to no Unicode text, so a copy "
                "of the text is garbage too): nianbao reads the text of a PDF; run OCR first (e.g. ocrmypdf "
                "--force-ocr -l chi_sim) and check the recognised figures against the page"
            ),
        )
    return pages


def _textless(page: Page) -> bool:
    """No text layer to speak of: a scan may carry a stamped page number and no other text."""
    return sum(1 for c in page.chars if not (c.text.isdigit() or c.text in "-—–－/第页")) < 20


def ocr_missing(what: str) -> ReadError:
    """The error for pages that need OCR when the extra is not installed: it names the extra."""
    return ReadError(
        "scanned-pdf", _("{what}: reading it needs OCR: {install}", what=what, install="pip install 'nianbao[ocr]'")
    )


def _read_images(doc: Any, pages: list[Page], mode: str) -> list[Page]:
    """The pages that OCR is to read (by ``mode``), read by it; the others as they are."""
    if mode == "always":
        wanted = [p.number for p in pages]
    elif mode == "auto":
        wanted = [p.number for p in pages] if _garbled(pages) else [p.number for p in pages if _textless(p)]
    else:
        wanted = []
    if not wanted:
        return pages
    from nianbao.readers import ocr

    if not ocr.available():
        if mode == "always":
            raise ocr_missing(_("--ocr always"))
        return pages  # the checks after this say what the pages lack and what to install
    read = ocr.pdf_pages(doc, wanted)
    return [read.get(p.number, p) for p in pages]


def _garbled(pages: list[Page]) -> bool:
    """A text layer whose fonts carry no Unicode map: PDFium gives private-use code points,
    control characters or U+FFFD instead of text."""
    chars = [c.text for p in pages for c in p.chars]
    bad = sum(1 for ch in chars if ch < " " or ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff")
    return bad > 0.3 * len(chars)


def _page(page: Any, number: int) -> Page:
    import ctypes

    import pypdfium2.raw as raw

    width, height = page.get_size()
    out = Page(number, width, height)
    textpage = page.get_textpage()
    try:
        box = raw.FS_RECTF()
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count)
        if len(text) != count:  # characters beyond the BMP: ask for each one
            text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
        # (the handle, the function and the pointer to the box looked up once, not per character)
        handle, loose_box, ref, add = textpage.raw, raw.FPDFText_GetLooseCharBox, ctypes.byref(box), out.chars.append
        for i, ch in enumerate(text):
            # PDFium's own spaces and line breaks are skipped with the real ones: layout
            # comes from the boxes
            if ch.isspace() or ch in "\ufffe\x00":
                continue
            loose_box(handle, i, ref)
            # loose boxes share the font's ascent and descent, so a line's characters align
            add(Char(ch, box.left, height - box.top, box.right, height - box.bottom))
    finally:
        textpage.close()
    # raw handles: PDFium's text objects outnumber paths a hundred to one, and wrapping each
    # one in a Python object costs more than reading the page
    pending: list[tuple[int, Callable[[int], Any], int]] = [
        (raw.FPDFPage_CountObjects(page.raw), partial(raw.FPDFPage_GetObject, page.raw), 0)
    ]
    kind_of, path, image, form = (
        raw.FPDFPageObj_GetType,
        raw.FPDF_PAGEOBJ_PATH,
        raw.FPDF_PAGEOBJ_IMAGE,
        raw.FPDF_PAGEOBJ_FORM,
    )
    while pending:
        count, get, depth = pending.pop()
        for i in range(count):
            obj = get(i)
            kind = kind_of(obj)
            if kind == path:
                out.rules.extend(_rules(obj, height, raw, ctypes))
            elif kind == image:
                out.images += 1
            elif kind == form and depth < 4:
                pending.append((raw.FPDFFormObj_CountObjects(obj), partial(raw.FPDFFormObj_GetObject, obj), depth + 1))
    return out


def _rules(obj: Any, height: float, raw: Any, ctypes: Any) -> list[Rule]:
    """The horizontal and vertical strokes of one path object (a visible filled box thinner
    than _THIN counts as a line: Word and WPS draw cell borders that way)."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
    if not stroke.value:
        if not fill.value or _white(obj, raw, ctypes):
            return []
        edges = [ctypes.c_float() for _ in range(4)]
        raw.FPDFPageObj_GetBounds(obj, *[ctypes.byref(v) for v in edges])
        left, bottom, right, top = (v.value for v in edges)
        if right - left < _THIN and top - bottom > _THIN:
            return [Rule(False, (left + right) / 2, height - top, height - bottom)]
        if top - bottom < _THIN and right - left > _THIN:
            return [Rule(True, height - (top + bottom) / 2, left, right)]
        return []
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m))
    points: list[tuple[float, float]] = []
    rules: list[Rule] = []
    start: tuple[float, float] | None = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        px = m.a * x.value + m.c * y.value + m.e
        py = m.b * x.value + m.d * y.value + m.f
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_MOVETO or not points:
            start = (px, py)
        elif kind == raw.FPDF_SEGMENT_LINETO:
            rules.extend(_segment(points[-1], (px, py), height))
        if raw.FPDFPathSegment_GetClose(seg) and start is not None:
            rules.extend(_segment((px, py), start, height))
        points.append((px, py))
    return rules


def _segment(a: tuple[float, float], b: tuple[float, float], height: float) -> list[Rule]:
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) < 0.5 and abs(ax - bx) > _THIN:
        return [Rule(True, height - ay, min(ax, bx), max(ax, bx))]
    if abs(ax - bx) < 0.5 and abs(ay - by) > _THIN:
        return [Rule(False, ax, height - max(ay, by), height - min(ay, by))]
    return []


def _white(obj: Any, raw: Any, ctypes: Any) -> bool:
    rgba = [ctypes.c_uint() for _ in range(4)]
    raw.FPDFPageObj_GetFillColor(obj, *[ctypes.byref(v) for v in rgba])
    r, g, b, a = (v.value for v in rgba)
    return bool(a == 0 or min(r, g, b) >= 250)

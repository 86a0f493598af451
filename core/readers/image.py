"""Reads an image of report pages (PNG, JPEG, a multi-page TIFF) by OCR, through the same layout
code as a PDF (:mod:`nianbao.readers.ocr`). Needs the ``nianbao[ocr]`` extra; without it, or with
``--ocr never``, the file gets an error that says so."""

from __future__ import annotations

from typing import Any

from nianbao.i18n import _
from nianbao.readers import ReadError, Source

#: the signatures of the formats read: PNG, JPEG, TIFF (both byte orders)
MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


class ImageReader:
    format = "image"

    def sniff(self, source: Source) -> int:
        return 100 if source.data.startswith(MAGIC) else 0

    def read(self, source: Source) -> dict[str, Any]:
        from nianbao.readers.pdf_extract import ocr_missing

        what = _("an image of report pages")
        if source.ocr == "never":
            raise ReadError(
                "scanned-pdf", _("{what}: it can only be read by OCR, and OCR is off (--ocr never)", what=what)
            )
        from nianbao.readers import ocr

        if not ocr.available():
            raise ocr_missing(what)
        from nianbao.readers.assemble import assemble
        from nianbao.readers.pdf_tokens import tokenize

        pages = ocr.image_file_pages(source.data)
        tokens, hints = tokenize(pages)
        data = assemble(tokens, hints)
        data["source"] = {
            **data.get("source", {}),
            "ocr": {"engine": ocr.describe_engine(), "pages": [p.number for p in pages]},
        }
        return data

"""Reads a PDF's text layer: PDFium (pypdfium2, Apache/BSD) gives the characters with their
boxes and the ruling lines, fast enough for a corpus (pdfplumber parses the same page in
Python, some ten times slower). The extraction is :mod:`nianbao.readers.pdf_extract`, the
geometry (lines, cells, tables) :mod:`nianbao.readers.pdf_layout`, the token stream
:mod:`nianbao.readers.pdf_tokens`; all three are imported only when a PDF is read.
"""

from __future__ import annotations

from typing import Any

from nianbao.i18n import _
from nianbao.readers import Source
from nianbao.readers.limits import check


class PdfReader:
    format = "pdf"

    def sniff(self, source: Source) -> int:
        # the header may follow a few bytes of junk (the spec allows it within the first 1024)
        return 100 if b"%PDF-" in source.data[:1024] else 0

    def read(self, source: Source) -> dict[str, Any]:
        # the geometry and PDFium are imported here, not at start-up
        from nianbao.readers.assemble import assemble
        from nianbao.readers.pdf_extract import extract
        from nianbao.readers.pdf_tokens import tokenize

        pages = extract(source.data, source.limits, source.ocr)
        check(_("the text of the PDF, in characters"), sum(len(p.chars) for p in pages), "text_chars", source.limits)
        tokens, hints = tokenize(pages, source.limits)
        data = assemble(tokens, hints)
        read = [p.number for p in pages if p.ocr is not None]
        if read:
            from nianbao.readers.ocr import describe_engine

            data["source"] = {**data.get("source", {}), "ocr": {"engine": describe_engine(), "pages": read}}
        return data

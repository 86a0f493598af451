"""Reads a PDF's text layer: PDFium (pypdfium2, Apache/BSD) gives the characters with their
boxes and the ruling lines, fast enough for a corpus (pdfplumber parses the same page in
Python, some ten times slower). The extraction is :mod:`nianbao.readers.pdf_extract`, the
geometry (lines, cells, tables) :mod:`nianbao.readers.pdf_layout`, the token stream
:mod:`nianbao.readers.pdf_tokens`; all three are imported only when a PDF is read.
"""

from __future__ import annotations

from typing import Any

from nianbao.readers import Source


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

        tokens, hints = tokenize(extract(source.data))
        return assemble(tokens, hints)

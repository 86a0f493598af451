"""The floor of the benchmarks: plain Python over the same files as ``nianbao check``, reading each
and applying one regular expression to its text, in one process. Run by scale.py with the Python
of the nianbao being measured (same interpreter, same libraries), and measured as nianbao is.

Text and HTML: the bytes decoded as UTF-8. PDF: the text of each page (pypdfium2, the library
nianbao's PDF reader uses, its plainest call). DOCX: word/document.xml out of the ZIP. Scans
(``--ocr``): each page rendered at 150 dpi and given once to the OCR engine nianbao uses
(RapidOCR, single-threaded), its lines joined.

    python benchmarks/floor.py FOLDER [--ocr]
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path
from typing import Any

PATTERN = re.compile(r"(\d+)\s*件")


def _ocr_text(doc: Any) -> str:
    from nianbao.readers import ocr

    engine = ocr.engine()
    out = []
    for page in doc:
        pixels = page.render(scale=150 / 72, grayscale=True).to_numpy()
        result = engine(pixels)
        out.extend(result.txts or ())
    return "\n".join(out)


def text_of(path: Path, scans: bool) -> str:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            if scans:
                return _ocr_text(doc)
            return "".join(page.get_textpage().get_text_range() for page in doc)
        finally:
            doc.close()
    if suffix == ".docx":
        with zipfile.ZipFile(path) as z:
            return z.read("word/document.xml").decode("utf-8")
    return path.read_bytes().decode("utf-8", errors="replace")


def main() -> None:
    folder = Path(sys.argv[1])
    scans = "--ocr" in sys.argv[2:]
    paths = (
        [folder]
        if folder.is_file()
        else sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    )
    hits = sum(len(PATTERN.findall(text_of(p, scans))) for p in paths)
    print(f"{len(paths)} files, {hits} matches")


if __name__ == "__main__":
    main()

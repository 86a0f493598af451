"""OCR speed per page, on one core: every page of the scan fixtures (tests/fixtures/scans) read by
``nianbao.readers.ocr`` as the PDF reader reads a scanned page (render, straighten, rules, text
detection and recognition, the second looks at unsure cells), timed in CPU seconds of this process
(ONNX Runtime runs single-threaded, so CPU time is one core's time) and in wall time.

    python benchmarks/ocr.py              # every scan
    python benchmarks/ocr.py --pages 6    # the first 6 pages only

Target (issue figure): ≤ 5 s a page on one core. Needs the nianbao[ocr] extra.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANS = ROOT / "tests" / "fixtures" / "scans"
TARGET = 5.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=0, help="stop after this many pages (0: all)")
    args = parser.parse_args()
    from nianbao.readers import ocr

    if not ocr.available():
        sys.exit("needs the OCR extra: pip install 'nianbao[ocr]'")
    import pypdfium2 as pdfium
    from nianbao.readers.pdf_tokens import tokenize

    start = time.process_time()
    ocr.engine()
    print(f"engine load: {time.process_time() - start:.2f} s CPU ({ocr.describe_engine()})")
    cpu: list[float] = []
    wall: list[float] = []
    for path in sorted(SCANS.glob("*.scan.pdf")):
        doc = pdfium.PdfDocument(path)
        for n in range(1, len(doc) + 1):
            if args.pages and len(cpu) >= args.pages:
                break
            c0, w0 = time.process_time(), time.perf_counter()
            page = ocr.pdf_pages(doc, [n])[n]
            tokenize([page])  # the cells are judged (second looks) as the tokens are made
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
            print(f"{path.name} page {n}: {cpu[-1]:.2f} s CPU, {wall[-1]:.2f} s wall, {len(page.chars)} characters")
        doc.close()
    if not cpu:
        sys.exit("no scan pages found")
    median, worst = statistics.median(cpu), max(cpu)
    print(
        f"{len(cpu)} pages: median {median:.2f} s, mean {statistics.mean(cpu):.2f} s, max {worst:.2f} s CPU a page "
        f"(wall median {statistics.median(wall):.2f} s); target ≤ {TARGET:.0f} s a page on one core "
        f"{'OK' if median <= TARGET else 'SLOW'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""OCR speed per page, on one core: every page of the scan fixtures (tests/fixtures/scans: the
image-only PDFs and the TIFF) read by ``nianbao.readers.ocr`` as the readers read a scanned page
(render, straighten, rules, text detection and recognition, the second looks at unsure cells),
timed in CPU seconds of this process (the runtime runs single-threaded, so CPU time is one core's
time, and other processes on a shared machine do not count) and in wall time. Each page's time is
split into detection, recognition and the rest (image work, layout, judging the cells).

    python benchmarks/ocr.py                         # every scan page, on the default runtime
    python benchmarks/ocr.py --pages 6               # the first 6 pages only
    python benchmarks/ocr.py --runtime onnxruntime   # on ONNX Runtime (when installed)
    python benchmarks/ocr.py --compare               # OpenVINO and ONNX Runtime page by page, alternately

Target (issue figure): ≤ 5 s a page on one core, on the mean. Needs the nianbao[ocr] extra.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCANS = ROOT / "tests" / "fixtures" / "scans"
TARGET = 5.0


def page_images() -> Iterator[tuple[str, int, Any, float]]:
    """(file, page, pixels, dpi) of every scanned page, rendered as the readers render them."""
    import io

    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageSequence

    for path in sorted([*SCANS.glob("*.scan.pdf"), *SCANS.glob("*.scan.tiff")]):
        if path.suffix == ".pdf":
            doc = pdfium.PdfDocument(path)
            for n in range(1, len(doc) + 1):
                pixels = np.array(doc[n - 1].render(scale=150 / 72, grayscale=True).to_numpy())
                yield path.name, n, pixels[:, :, 0] if pixels.ndim == 3 else pixels, 150.0
            doc.close()
        else:
            image = Image.open(io.BytesIO(path.read_bytes()))
            for n, frame in enumerate(ImageSequence.Iterator(image), 1):
                dpi = float((image.info.get("dpi") or (0, 0))[0] or 0)  # as ocr.image_file_pages
                if not 50 <= dpi <= 1200:
                    dpi = frame.width / 8.27
                yield path.name, n, np.asarray(frame.convert("L")), dpi


def timed_engine(engine: Any, spent: Counter[str]) -> None:
    """Count the CPU time of the engine's detection and recognition models in ``spent``."""
    for key, model in (("det", engine._load_det_model()), ("rec", engine._load_rec_model())):
        session = model.session
        if getattr(session, "nianbao_timed", False):
            continue

        def timed(x: Any, session: Callable[[Any], Any] = session, key: str = key) -> Any:
            start = time.process_time()
            try:
                return session(x)
            finally:
                spent[key] += time.process_time() - start

        timed.nianbao_timed = True  # type: ignore[attr-defined]
        model.session = timed


def read_page(ocr: Any, pixels: Any, n: int, dpi: float, spent: Counter[str]) -> tuple[float, float, int]:
    from nianbao.readers.pdf_tokens import tokenize

    spent.clear()
    c0, w0 = time.process_time(), time.perf_counter()
    page = ocr.image_page(pixels, n, dpi)
    tokenize([page])  # the cells are judged (second looks) as the tokens are made
    return time.process_time() - c0, time.perf_counter() - w0, len(page.chars)


def summary(name: str, cpu: list[float]) -> str:
    q = statistics.quantiles(cpu, n=4) if len(cpu) > 1 else [cpu[0]] * 3
    within = sum(c <= TARGET for c in cpu)
    mean = statistics.mean(cpu)
    return (
        f"{name}: {len(cpu)} pages: mean {mean:.2f} s, median {statistics.median(cpu):.2f} s, "
        f"quartiles {q[0]:.2f}/{q[2]:.2f} s, max {max(cpu):.2f} s CPU a page; {within}/{len(cpu)} pages "
        f"≤ {TARGET:.0f} s; target ≤ {TARGET:.0f} s a page on one core (mean) {'OK' if mean <= TARGET else 'SLOW'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=0, help="stop after this many pages (0: all)")
    parser.add_argument("--runtime", choices=["openvino", "onnxruntime"], help="default: OpenVINO when installed")
    parser.add_argument("--compare", action="store_true", help="both runtimes, each page read by one then the other")
    args = parser.parse_args()
    from nianbao.readers import ocr

    if not ocr.available():
        sys.exit("needs the OCR extra: pip install 'nianbao[ocr]'")
    runtimes = ["openvino", "onnxruntime"] if args.compare else [args.runtime or ocr._runtime()]
    engines: dict[str, Any] = {}
    spent: Counter[str] = Counter()
    for runtime in runtimes:
        start = time.process_time()
        engines[runtime] = ocr.engine(runtime)
        timed_engine(engines[runtime], spent)
        print(f"engine load: {time.process_time() - start:.2f} s CPU ({ocr.describe_engine()})")
    cpu: dict[str, list[float]] = {r: [] for r in runtimes}
    for count, (name, n, pixels, dpi) in enumerate(page_images()):
        if args.pages and count >= args.pages:
            break
        line = []
        for runtime in runtimes:
            ocr._ENGINE = engines[runtime]
            c, w, chars = read_page(ocr, pixels, n, dpi, spent)
            cpu[runtime].append(c)
            rest = c - spent["det"] - spent["rec"]
            split = f"det {spent['det']:.2f}, rec {spent['rec']:.2f}, rest {rest:.2f}"
            line.append(f"{runtime} {c:.2f} s CPU ({split}), {w:.2f} s wall")
        print(f"{name} page {n} ({chars} characters): " + "; ".join(line), flush=True)
    if not any(cpu.values()):
        sys.exit("no scan pages found")
    for runtime in runtimes:
        print(summary(runtime, cpu[runtime]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

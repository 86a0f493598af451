"""Writes the small seed inputs scripts/fuzz.py starts from where the test fixtures are too big
to fuzz quickly: a one-page PDF with text and a ruled 2×2 table, written by hand with
uncompressed streams (so that mutations reach the content), and report models (nianbao parse
of the text fixtures). Run by hand: ``python scripts/fuzz_seeds.py``."""

from __future__ import annotations

import json
from pathlib import Path

from nianbao.loader import load

ROOT = Path(__file__).resolve().parent.parent
FUZZ = ROOT / "tests" / "fixtures" / "fuzz"


def tiny_pdf() -> bytes:
    content = (
        b"BT /F1 12 Tf 72 720 Td (2021 annual report of the county government) Tj ET\n"
        b"BT /F1 10 Tf 72 750 Td (1. general situation: 5 applications received in 2021) Tj ET\n"
        b"BT /F1 10 Tf 72 640 Td (published 2022-01-20, statistics period 2021-01-01 to 2021-12-31) Tj ET\n"
        b"BT /F1 10 Tf 80 690 Td (1) Tj ET BT /F1 10 Tf 180 690 Td (2) Tj ET\n"
        b"0.5 w 70 700 m 270 700 l S 70 680 m 270 680 l S 70 660 m 270 660 l S\n"
        b"70 700 m 70 660 l S 170 700 m 170 660 l S 270 700 m 270 660 l S\n"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def main() -> None:
    (FUZZ / "pdf-seeds").mkdir(parents=True, exist_ok=True)
    (FUZZ / "pdf-seeds" / "tiny.pdf").write_bytes(tiny_pdf())
    (FUZZ / "json-seeds").mkdir(parents=True, exist_ok=True)
    for name, path in (
        ("seed-2021", ROOT / "tests/fixtures/seed-dongxiang-2021.txt"),
        ("transport-2019", ROOT / "tests/fixtures/text/ningchuan-transport-2019.txt"),
    ):
        report = load(str(path)).report
        assert report is not None
        text = json.dumps(report.data, ensure_ascii=False, separators=(",", ":"))
        (FUZZ / "json-seeds" / f"{name}.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

"""The project's own reports printed to PDF as publishers print them, by headless Chromium and by
LibreOffice (tests/fixtures/scans/make_scans.py wrote them): the text layer reads at 100% of cells.
Chromium cuts a table row at a page break without closing it by a rule; LibreOffice cuts a merged
column's cell and the row beside it at the break."""

from __future__ import annotations

from pathlib import Path

import pytest
from nianbao.loader import load
from printtruth import PRINTED, expected, wrong_cells

PDFS = sorted(PRINTED.glob("*.pdf"))


def test_there_are_prints_from_both_printers() -> None:
    names = {p.name.split(".")[1] for p in PDFS}
    assert names == {"chromium", "libreoffice"} and len(PDFS) >= 5


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_every_cell_read_as_printed(path: Path) -> None:
    loaded = load(str(path))
    assert loaded.error is None, loaded.error and loaded.error.message
    report = loaded.report
    template, year, cells = expected(path)
    assert report.data["source"]["format"] == "pdf"
    assert report.template == template and report.meta["year"] == year
    assert len(cells) in (198, 200)
    assert wrong_cells(report, cells) == {}


def test_the_prints_raise_no_error() -> None:
    # their sources are consistent reports: the scans made from them must raise none either (test_ocr)
    from nianbao.config import Config
    from nianbao.engine import run as run_rules

    results = run_rules([load(str(p)) for p in PDFS], Config()).results
    assert {r.uri: [f.rule for f in r.findings if f.level == "error"] for r in results} == {r.uri: [] for r in results}

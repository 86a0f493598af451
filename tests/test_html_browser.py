"""The HTML report as a reader sees it: opened in headless Chromium, a screenshot taken, and the
page's text (after its script ran) checked for the expected cells and findings.

Chromium is required in CI (.ci/run installs it when missing); outside CI, a machine without it
skips these tests."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import browser
import lxml.html
import pytest
from mutations import Original
from nianbao import engine
from nianbao.loader import load
from nianbao.reporters import html as html_reporter

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-dongxiang-2021.txt"
#: one of each input format, and files that cannot be read
MIXED = [
    SEED,
    FIXTURES / "html" / "dongxiang-2021.html",
    FIXTURES / "pdf" / "dongxiang-2021.pdf",
    FIXTURES / "docx" / "dongxiang-2021.docx",
    FIXTURES / "corpus" / "shanghai-office-2019.html",
    FIXTURES / "bad" / "empty.txt",
    FIXTURES / "bad" / "scanned.pdf",
    FIXTURES / "bad" / "old-word.doc",
]

pytestmark = pytest.mark.skipif(
    browser.chromium() is None and not os.environ.get("CI"),
    reason="chromium is not installed (CI installs it and never skips)",
)


def _open(page: Path, tmp_path: Path, script: str = "") -> lxml.html.HtmlElement:
    """Screenshot the page and dump its DOM (both at once: a launch takes seconds); ``script``
    runs in the page before the DOM is taken (a click, say)."""
    png = tmp_path / (page.stem + ".png")
    probe = page
    if script:
        probe = page.with_name(page.stem + "-probe.html")
        text = page.read_text(encoding="utf-8")
        probe.write_text(text.replace("</body>", f"<script>{script}</script></body>"), encoding="utf-8")
    with ThreadPoolExecutor(2) as pool:
        shot = pool.submit(browser.screenshot, page, png)
        dumped = pool.submit(browser.dom, probe)
        shot.result()
        doc = lxml.html.fromstring(dumped.result())
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a drawn page, not a blank one
    return doc


def test_seed_in_chromium(tmp_path):
    original = Original.read(SEED)
    pointer = "/tables/applications/granted/natural_person"
    text, _ = original.cell(pointer, lambda v: str(v + 1))
    mutated = tmp_path / "dongxiang-2021-mutated.txt"
    mutated.write_text(text, encoding="utf-8")
    run = engine.run([load(str(mutated))])
    page = tmp_path / "seed.html"
    html_reporter.write(run, str(page))
    doc = _open(page, tmp_path)
    td = doc.xpath(f'//td[@data-pointer="{pointer}"]')[0]
    value = original.report.get(pointer)
    assert td.text_content().startswith(f"{value + 1}→ {value}")
    assert "lv-error" in td.get("class")
    text = doc.text_content()
    for f in run.results[0].findings:
        assert f.message in text
    assert "一、本年新收政府信息公开申请数量" in text


def test_mixed_folder_in_chromium(tmp_path):
    run = engine.run([load(str(p)) for p in MIXED])
    page = tmp_path / "mixed.html"
    html_reporter.write(run, str(page))
    # the list sorts in the browser: the page's own script, on a click on the 'year' heading
    doc = _open(page, tmp_path, "document.querySelectorAll('#reports thead th')[1].click();")
    rows = doc.xpath("//table[@id='reports']/tbody/tr")
    assert len(rows) == len(MIXED)
    years = [r.xpath("td")[1].text_content() for r in rows]
    assert years == sorted(years)  # unreadable files (no year) first
    assert years[-1] == "2021" and "2019" in years
    assert {r.format for r in run.results if r.format} == {"text", "html", "pdf", "docx"}
    text = doc.text_content()
    for rr in run.results:
        assert rr.uri in text
        if rr.error:
            assert rr.error["message"] in text
        for f in rr.findings:
            assert f.message in text
    assert len(doc.xpath("//section[@class='report']")) == len(MIXED)

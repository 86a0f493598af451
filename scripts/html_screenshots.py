"""The HTML report opened in headless Chromium: screenshots for docs/ and a check at scale.

    python scripts/html_screenshots.py                 # docs/html-*.png: seed, mixed, year over year, roster, 10,000
    python scripts/html_screenshots.py --check OUTDIR  # the same pages under OUTDIR, checked, no docs written (.ci/run)
    python scripts/html_screenshots.py --scale 2000    # another size for the large run

Each page is opened in Chromium; its text after loading is checked for the cells and findings it
must show, and the times are printed. The large run is made of real checked results (the seed,
the seed with one wrong cell, its HTML, PDF and DOCX copies, a 2019 report, unreadable files)
repeated under distinct file names and bodies: it measures the reporter and the browser at that
size, not the checker's throughput (benchmarks/ does that).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import browser  # noqa: E402
import lxml.html  # noqa: E402
from mutations import Original  # noqa: E402
from nianbao import engine, i18n  # noqa: E402
from nianbao.config import Config  # noqa: E402
from nianbao.loader import load  # noqa: E402
from nianbao.model import Report  # noqa: E402
from nianbao.reporters import html  # noqa: E402
from nianbao.results import ReportResult  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
SEED = FIXTURES / "seed-dongxiang-2021.txt"
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
WRONG = "/tables/applications/granted/natural_person"


def rel(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths]


def mutated(tmp: Path) -> Path:
    text, _ = Original.read(SEED).cell(WRONG, lambda v: str(v + 1))
    path = tmp / "dongxiang-2021-wrong-cell.txt"
    path.write_text(text, encoding="utf-8")
    return path


def top_of(page: Path, selector: str) -> int:
    """The element's offset from the top of the page, as Chromium lays it out."""
    probe = page.with_name(page.stem + "-probe.html")
    script = (
        f"<script>var e=document.querySelector({selector!r});"
        "document.title=String(Math.round(e.getBoundingClientRect().top+window.scrollY));</script>"
    )
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", script + "</body>"), encoding="utf-8")
    title = lxml.html.fromstring(browser.dom(probe, width=1280)).findtext(".//title")  # laid out as shot
    probe.unlink()
    return int(title or 0)


def shot(page: Path, png: Path, selector: str | None = None, height: int = 1400) -> float:
    """A screenshot of ``height`` pixels from the element ``selector`` (else the top): the page
    shot down to there, then cropped with Pillow (a test dependency, through nianbao[ocr]), so
    that no image program of the machine's is needed."""
    from PIL import Image

    y = max(0, top_of(page, selector) - 20) if selector else 0
    full = png.with_name(png.stem + "-full.png")
    seconds = browser.screenshot(page, full, width=1280, height=y + height)
    with Image.open(full) as image:
        image.crop((0, y, 1280, y + height)).save(png)
    full.unlink()
    return seconds


def text_of(page: Path) -> tuple[lxml.html.HtmlElement, str]:
    doc = lxml.html.fromstring(browser.dom(page))
    return doc, doc.text_content()


def must(cond: bool, what: str) -> None:
    if not cond:
        raise SystemExit(f"html_screenshots: FAILED: {what}")
    print(f"  ok: {what}")


def large(run_of_samples: object, n: int) -> object:
    """``n`` results made from the checked samples, each under its own file name and body."""
    run = run_of_samples
    samples = run.results  # type: ignore[attr-defined]
    results = []
    for i in range(n):
        base = samples[i % len(samples)]
        report = base.report
        if report is not None:
            organ = f"测试{i // len(samples):04d}{(report.meta.get('organ') or '')}"
            report = Report({**report.data, "meta": {**report.meta, "organ": organ}})
        uri = f"reports/{i:05d}-{Path(base.uri).name}"
        results.append(
            ReportResult(uri, base.format, report, base.error, base.findings, base.passed, base.failed, base.skipped)
        )
    run.results = results  # type: ignore[attr-defined]
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", metavar="OUTDIR", help="write the pages under OUTDIR and check them; no docs/")
    parser.add_argument("--scale", type=int, default=10_000, help="reports in the large run (default 10000)")
    args = parser.parse_args()
    if browser.chromium() is None:
        raise SystemExit("html_screenshots: needs chromium")
    i18n.set_language("zh")
    out = Path(args.check) if args.check else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="nianbao-html-"))
    import os

    os.chdir(ROOT)  # file names as a CI job gives them: relative

    print("seed with one wrong cell")
    wrong = mutated(work)
    run = engine.run([load(str(wrong))])
    page = work / "report.html"
    html.write(run, str(page))
    doc, text = text_of(page)
    td = doc.xpath(f'//td[@data-pointer="{WRONG}"]')[0]
    must(
        "lv-error" in td.get("class") and "→" in td.text_content(),
        f"the wrong cell is marked with its fix: {td.text_content()}",
    )
    must(all(f.message in text for f in run.results[0].findings), "every finding is on the page")
    table_three = "h4 + table.form + table.form + table.form + table.form + h4"  # after table 二's four blocks
    print(f"  chromium: {shot(page, out / 'html-report.png', table_three):.1f} s")

    print("mixed folder")
    run = engine.run([load(p) for p in rel(MIXED)])
    page = work / "mixed.html"
    html.write(run, str(page))
    doc, text = text_of(page)
    must(len(doc.xpath("//table[@id='reports']/tbody/tr")) == len(MIXED), "every input is in the list")
    must(all(rr.uri in text for rr in run.results), "every file name is on the page")
    must(all(rr.error["message"] in text for rr in run.results if rr.error), "every reason a file could not be read")
    print(f"  chromium: {shot(page, out / 'html-run.png', height=1500):.1f} s")

    print("year over year")
    cross = FIXTURES / "crossyear"
    run = engine.run([load(p) for p in rel([cross / "dongxiang-2021.txt", cross / "dongxiang-2022-mismatch.txt"])])
    page = work / "yoy.html"
    html.write(run, str(page))
    doc, text = text_of(page)
    must(bool(doc.xpath("//h3[@class='yoy']")), "the 2022 report is drawn beside 2021")
    print(f"  chromium: {shot(page, out / 'html-yoy.png', 'h3.yoy', height=1300):.1f} s")

    print("roster: 10 bodies, 7 reports")
    names = [f"测试{c}县" for c in "甲乙丙丁戊己庚辛壬癸"]
    folder = work / "reports"
    folder.mkdir()
    seed = SEED.read_text(encoding="utf-8")
    for name in names[:7]:
        (folder / f"{name}-2021.txt").write_text(seed.replace("东乡县", name), encoding="utf-8")
    roster = work / "roster.yaml"
    roster.write_text(
        "years: [2021]\nbodies:\n" + "".join(f"  - name: {n}\n    kind: government\n" for n in names), encoding="utf-8"
    )
    paths = sorted(str(p) for p in folder.iterdir())
    run = engine.run([load(p) for p in paths], Config(roster=str(roster)))
    page = work / "roster.html"
    html.write(run, str(page))
    doc, text = text_of(page)
    missing = [
        r.xpath("td")[0].text_content()
        for r in doc.xpath("//table[@id='roster']/tbody/tr")
        if r.xpath("td[@class='st-missing']")
    ]
    must(missing == names[7:], f"the 3 missing bodies: {missing}")
    print(f"  chromium: {shot(page, out / 'html-roster.png', '#roster', height=700):.1f} s")

    print(f"{args.scale:,} reports")
    samples = engine.run([load(p) for p in [*rel(MIXED), str(wrong)]])
    run = large(samples, args.scale)
    folder = work / "large"
    folder.mkdir()
    page = folder / "run.html"
    started = time.perf_counter()
    written = html.write(run, str(page))
    seconds = time.perf_counter() - started
    size = sum(Path(w).stat().st_size for w in written)
    run_page = page.stat().st_size / 1e6
    print(f"  written: {len(written)} files, {size / 1e6:.1f} MB in {seconds:.1f} s; run page {run_page:.1f} MB")
    doc, text = text_of(page)
    must(len(doc.xpath("//table[@id='reports']/tbody/tr")) == args.scale, f"the list holds all {args.scale:,} reports")
    must(f"{args.scale:,}".replace(",", "") in text, "the count of files is on the run page")
    load_seconds = shot(page, out / f"html-{args.scale // 1000}k.png", height=1100)
    print(f"  chromium opened the run page and took the screenshot in {load_seconds:.1f} s")
    last = Path(written[-1])
    pdoc, _ = text_of(last)
    sections = pdoc.xpath("//section[@class='report']")
    must(0 < len(sections) <= html.PAGE_SIZE, f"{last.name} holds {len(sections)} report sections")
    started = time.perf_counter()
    browser.screenshot(last, work / "page.png")
    print(
        f"  chromium opened {last.name} ({last.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
    )
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

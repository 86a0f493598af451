"""Corpora for the benchmarks, generated from the repository's own reports so that no two files
are alike (a copy would make every report a duplicate organ-year, X104, and is not what a corpus
looks like): each variant has its own organ name (and a figure of its prose varied).

- text: the seed (examples/reports/dongxiang-2021.txt), organ 样本NNNNNN县, year 2021.
- html: the HTML fixture of the seed and the real Shanghai page, the organ renamed.
- docx: the Word fixture of the seed, the organ renamed in word/document.xml.
- pdf: those Word files printed to PDF by LibreOffice (as the PDF fixture was made), text layer.
- scans: the image-only scan fixtures (tests/fixtures/scans, no text layer: OCR on every page).
- organs: ``n`` text reports of 100 organs over consecutive years, ``n // 20`` of them a second
  report of an organ-year already present (X104 must report exactly those).
- findings: text reports whose tables and prose contradict each other (many findings each), for
  the SARIF split.
- long: one report with prose appended up to a size (text) or a page count (PDF).

Every corpus is written once under the work folder and reused (a ``.done`` file holding the
generator's version marks it complete).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "reports" / "dongxiang-2021.txt"
FIX = ROOT / "tests" / "fixtures"
VERSION = "5"  # bump when a generator changes: corpora of an older version are rewritten
ORGAN = "东乡县"


def _done(folder: Path) -> bool:
    mark = folder / ".done"
    return mark.exists() and mark.read_text() == VERSION


def _fresh(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def _finish(folder: Path) -> Path:
    (folder / ".done").write_text(VERSION)
    return folder


def files(folder: Path) -> list[Path]:
    """The corpus's files (what ``nianbao check FOLDER`` checks), sorted."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def _vary(text: str, i: int, organ: str, year: int = 2021) -> str:
    body = text.replace(ORGAN, organ)
    if year != 2021:
        body = body.replace("2022", str(year + 1)).replace("2021", str(year))
    # one figure of the prose (the site's visits), so that two reports of one organ-year differ
    return body.replace("368万", f"{300 + i % 97}万", 1)


def _write_many(folder: Path, items: Iterator[tuple[str, str]]) -> None:
    for k, (name, body) in enumerate(items):
        sub = folder / f"{k // 1000:03d}"  # 1,000 files a folder
        sub.mkdir(exist_ok=True)
        (sub / name).write_text(body, encoding="utf-8")


def text(work: Path, n: int) -> Path:
    folder = work / f"text-{n}"
    if _done(folder):
        return folder
    _fresh(folder)
    seed = SEED.read_text(encoding="utf-8")
    _write_many(folder, ((f"r{i:06d}.txt", _vary(seed, i, f"样本{i:06d}县")) for i in range(n)))
    return _finish(folder)


def organs_plan(n: int, organs: int = 100) -> tuple[list[tuple[int, int]], int]:
    """(organ, year) of each of ``n`` reports and the number of duplicates among them: the first
    ``n - n // 20`` cover the organs year after year; the last ``n // 20`` repeat distinct
    organ-years of those (spread over the corpus), each once."""
    dups = n // 20
    base = n - dups
    plan = [(k % organs, 2021 + k // organs) for k in range(base)]
    step = max(1, base // max(dups, 1))
    plan += [plan[j * step] for j in range(dups)]
    assert len(set(plan[base:])) == dups
    return plan, dups


def organs(work: Path, n: int, count: int = 100) -> Path:
    folder = work / f"organs-{n}-{count}"
    if _done(folder):
        return folder
    _fresh(folder)
    seed = SEED.read_text(encoding="utf-8")
    plan, _dups = organs_plan(n, count)
    _write_many(
        folder,
        ((f"r{i:06d}.txt", _vary(seed, i, f"样本{o:03d}县", year)) for i, (o, year) in enumerate(plan)),
    )
    return _finish(folder)


#: edits that make the seed contradict itself: the prose's count of applications off, and the
#: publication date before the end of the year reported (and table 三, see _table_three_off)
_DEFECTS = [
    ("共收到政府信息公开申请5件", "共收到政府信息公开申请9件"),
    ("发布时间:2022-02-10", "发布时间:2020-02-10"),
]


def findings(work: Path, n: int) -> Path:
    folder = work / f"findings-{n}"
    if _done(folder):
        return folder
    _fresh(folder)
    seed = SEED.read_text(encoding="utf-8")
    for old, new in _DEFECTS:
        assert old in seed, old
        seed = seed.replace(old, new)
    seed = _table_three_off(seed)
    _write_many(folder, ((f"r{i:06d}.txt", _vary(seed, i, f"样本{i:06d}县")) for i in range(n)))
    return _finish(folder)


def _table_three_off(seed: str) -> str:
    """The first three figures of table 三 (新收 of 自然人 and two kinds of 法人) raised by one: the
    row and column sums through them are then wrong."""
    start = seed.index("三、收到和处理政府信息公开申请情况")
    end = seed.index("四、", start)
    part = re.sub(r"(?m)^(\d+)$", lambda m: str(int(m.group(1)) + 1), seed[start:end], count=3)
    return seed[:start] + part + seed[end:]


# --- other formats ---------------------------------------------------------------------------


def _sources_html() -> list[tuple[bytes, str, str]]:
    return [
        ((FIX / "html" / "dongxiang-2021.html").read_bytes(), ORGAN, "样本{i:05d}县"),
        (
            (FIX / "corpus" / "shanghai-office-2019.html").read_bytes(),
            "上海市人民政府办公厅",
            "样本{i:05d}市人民政府办公厅",
        ),
    ]


def html(work: Path, n: int) -> Path:
    folder = work / f"html-{n}"
    if _done(folder):
        return folder
    _fresh(folder)
    sources = _sources_html()
    for i in range(n):
        data, old, new = sources[i % len(sources)]
        body = data.decode("utf-8").replace(old, new.format(i=i))
        (folder / f"r{i:05d}.html").write_text(body, encoding="utf-8")
    return _finish(folder)


def _docx_variant(src: Path, target: Path, change: Callable[[str], str]) -> None:
    with (
        zipfile.ZipFile(src) as zin,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)


def docx(work: Path, n: int) -> Path:
    folder = work / f"docx-{n}"
    if _done(folder):
        return folder
    _fresh(folder)
    src = FIX / "docx" / "dongxiang-2021.docx"
    for i in range(n):
        _docx_variant(
            src,
            folder / f"r{i:05d}.docx",
            lambda xml, i=i: xml.replace(ORGAN, f"样本{i:05d}县"),
        )
    return _finish(folder)


def soffice_pdf(sources: list[Path], outdir: Path) -> None:
    """Print Word files to PDF with LibreOffice (one call for all, its own profile)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *map(str, sources),
            ],
            check=True,
            capture_output=True,
            timeout=3600,
        )


def pdf(work: Path, n: int) -> Path:
    folder = work / f"pdf-{n}"
    if _done(folder):
        return folder
    words = docx(work, n)
    _fresh(folder)
    soffice_pdf(files(words), folder)
    if len(files(folder)) != n:
        raise RuntimeError(f"LibreOffice printed {len(files(folder))} of {n} files")
    return _finish(folder)


SCANS = [
    "dongxiang-2021-word.chromium.scan.pdf",
    "shanghai-office-2019.chromium.scan.pdf",
]


def scans(work: Path) -> Path:
    """The image-only PDFs (no text layer): 4 + 5 pages, each page OCR'd."""
    folder = work / "scans"
    if _done(folder):
        return folder
    _fresh(folder)
    for name in SCANS:
        shutil.copyfile(FIX / "scans" / name, folder / name)
    return _finish(folder)


# --- long inputs -----------------------------------------------------------------------------


def _prose() -> list[str]:
    """Paragraphs of the seed's prose that state no count the tables hold (so that appending them
    adds sentences to read and check, not contradictions), without their numbering."""
    seed = SEED.read_text(encoding="utf-8")
    out = []
    for line in seed.splitlines():
        line = line.strip()
        if len(line) > 60 and not re.search(r"\d|申请|件", line):
            out.append(
                re.sub(
                    r"^(\d+\.|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\))",
                    "",
                    line,
                )
            )
    assert out
    return out


def long_text(work: Path, megabytes: int) -> Path:
    """The seed with prose appended to section 五 up to ``megabytes`` MB (10^6 bytes) of UTF-8."""
    path = work / "long" / f"text-{megabytes}mb.txt"
    mark = path.with_suffix(".done")
    if path.exists() and mark.exists() and mark.read_text() == VERSION:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    seed = SEED.read_text(encoding="utf-8")
    at = seed.index("  六、其他需要报告的事项")
    head, tail = seed[:at].encode(), seed[at:].encode()
    paragraphs = [f"  {p}\n\n".encode() for p in _prose()]
    target = megabytes * 1_000_000 - len(head) - len(tail)
    with open(path, "wb") as out:
        out.write(head)
        written = k = 0
        while written < target:
            chunk = paragraphs[k % len(paragraphs)]
            out.write(chunk)
            written += len(chunk)
            k += 1
        out.write(tail)
    mark.write_text(VERSION)
    return path


#: the longest PDF of the benchmarks (one past the readers' default limit of 2,000 pages): printed
#: once by LibreOffice; the shorter ones are cut from it
LONGEST = 2001


def long_pdf(work: Path, pages: int) -> Path:
    """The Word fixture with prose appended to section 五, printed by LibreOffice once (at
    :data:`LONGEST` pages or more), then cut to exactly ``pages`` pages: prose pages before the
    last are deleted, so that the report still ends with its own last page (section 六)."""
    path = work / "long" / f"pdf-{pages}p.pdf"
    mark = path.with_suffix(".done")
    if path.exists() and mark.exists() and mark.read_text() == VERSION:
        return path
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(_printed(work, max(pages, LONGEST))))
    if len(doc) < pages:
        raise RuntimeError(f"LibreOffice made {len(doc)} pages, fewer than {pages}: raise per_page")
    # keep the report's own last page (section 六) as the last page: cut prose pages before it
    last = len(doc) - 1
    for k in range(last - 1, pages - 2, -1):
        doc.del_page(k)
    assert len(doc) == pages, len(doc)
    doc.save(str(path))
    doc.close()
    mark.write_text(VERSION)
    return path


def _printed(work: Path, pages: int) -> Path:
    path = work / "long" / f"printed-{pages}.pdf"
    mark = path.with_suffix(".done")
    if path.exists() and mark.exists() and mark.read_text() == VERSION:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    src = FIX / "docx" / "dongxiang-2021.docx"
    prose = _prose()
    # about 40 lines of 宋体 10.5 pt a page, 38 characters a line: pages × 1.1 paragraphs' worth
    per_page = 1500
    chars = sum(map(len, prose)) / len(prose)
    count = int(pages * per_page / chars * 1.15) + 10

    def change(xml: str) -> str:
        at = xml.index("六、其他需要报告的事项")
        at = max(xml.rfind("<w:p>", 0, at), xml.rfind("<w:p ", 0, at))
        paras = "".join(
            f'<w:p><w:r><w:t xml:space="preserve">{escape(prose[k % len(prose)])}</w:t></w:r></w:p>'
            for k in range(count)
        )
        return xml[:at] + paras + xml[at:]

    with tempfile.TemporaryDirectory() as tmp:
        word = Path(tmp) / f"printed-{pages}.docx"
        _docx_variant(src, word, change)
        soffice_pdf([word], Path(tmp))
        shutil.move(Path(tmp) / f"printed-{pages}.pdf", path)
    mark.write_text(VERSION)
    return path

"""End-to-end benchmark of ``nianbao check``: corpora generated here, the command run as a user
runs it (read + check + write JSON), with ``--jobs 1`` and ``--jobs N``; wall time, reports/s,
CPU time (user + system of nianbao and its workers) and peak RSS; beside each, a floor measured
in the same run on the same files: plain Python reading every file and applying one regular
expression to its text (PDF and DOCX: their text extracted with the same libraries' plainest
call), so that a slow machine or a busy one shows in both.

    python benchmarks/scale.py                       # text 1k, html, pdf, docx, cold start
    python benchmarks/scale.py --text 10000 100000   # the large text corpora too
    python benchmarks/scale.py --duplicates 10000    # 100 organs over years, with duplicates
    python benchmarks/scale.py --long                # a 2,000-page PDF and a 200 MB text file

Corpora go to ``--work`` (default /tmp/nianbao-bench) and are reused. Keep out of pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "reports" / "dongxiang-2021.txt"
FIX = ROOT / "tests" / "fixtures"
#: per-core targets of issue 10 (reports per second, end to end)
TARGETS = {"text": 500.0, "html": 150.0, "docx": 80.0, "pdf": 30.0}
_FLOOR = re.compile(r"(\d+)\s*件")


def _exe() -> list[str]:
    found = shutil.which("nianbao", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "nianbao"]


# --- corpora ---------------------------------------------------------------------------------


def _variants(text: str, n: int, organs: int | None = None, duplicates: float = 0.0) -> list[tuple[str, str]]:
    """(name, text) for ``n`` reports: the seed with its organ and figures varied, so that no two
    files are alike. ``organs``: that many organs, each over consecutive years (2008 …)."""
    out = []
    base_organ = "东乡县"
    for i in range(n):
        if organs:
            organ_no, year_no = i % organs, i // organs
            if duplicates and i % int(1 / duplicates) == 0:
                year_no = max(year_no - 1, 0)  # the same organ-year twice
            organ, year = f"样本{organ_no:03d}县", 2021 + year_no % 5
        else:
            organ, year = f"样本{i:06d}县", 2021
        body = text.replace(base_organ, organ).replace("2021", str(year)).replace("2022", str(year + 1))
        # vary one figure of the narrative (the visits) so files differ byte for byte
        body = body.replace("368万", f"{300 + i % 97}万", 1)
        out.append((f"r{i:06d}.txt", body))
    return out


def text_corpus(work: Path, n: int, organs: int | None = None, duplicates: float = 0.0) -> Path:
    name = f"text-{n}" + (f"-organs{organs}-dup{duplicates:g}" if organs else "")
    folder = work / name
    if (folder / ".done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    seed = SEED.read_text(encoding="utf-8")
    for k, (file, body) in enumerate(_variants(seed, n, organs, duplicates)):
        sub = folder / f"{k // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / file).write_text(body, encoding="utf-8")
    (folder / ".done").write_text("")
    return folder


def copies_corpus(work: Path, fmt: str, sources: list[Path], n: int) -> Path:
    """``n`` copies of the format's fixtures (copies: the readers parse each anew)."""
    folder = work / f"{fmt}-{n}"
    if (folder / ".done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i in range(n):
        src = sources[i % len(sources)]
        shutil.copyfile(src, folder / f"r{i:05d}{src.suffix}")
    (folder / ".done").write_text("")
    return folder


# --- measuring -------------------------------------------------------------------------------


def _children() -> tuple[float, int]:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime, use.ru_maxrss


def run_check(folder: Path, jobs: int, fmt: str = "json", extra: list[str] | None = None) -> dict[str, float]:
    """``nianbao check FOLDER -f FMT -o FILE --jobs N`` under /usr/bin/time for the peak RSS of
    the whole process tree's largest member and the CPU of all of it."""
    out = folder.parent / f"out-{folder.name}-j{jobs}.{fmt}"
    cmd = [*_exe(), "check", str(folder), "-f", fmt, "-o", str(out), "--jobs", str(jobs), "-q", *(extra or [])]
    cpu0, _ = _children()
    started = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - started
    cpu1, _ = _children()
    if proc.returncode not in (0, 1):
        sys.exit(f"nianbao check failed ({proc.returncode}): {proc.stderr[-2000:]}")
    last = proc.stderr.strip().splitlines()[-1].split()
    files = sum(1 for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    return {
        "files": files,
        "wall": wall,
        "cpu": cpu1 - cpu0,
        "rss_mb": int(last[0]) / 1024,  # the largest process of the tree (parent or a worker)
        "rate": files / wall,
        "rate_cpu": files / max(cpu1 - cpu0, 1e-9),
        "out": str(out),
    }


def _text_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            return "".join(page.get_textpage().get_text_range() for page in doc)
        finally:
            doc.close()
    if suffix == ".docx":
        import zipfile

        with zipfile.ZipFile(path) as z:
            return z.read("word/document.xml").decode("utf-8")
    return path.read_bytes().decode("utf-8", errors="replace")


def floor(folder: Path) -> dict[str, float]:
    """Plain Python on the same files: read, decode (or extract the text), one regex."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    cpu0 = time.process_time()
    started = time.perf_counter()
    hits = 0
    for p in files:
        hits += len(_FLOOR.findall(_text_of(p)))
    wall = time.perf_counter() - started
    return {"files": len(files), "wall": wall, "cpu": time.process_time() - cpu0, "rate": len(files) / wall}


def cold(runs: int = 9) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([*_exe(), "check", str(SEED), "-f", "json"], capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def same_output(a: str, b: str) -> bool:
    """Byte-identical, JUnit timings aside."""
    ta, tb = (Path(x).read_text(encoding="utf-8") for x in (a, b))
    if a.endswith(".junit"):
        ta, tb = (re.sub(r' time="[0-9.]+"', "", t) for t in (ta, tb))
    return ta == tb


# --- the table -------------------------------------------------------------------------------


def row(name: str, target: float | None, r1: dict[str, float], rn: dict[str, float] | None, fl: dict[str, float]):
    per_core = r1["rate_cpu"]
    verdict = "" if target is None else ("meets" if per_core >= target else "below")
    cells = [
        name,
        f"{int(r1['files'])}",
        f"{r1['wall']:.1f} s / {r1['rate']:.0f}/s",
        f"{r1['cpu']:.1f} s ({per_core:.0f}/s per core)",
        f"{r1['rss_mb']:.0f} MB",
        f"{rn['wall']:.1f} s / {rn['rate']:.0f}/s, {rn['cpu']:.1f} s CPU, {rn['rss_mb']:.0f} MB" if rn else "",
        f"{fl['rate']:.0f}/s ({r1['wall'] / fl['wall']:.0f}× floor)" if fl["wall"] else "",
        f"≥ {target:g}/s: {verdict}" if target else "",
    ]
    return "| " + " | ".join(cells) + " |"


HEADER = (
    "| corpus | files | --jobs 1: wall / rate | CPU (rate per core) | peak RSS | --jobs N | floor (ratio) | target |\n"
    "|---|---|---|---|---|---|---|---|"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", default="/tmp/nianbao-bench", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="N for the --jobs N runs")
    parser.add_argument("--text", type=int, nargs="*", default=[1000], help="text corpus sizes (default 1000)")
    parser.add_argument("--formats", nargs="*", default=["html", "pdf", "docx"])
    parser.add_argument("--per-format", type=int, default=200, help="files per HTML/PDF/DOCX corpus")
    parser.add_argument("--duplicates", type=int, default=0, help="a corpus of this many reports, 100 organs")
    parser.add_argument("--identical", type=int, default=0, help="check JSON/SARIF/JUnit -j1 = -jN on this many")
    parser.add_argument("--only-jobs-n", action="store_true", help="text corpora: only the --jobs N run")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    lines = [HEADER]
    print(f"cold start, nianbao check on one text report: median {cold() * 1000:.0f} ms (target ≤ 150 ms)")
    for n in args.text:
        folder = text_corpus(args.work, n)
        fl = floor(folder)
        r1 = None if args.only_jobs_n else run_check(folder, 1)
        rn = run_check(folder, args.jobs)
        lines.append(row(f"text {n}", TARGETS["text"], r1 or rn, rn if r1 else None, fl))
        print(lines[-1], flush=True)
    sources = {
        "html": [FIX / "html" / "dongxiang-2021.html", FIX / "corpus" / "shanghai-office-2019.html"],
        "pdf": [FIX / "pdf" / "dongxiang-2021.pdf", FIX / "corpus" / "huaian-2024.pdf"],
        "docx": [FIX / "docx" / "dongxiang-2021.docx"],
    }
    for fmt in args.formats:
        folder = copies_corpus(args.work, fmt, [p for p in sources[fmt] if p.exists()], args.per_format)
        fl = floor(folder)
        r1, rn = run_check(folder, 1), run_check(folder, args.jobs)
        lines.append(row(fmt, TARGETS[fmt], r1, rn, fl))
        print(lines[-1], flush=True)
    if args.identical:
        folder = text_corpus(args.work, args.identical)
        for fmt in ("json", "sarif", "junit"):
            a, b = run_check(folder, 1, fmt), run_check(folder, args.jobs, fmt)
            print(
                f"{args.identical} reports, {fmt}: --jobs 1 and --jobs {args.jobs} identical: "
                f"{same_output(a['out'], b['out'])} ({a['wall']:.1f} s, {b['wall']:.1f} s)",
                flush=True,
            )
    if args.duplicates:
        for n in (args.duplicates // 10, args.duplicates):
            folder = text_corpus(args.work, n, organs=100, duplicates=0.05)
            r = run_check(folder, args.jobs, "json", ["--select", "X"])
            doc = json.loads(Path(r["out"]).read_text(encoding="utf-8"))
            dup = sum(1 for rep in doc["reports"] for f in rep["findings"] if f["rule"] == "X104")
            print(
                f"{n} reports, 100 organs, duplicates: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, "
                f"{r['rss_mb']:.0f} MB; X104 findings: {dup}",
                flush=True,
            )
    print("\n".join(lines))


if __name__ == "__main__":
    main()

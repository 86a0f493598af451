"""End-to-end benchmark of ``nianbao check`` (issue 10): corpora generated here (corpora.py), the
command run as a user runs it (read + check + write JSON to a file), with ``--jobs 1`` and
``--jobs N`` (N = the machine's cores), measured as a process tree (measure.py): wall time,
reports/s, CPU time (user + system of nianbao and its workers), peak memory of the tree. Beside
each figure, the floor measured in the same run on the same files (floor.py: plain Python
reading every file and applying one regular expression) and the ratio to it.

nianbao is measured as a user gets it: a wheel built from this checkout's HEAD (``git archive``,
so uncommitted changes are not measured), installed with its extras into a fresh venv under the
work folder (one per commit, reused). ``--nianbao EXE`` measures another installation instead.

    python benchmarks/scale.py            # the table (≤ 10 min on 2 quiet cores)
    python benchmarks/scale.py --readme   # the same, then README.md's table rewritten
    python benchmarks/scale.py --musts    # every must-show below (long: an hour or more today)
    python benchmarks/scale.py --hundred-k | --identical | --duplicates | --long | --sarif-split | --dask
    python benchmarks/scale.py --render   # README.md's table from the stored results only

Each measurement is stored in WORK/results.json with the commit, the date and the machine's load;
``--readme`` writes every stored measurement into README.md between the scale markers, so that
must-shows run separately all appear. The default run's parts: cold start, text 1k and 10k, HTML,
PDF and DOCX (200 files each), scans (9 pages OCR'd: CPU-bound, about 5 s a page).

Must-shows (issue 10), each printing its verdict:

- ``--hundred-k``: 100,000 text reports, ``--jobs 2``: wall < 5 min, peak RSS of the tree < 400 MB.
- ``--identical``: 10,000 reports, ``--jobs 1`` and ``--jobs 2``: JSON, SARIF, JUnit byte-identical
  apart from the run's timings (what is masked is printed, with how often it occurred).
- ``--duplicates``: 1k, 5k, 10k reports of 100 organs over years, 5% a second report of an
  organ-year: time linear (CPU per report at 10k over that at 1k), X104 reports every injected one.
- ``--long``: text of 20, 100, 200 MB and PDFs of 200, 1000, 2000 (and 2001) pages: the time and
  memory, or the refusal with its time and message (limits: core/readers/limits.py); the text
  again with the limits raised, to see whether the time is linear.
- ``--sarif-split``: 10,000 reports with many findings: SARIF split into runs within GitHub's
  limits (25,000 results, 10 MB gzipped per run), every run passing check-sarif.
- ``--dask``: tests/test_dask.py (a local Dask cluster against a local run, same findings).

Keep out of pytest (no timed tests).
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpora
import measure

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
README = ROOT / "README.md"
BEGIN, END = "<!-- scale.py: begin -->", "<!-- scale.py: end -->"
#: per-core targets of issue 10 (reports per CPU second, end to end)
TARGETS = {"text": 500.0, "html": 150.0, "docx": 80.0, "pdf": 30.0}
COLD_TARGET = 0.15
CHECK_SARIF = Path("/work/shared/conformance/check-sarif")


# --- the nianbao measured -------------------------------------------------------------------


class Install:
    def __init__(self, exe: str, python: str, commit: str) -> None:
        self.exe, self.python, self.commit = exe, python, commit


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True).stdout.strip()


def install(work: Path, given: str | None, ref: str = "HEAD") -> Install:
    """A fresh venv with nianbao[all,ocr] from a wheel of ``ref`` (once per commit)."""
    if given:
        exe = shutil.which(given) or given
        python = str(Path(exe).parent / "python")
        return Install(exe, python, os.environ.get("NIANBAO_COMMIT", "?"))
    # the last commit that changed nianbao itself (not the benchmarks or the README): the label of
    # the figures, and of the venv, which a change of the benchmarks alone does not rebuild
    commit = _git("log", "-1", "--format=%h", ref, "--", ".", ":!benchmarks", ":!README.md")
    venv = work / f"venv-wheel-{commit}"
    exe, python = venv / "bin" / "nianbao", venv / "bin" / "python"
    if not (venv / ".done").exists():
        print(f"installing nianbao {commit} from a wheel into {venv} …", flush=True)
        src, wheels = work / f"src-{commit}", work / f"wheels-{commit}"
        for d in (src, wheels, venv):
            shutil.rmtree(d, ignore_errors=True)
        src.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive.stdout, check=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [
            str(venv / "bin" / "pip"),
            "install",
            "-q",
            "--disable-pip-version-check",
        ]
        subprocess.run(
            [*pip, "setuptools>=70.1", "babel>=2.12", "wheel"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                str(venv / "bin" / "pip"),
                "wheel",
                "-q",
                "--no-deps",
                "--no-build-isolation",
                "-w",
                str(wheels),
                str(src),
            ],
            check=True,
            capture_output=True,
        )
        wheel = next(wheels.glob("nianbao-*.whl"))
        subprocess.run([*pip, f"{wheel}[all,ocr]"], check=True, capture_output=True)
        (venv / ".done").write_text(commit)
    return Install(str(exe), str(python), commit)


# --- measuring ---------------------------------------------------------------------------------


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def check(
    nb: Install,
    target: Path,
    jobs: int,
    out: Path,
    fmt: str = "json",
    extra: list[str] | None = None,
    timeout: float | None = None,
    allow: tuple[int, ...] = (),
) -> dict[str, Any]:
    cmd = [
        nb.exe,
        "check",
        str(target),
        "-f",
        fmt,
        "-o",
        str(out),
        "--jobs",
        str(jobs),
        "-q",
        *(extra or []),
    ]
    if TIME_LIMIT is not None:
        cmd += ["--time-limit", TIME_LIMIT]
    load = _load()
    m = measure.run(cmd, timeout=timeout)
    if m.returncode not in (0, 1, *allow):
        raise RuntimeError(f"{' '.join(cmd)}: exit {m.returncode}: {m.stderr[-3000:]}")
    record = {**_dump(m), "load": load, "cmd": " ".join(cmd[1:])}
    if fmt == "json" and out.exists():
        # files that ended in an error (unreadable, or stopped by the time limit): a benchmark
        # that errs is not measuring checking
        with open(out, encoding="utf-8") as fh:
            record["errors"] = sum(line.count('"status": "error"') for line in fh)
    return record


TIME_LIMIT: str | None = None


def _dump(m: measure.Measured) -> dict[str, Any]:
    return {
        "rc": m.returncode,
        "wall": m.wall,
        "cpu": m.cpu,
        "user": m.user,
        "system": m.system,
        "rss_tree": m.rss_tree,
        "pss_tree": m.pss_tree,
        "rss_max": m.rss_max,
        "processes": m.processes,
        "stderr": m.stderr[-2000:],
    }


def floor(nb: Install, folder: Path, ocr: bool = False) -> dict[str, Any]:
    m = measure.run([nb.python, str(HERE / "floor.py"), str(folder), *(["--ocr"] if ocr else [])])
    if m.returncode:
        raise RuntimeError(f"floor on {folder}: {m.stderr[-2000:]}")
    return _dump(m)


def cold(nb: Install, runs: int = 11) -> dict[str, Any]:
    """``nianbao check SEED`` (text output, as a user types it): median of ``runs`` fresh
    processes after one unmeasured run (so that the page cache, not the disk, serves the files)."""
    cmd = [nb.exe, "check", str(corpora.SEED)]
    subprocess.run(cmd, capture_output=True)
    walls, cpus = [], []
    load = _load()
    for _ in range(runs):
        m = measure.run(cmd, sampling=False)
        walls.append(m.wall)
        cpus.append(m.cpu)
    return {
        "runs": runs,
        "wall": statistics.median(walls),
        "min": min(walls),
        "max": max(walls),
        "cpu": statistics.median(cpus),
        "load": load,
    }


# --- results -----------------------------------------------------------------------------------


def _results_path(work: Path) -> Path:
    return work / "results.json"


def store(work: Path, nb: Install, key: str, record: dict[str, Any]) -> None:
    import fcntl

    path = _results_path(work)
    lock = open(work / "results.lock", "w")  # noqa: SIM115 - runs of the script may end together
    fcntl.flock(lock, fcntl.LOCK_EX)
    data = json.loads(path.read_text()) if path.exists() else {}
    record = {
        **record,
        "commit": nb.commit,
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
    }
    data[key] = record
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    lock.close()


def stored(work: Path) -> dict[str, Any]:
    path = _results_path(work)
    return json.loads(path.read_text()) if path.exists() else {}


# --- the table -----------------------------------------------------------------------------


def _rate(n: float, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


def _fig(seconds: float, n: int, floor_seconds: float, unit: str = "/s") -> str:
    """``12.3 s, 81/s (×42)``: × = how many times the floor's rate is nianbao's (1 = the floor)."""
    ratio = seconds / floor_seconds if floor_seconds > 0 else float("nan")
    rate = _rate(n, seconds)
    return (
        f"{seconds:.1f} s, {rate:.0f}{unit} (×{ratio:.0f})"
        if rate >= 10
        else f"{seconds:.1f} s, {rate:.2f}{unit} (×{ratio:.1f})"
    )


def _mem(r: dict[str, Any]) -> str:
    return f"{r['rss_tree']:.0f} / {r['pss_tree']:.0f} / {r['rss_max']:.0f}"


def corpus_row(rec: dict[str, Any]) -> str:
    n, j1, jn, fl = rec["files"], rec["j1"], rec["jn"], rec["floor"]
    unit = "/s"
    count = n
    if rec.get("pages"):  # scans: per page
        count, unit = rec["pages"], " pages/s"
    target = rec.get("target")
    per_core = _rate(n, j1["cpu"])
    met = "" if target is None else ("**met**" if per_core >= target else "not met")
    errs = ", ".join(f"{r['errors']} errors at {k}" for k, r in (("-j 1", j1), ("-j N", jn)) if r.get("errors"))
    cells = [
        rec["name"],
        f"{n}" + (f" ({rec['pages']} pages)" if rec.get("pages") else "") + (f" ({errs})" if errs else ""),
        _fig(j1["wall"], count, fl["wall"], unit),
        _fig(j1["cpu"], count, fl["cpu"], unit),
        _fig(jn["wall"], count, fl["wall"], unit) + f", CPU {jn['cpu']:.1f} s",
        f"{_mem(j1)} · {_mem(jn)}",
        f"{fl['wall']:.2f} s, CPU {fl['cpu']:.2f} s ({_rate(count, fl['cpu']):.3g}{unit})",
        (f"≥ {target:g}/s per core: {per_core:.0f}/s, {met}" if target else rec.get("note", "")),
    ]
    return "| " + " | ".join(cells) + " |"


HEADER = (
    "| corpus | files | `--jobs 1` wall, rate (× floor) | `--jobs 1` CPU, rate per CPU s (× floor) "
    "| `--jobs N` wall, rate (× floor) | peak MB tree RSS / PSS / largest process: `-j 1` · `-j N` "
    "| floor: wall, CPU | target (end to end, per core = per CPU second of `-j 1`) |\n"
    "|---|---|---|---|---|---|---|---|"
)


def render(results: dict[str, Any]) -> str:
    lines = []
    rows = [r for k, r in results.items() if k.startswith("corpus:")]
    order = ["text 1000", "text 10000", "text 100000", "html", "pdf", "docx", "scans"]
    rows.sort(key=lambda r: order.index(r["name"]) if r["name"] in order else 99)
    commits = sorted({r["commit"] for r in results.values()})
    dates = sorted(r["date"] for r in results.values())
    if dates:
        lines.append(
            f"Measured {dates[0]} – {dates[-1]} on commit {', '.join(commits)}, "
            f"{results[next(iter(results))]['cores']} cores (load average at the start of each run in "
            "WORK/results.json; a busy machine inflates wall time more than CPU time)."
        )
        lines.append("")
    if "cold" in results:
        c = results["cold"]
        met = "**met**" if c["wall"] <= COLD_TARGET else "not met"
        lines.append(
            f"- Cold start, `nianbao check` on one text report (wheel install in a fresh venv, text output): "
            f"median {c['wall'] * 1000:.0f} ms wall over {c['runs']} runs (min {c['min'] * 1000:.0f}, "
            f"max {c['max'] * 1000:.0f}), {c['cpu'] * 1000:.0f} ms CPU; target ≤ {COLD_TARGET * 1000:.0f} ms: {met} "
            f"(load {c['load']}; {c['commit']}, {c['date']})."
        )
        lines.append("")
    if rows:
        jobs = rows[0]["jobs"]
        lines.append(HEADER.replace("`--jobs N`", f"`--jobs {jobs}`").replace("`-j N`", f"`-j {jobs}`"))
        lines.extend(corpus_row(r) for r in rows)
        lines.append("")
    musts = [r for k, r in results.items() if k.startswith("must:")]
    if musts:
        lines.append("| must show (issue 10) | measured | verdict | commit, date |")
        lines.append("|---|---|---|---|")
        for r in sorted(musts, key=lambda r: r["order"]):
            lines.append(f"| {r['title']} | {r['figures']} | {r['verdict']} | {r['commit']}, {r['date']} |")
    return "\n".join(lines)


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    if BEGIN not in readme or END not in readme:
        sys.exit(f"README.md has no {BEGIN} … {END} markers")
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")
    print(f"README.md: the table between the scale.py markers rewritten ({len(text.splitlines())} lines)")


# --- the default run ---------------------------------------------------------------------------


def run_corpus(work: Path, nb: Install, name: str, folder: Path, jobs: int, **rec: Any) -> dict[str, Any]:
    ocr = name == "scans"
    fl = floor(nb, folder, ocr)
    out = work / "out"
    out.mkdir(exist_ok=True)
    j1 = check(nb, folder, 1, out / f"{folder.name}-j1.json")
    jn = check(nb, folder, jobs, out / f"{folder.name}-j{jobs}.json")
    record = {
        "name": name,
        "files": len(corpora.files(folder)),
        "j1": j1,
        "jn": jn,
        "jobs": jobs,
        "floor": fl,
        **rec,
    }
    store(work, nb, f"corpus:{name}", record)
    print(corpus_row(record), flush=True)
    return record


def default_run(args: argparse.Namespace, nb: Install) -> None:
    work = args.work
    c = cold(nb, args.cold_runs)
    store(work, nb, "cold", c)
    print(
        f"cold start: median {c['wall'] * 1000:.0f} ms wall, {c['cpu'] * 1000:.0f} ms CPU over {c['runs']} runs "
        f"(target ≤ {COLD_TARGET * 1000:.0f} ms): {'met' if c['wall'] <= COLD_TARGET else 'NOT met'}",
        flush=True,
    )
    print(HEADER, flush=True)
    for n in args.text:
        run_corpus(
            work,
            nb,
            f"text {n}",
            corpora.text(work, n),
            args.jobs,
            target=TARGETS["text"],
        )
    for fmt in args.formats:
        if fmt == "scans":
            folder = corpora.scans(work)
            pages = sum(_pages(p) for p in corpora.files(folder))
            run_corpus(
                work,
                nb,
                "scans",
                folder,
                args.jobs,
                pages=pages,
                note="CPU-bound (OCR, one core a page)",
            )
        else:
            maker = {"html": corpora.html, "pdf": corpora.pdf, "docx": corpora.docx}[fmt]
            run_corpus(
                work,
                nb,
                fmt,
                maker(work, args.per_format),
                args.jobs,
                target=TARGETS[fmt],
            )


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


# --- must-shows ----------------------------------------------------------------------------------


def must(
    work: Path,
    nb: Install,
    key: str,
    order: int,
    title: str,
    figures: str,
    ok: bool | None,
) -> None:
    verdict = "**holds**" if ok else ("fails" if ok is not None else "—")
    store(
        work,
        nb,
        f"must:{key}",
        {"order": order, "title": title, "figures": figures, "verdict": verdict},
    )
    print(f"{title}: {figures} → {verdict.strip('*')}", flush=True)


def hundred_k(args: argparse.Namespace, nb: Install) -> None:
    folder = corpora.text(args.work, 100_000)
    fl = floor(nb, folder)
    r = check(nb, folder, 2, args.work / "out" / "text-100000-j2.json")
    n = 100_000
    ok = r["wall"] < 300 and r["rss_tree"] < 400
    figures = (
        f"wall {r['wall']:.0f} s ({n / r['wall']:.0f}/s), CPU {r['cpu']:.0f} s ({n / r['cpu']:.0f}/s per CPU s); "
        f"peak tree RSS {r['rss_tree']:.0f} MB (PSS {r['pss_tree']:.0f}, largest process {r['rss_max']:.0f}); "
        f"floor {fl['cpu']:.0f} s CPU (×{r['cpu'] / fl['cpu']:.0f}); {r.get('errors', '?')} files in error; "
        f"load {r['load']}; `{r['cmd']}`"
    )
    store(
        args.work,
        nb,
        "corpus:text 100000",
        {
            "name": "text 100000",
            "files": n,
            "j1": r,
            "jn": r,
            "jobs": 2,
            "floor": fl,
            "target": TARGETS["text"],
            "only_jn": True,
        },
    )
    must(
        args.work,
        nb,
        "100k",
        1,
        "100,000 text reports, `--jobs 2`: wall < 5 min, peak RSS < 400 MB",
        figures,
        ok,
    )


#: what differs between two runs of the same files by design: the JUnit time attributes (seconds a
#: case or suite took) and timestamps; SARIF invocation times; JSON timing keys
MASKS = [
    ("JUnit time=", re.compile(r' time="[0-9.]+"')),
    ("JUnit timestamp=", re.compile(r' timestamp="[^"]*"')),
    ("JUnit hostname=", re.compile(r' hostname="[^"]*"')),
    ("SARIF start/endTimeUtc", re.compile(r'"(?:start|end)TimeUtc": ?"[^"]*"')),
    (
        "JSON seconds/elapsed",
        re.compile(r'"(?:seconds|elapsed|duration)": ?[0-9.e+-]+'),
    ),
]


def compare(a: Path, b: Path) -> tuple[bool, bool, dict[str, int]]:
    """(identical raw, identical masked, {mask: occurrences in a})."""
    ta, tb = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
    raw = ta == tb
    used = {}
    for name, pattern in MASKS:
        k = len(pattern.findall(ta))
        if k:
            used[name] = k
            ta, tb = pattern.sub("", ta), pattern.sub("", tb)
    return raw, ta == tb, used


def identical(args: argparse.Namespace, nb: Install) -> None:
    n = args.identical_n
    folder = corpora.text(args.work, n)
    out = args.work / "out"
    parts, ok = [], True
    for fmt, ext in (("json", "json"), ("sarif", "sarif"), ("junit", "junit.xml")):
        a, b = out / f"ident-{n}-j1.{ext}", out / f"ident-{n}-j2.{ext}"
        r1 = check(nb, folder, 1, a, fmt)
        r2 = check(nb, folder, 2, b, fmt)
        raw, masked, used = compare(a, b)
        ok &= masked
        what = ", ".join(f"{k} ×{v}" for k, v in used.items()) or "nothing"
        same = "identical" if raw else ("identical once masked" if masked else "DIFFERENT")
        parts.append(
            f"{fmt} ({a.stat().st_size / 1e6:.1f} MB): {same}"
            f" (masked: {what}; -j1 {r1['wall']:.0f} s / {r1['cpu']:.0f} s CPU, -j2 {r2['wall']:.0f} s)"
        )
    must(
        args.work,
        nb,
        "identical",
        2,
        f"{n:,} reports, `--jobs 1` = `--jobs 2` in JSON, SARIF, JUnit",
        "; ".join(parts),
        ok,
    )


def duplicates(args: argparse.Namespace, nb: Install) -> None:
    rows, ok = [], True
    per: dict[int, float] = {}
    sizes = args.dup_sizes
    for n in sizes:
        folder = corpora.organs(args.work, n)
        plan, dups = corpora.organs_plan(n)
        out = args.work / "out" / f"organs-{n}.json"
        r = check(nb, folder, args.jobs, out, "json", ["--select", "X"])
        doc = json.loads(out.read_text(encoding="utf-8"))
        x104 = [f for rep in doc["reports"] for f in rep["findings"] if f["rule"] == "X104"]
        flagged = {Path(f["location"]["uri"]).name for f in x104}
        twice = set(plan[n - dups :])
        expected = {f"r{i:06d}.txt" for i, pair in enumerate(plan) if pair in twice}
        exact = flagged == expected and len(x104) == len(expected) == 2 * dups
        ok &= exact
        per[n] = r["cpu"] / n
        rows.append(
            f"{n:,}: {r['wall']:.0f} s wall, {r['cpu']:.0f} s CPU, {r['rss_tree']:.0f} MB tree RSS "
            f"(PSS {r['pss_tree']:.0f}, largest process {r['rss_max']:.0f}); {dups} injected → "
            f"{len(x104)} X104 findings, on exactly the {len(expected)} reports of those organ-years"
            + ("" if exact else f" — NO: {len(flagged - expected)} others flagged, {len(expected - flagged)} missed")
        )
    ratio = per[sizes[-1]] / per[sizes[0]]
    linear = ratio < 1.5
    ok &= linear
    figures = "; ".join(rows) + f". CPU per report {sizes[-1]:,} / {sizes[0]:,}: {ratio:.2f} (linear: < 1.5)"
    must(
        args.work,
        nb,
        "duplicates",
        3,
        "100 organs over years with 5% duplicate organ-years (`--select X`, "
        f"`--jobs {args.jobs}`): linear, every duplicate reported (2 findings a pair)",
        figures,
        ok,
    )


def long_inputs(args: argparse.Namespace, nb: Install) -> None:
    work = args.work
    out = work / "out"
    parts = []
    raised = work / "long" / "raised.yaml"
    raised.parent.mkdir(parents=True, exist_ok=True)
    # every limit raised, the rules' time limit too: the time the whole check takes
    raised.write_text(
        "rule-time-limit: 0\nlimits:\n  file_size: 1000000000\n  text_chars: 1000000000\n  read_seconds: 0\n"
    )
    cases: list[tuple[str, Path, list[str]]] = []
    for mb in args.long_text_mb:
        cases.append((f"text {mb} MB", corpora.long_text(work, mb), []))
    for mb in args.long_raised_mb:
        cases.append((f"text {mb} MB, limits raised", corpora.long_text(work, mb), ["--config", str(raised)]))
    for pages in args.long_pdf_pages:
        cases.append((f"PDF {pages} pages", corpora.long_pdf(work, pages), []))
    for name, path, extra in cases:
        target = out / f"long-{path.stem}{'-raised' if extra else ''}.json"
        try:
            # exit 3: a rule stopped by its time limit (an internal error, in the output)
            r = check(nb, path, 1, target, "json", extra, timeout=args.long_timeout, allow=(3, -9))
        except RuntimeError as exc:
            parts.append(f"{name}: {str(exc)[-200:]}")
            continue
        if r["rc"] == -9 or not target.exists() or target.stat().st_size == 0:
            parts.append(f"{name}: killed after {r['wall']:.0f} s (the benchmark's limit)")
            continue
        doc = json.loads(target.read_text(encoding="utf-8"))
        refused = doc.get("unreadable") or [rep for rep in doc.get("reports", []) if rep.get("error")]
        what = _refusal(doc)
        parts.append(
            f"{name}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, {r['rss_tree']:.0f} MB"
            + (f", refused: “{what}”" if refused else ", read and checked")
            + (f"; exit 3, rules stopped by --rule-time-limit: {_stopped(doc)}" if r["rc"] == 3 else "")
        )
        print(parts[-1], flush=True)
    sizes = [
        f"text {'/'.join(map(str, args.long_text_mb))} MB" if args.long_text_mb else "",
        f"text with every limit raised {'/'.join(map(str, args.long_raised_mb))} MB" if args.long_raised_mb else "",
        f"PDF {'/'.join(map(str, args.long_pdf_pages))} pages" if args.long_pdf_pages else "",
    ]
    title = "Long inputs (`--jobs 1`): " + ", ".join(x for x in sizes if x)
    must(work, nb, f"long {title}", 4, title, "; ".join(parts), None)


def _stopped(doc: dict[str, Any]) -> str:
    errored = {rule for rep in doc.get("reports", []) for rule in (rep.get("rules") or {}).get("errored", {})}
    return ", ".join(sorted(errored)) or "?"


def _refusal(doc: dict[str, Any]) -> str:
    for item in doc.get("unreadable") or []:
        return str(item.get("message") or item.get("error") or item)[:200]
    for rep in doc.get("reports", []):
        if rep.get("error"):
            err = rep["error"]
            return str(err.get("message") if isinstance(err, dict) else err)[:200]
    return ""


def sarif_split(args: argparse.Namespace, nb: Install) -> None:
    n = args.identical_n
    folder = corpora.findings(args.work, n)
    out = args.work / "out" / f"findings-{n}.sarif"
    r = check(nb, folder, args.jobs, out, "sarif")
    # a split log is out.sarif, out.2.sarif, … each file one run with its own category
    parts = [
        out,
        *sorted(
            out.parent.glob(f"{out.stem}.*.sarif"),
            key=lambda p: int(p.suffixes[-2][1:]),
        ),
    ]
    counts, sizes, categories, verdicts = [], [], set(), []
    ok: bool | None = True
    for part in parts:
        doc = json.loads(part.read_text(encoding="utf-8"))
        for run in doc["runs"]:
            counts.append(len(run.get("results", [])))
            categories.add((run.get("automationDetails") or {}).get("id"))
        sizes.append(len(gzip.compress(part.read_bytes())) / 1e6)
        if CHECK_SARIF.exists():
            p = subprocess.run([str(CHECK_SARIF), str(part)], capture_output=True, text=True)
            verdicts.append(p.returncode)
    within = all(c <= 25_000 for c in counts) and all(s <= 10 for s in sizes) and len(categories) == len(counts)
    ok = within and len(parts) > 1 and all(v == 0 for v in verdicts)
    checked = f"check-sarif: exit {', '.join(map(str, verdicts))}" if verdicts else "check-sarif not found (not judged)"
    if not verdicts:
        ok = None
    warning = r["stderr"].strip().splitlines()[-1][:200] if r["stderr"].strip() else "none"
    figures = (
        f"{sum(counts):,} results in {len(parts)} files of {len(counts)} run(s) with {len(categories)} categories "
        f"(results {', '.join(f'{c:,}' for c in counts)}; gzipped {', '.join(f'{s:.1f}' for s in sizes)} MB); "
        f"{r['wall']:.0f} s wall, {r['cpu']:.0f} s CPU; {checked}; the warning: “{warning}”"
    )
    must(
        args.work,
        nb,
        "sarif",
        5,
        f"SARIF split at GitHub's limits on {n:,} reports with many findings",
        figures,
        ok,
    )


def dask(args: argparse.Namespace, nb: Install) -> None:
    python = str(ROOT / ".venv" / "bin" / "python")
    if not Path(python).exists():
        python = sys.executable
    started = time.perf_counter()
    p = subprocess.run(
        [python, "-m", "pytest", "-q", "tests/test_dask.py", "-rs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    tail = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else p.stderr[-200:]
    ok = p.returncode == 0 and "skipped" not in tail
    must(
        args.work,
        nb,
        "dask",
        6,
        "Dask: a folder through a local cluster and locally, identical findings",
        f"tests/test_dask.py: {tail} ({time.perf_counter() - started:.0f} s)",
        ok,
    )


MUSTS = {
    "hundred_k": hundred_k,
    "identical": identical,
    "duplicates": duplicates,
    "long": long_inputs,
    "sarif_split": sarif_split,
    "dask": dask,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--work",
        default=Path("/tmp/nianbao-bench"),
        type=Path,
        help="corpora, venvs, outputs",
    )
    parser.add_argument("--nianbao", help="measure this nianbao executable instead of a wheel of --ref")
    parser.add_argument(
        "--ref",
        default="HEAD",
        help="the git commit or branch to build and measure (default HEAD)",
    )
    parser.add_argument(
        "--time-limit",
        help="pass --time-limit to nianbao (default: nianbao's own, 60 s a file; on a starved machine "
        "a file can pass it in wall time and its worker is replaced: those files are counted as errors)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 2,
        help="N of the --jobs N runs (default: cores)",
    )
    parser.add_argument("--text", type=int, nargs="*", default=[1000, 10000], help="text corpus sizes")
    parser.add_argument("--formats", nargs="*", default=["html", "pdf", "docx", "scans"])
    parser.add_argument("--per-format", type=int, default=200, help="files per HTML/PDF/DOCX corpus")
    parser.add_argument("--cold-runs", type=int, default=11)
    parser.add_argument(
        "--readme",
        action="store_true",
        help="rewrite README.md's table from the stored results",
    )
    parser.add_argument(
        "--render",
        action="store_true",
        help="only print (and with --readme write) the table",
    )
    parser.add_argument("--musts", action="store_true", help="every must-show (not the default run)")
    parser.add_argument("--hundred-k", action="store_true")
    parser.add_argument("--identical", action="store_true")
    parser.add_argument(
        "--identical-n",
        type=int,
        default=10_000,
        help="reports of --identical and --sarif-split",
    )
    parser.add_argument("--duplicates", action="store_true")
    parser.add_argument(
        "--dup-sizes",
        type=int,
        nargs="+",
        default=[1000, 5000, 10000],
        help="--duplicates corpora",
    )
    parser.add_argument("--long", action="store_true")
    parser.add_argument("--long-text-mb", type=int, nargs="*", default=[20, 100, 200], help="--long: text sizes")
    parser.add_argument("--long-raised-mb", type=int, nargs="*", default=[20, 100, 200], help="… with limits raised")
    parser.add_argument("--long-pdf-pages", type=int, nargs="*", default=[200, 1000, 2000, 2001], help="--long: PDFs")
    parser.add_argument(
        "--long-timeout",
        type=float,
        default=1800,
        help="seconds before a long input is killed",
    )
    parser.add_argument("--sarif-split", action="store_true")
    parser.add_argument("--dask", action="store_true")
    args = parser.parse_args()
    global TIME_LIMIT
    TIME_LIMIT = args.time_limit
    args.work.mkdir(parents=True, exist_ok=True)
    (args.work / "out").mkdir(exist_ok=True)
    chosen = [k for k in ("hundred_k", "identical", "duplicates", "long", "sarif_split", "dask") if getattr(args, k)]
    if args.musts:
        chosen = ["identical", "duplicates", "sarif_split", "long", "dask", "hundred_k"]
    if not args.render:
        nb = install(args.work, args.nianbao, args.ref)
        print(f"nianbao {nb.commit}: {nb.exe}; load {_load()}", flush=True)
        if not chosen:
            default_run(args, nb)
        for name in chosen:
            MUSTS[name](args, nb)
    text = render(stored(args.work))
    print("\n" + text)
    if args.readme:
        write_readme(text)


if __name__ == "__main__":
    main()

"""Benchmarks: wall time of ``nianbao check`` on one text report, cold start included, and
reader throughput by format in one process.

    python benchmarks/bench.py            # both
    python benchmarks/bench.py --cold     # only the cold start
    python benchmarks/bench.py --formats  # only the throughput

Targets (issue figures): cold check < 0.3 s; HTML ≥ 100 reports/s; PDF ≥ 5 reports/s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "reports" / "dongxiang-2021.txt"
FIXTURES = ROOT / "tests" / "fixtures"
#: the sample files of each format (the seed, the corpus, the readers' fixtures)
SAMPLES = {
    "text": [SEED, *sorted((FIXTURES / "text").glob("*.txt"))],
    "html": [FIXTURES / "corpus" / "shanghai-office-2019.html", *sorted((FIXTURES / "html").glob("*.html"))],
    "pdf": [FIXTURES / "corpus" / "huaian-2024.pdf", *sorted((FIXTURES / "pdf").glob("*.pdf"))],
    "docx": sorted((FIXTURES / "docx").glob("*.docx")),
}
TARGETS = {"html": 100.0, "pdf": 5.0}


def cold(runs: int) -> float:
    exe = shutil.which("nianbao")
    cmd = [exe] if exe else [sys.executable, "-m", "nianbao"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run([*cmd, "check", str(SEED), "--format", "json"], capture_output=True)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            sys.exit(f"nianbao check failed ({proc.returncode}): {proc.stderr.decode()[-500:]}")
    median = statistics.median(times)
    print(
        f"cold  nianbao check {SEED.name}: median {median * 1000:.0f} ms, min {min(times) * 1000:.0f} ms "
        f"over {runs} runs (target < 300 ms) {'OK' if median < 0.3 else 'SLOW'}"
    )
    return median


def formats(seconds: float) -> dict[str, float]:
    """Reports read per second, cycling through every sample of the format (so that caches of
    labels help only as much as they would over a real corpus)."""
    from nianbao.loader import load

    rates = {}
    for fmt, candidates in SAMPLES.items():
        paths = [p for p in candidates if p.is_file() and load(str(p)).report is not None]  # also warms up
        if not paths:
            print(f"{fmt:5} no readable sample file")
            continue
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds or n < 3:
            load(str(paths[n % len(paths)]))
            n += 1
        rate = n / (time.perf_counter() - start)
        target = TARGETS.get(fmt)
        verdict = "" if target is None else f" (target ≥ {target:g}) {'OK' if rate >= target else 'SLOW'}"
        names = ", ".join(p.name for p in paths)
        print(f"{fmt:5} {rate:.1f} reports/s over {n} reads of {len(paths)} file(s): {names}{verdict}")
        rates[fmt] = rate
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cold", action="store_true", help="only the cold-start timing")
    parser.add_argument("--formats", action="store_true", help="only the reader throughput")
    parser.add_argument("--runs", type=int, default=15, help="cold-start runs (default 15)")
    parser.add_argument("--seconds", type=float, default=2.0, help="time spent per format (default 2)")
    args = parser.parse_args()
    both = not (args.cold or args.formats)
    if both or args.cold:
        cold(args.runs)
    if both or args.formats:
        formats(args.seconds)


if __name__ == "__main__":
    main()

"""Time the narrative rules (N*) per report: ``python benchmarks/narrative.py [FILES or folders]``.

Reads each report once, then runs every N rule on it ``--repeat`` times, as the engine does
(a fresh model each round, so nothing memoised in one round helps the next), and prints the
mean time per report. Default inputs: the reports under tests/fixtures and examples/reports;
a folder given may also hold models written by ``nianbao parse`` (to time two versions of the
rules on the very same models).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import time
from pathlib import Path

from nianbao.loader import load
from nianbao.model import Report
from nianbao.pluginmanager import rules as all_rules
from nianbao.rule import RuleContext, Skip

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT / "tests" / "fixtures", ROOT / "examples" / "reports"]
SUFFIXES = {".txt", ".html", ".htm", ".pdf", ".docx"}


def _files(paths: list[Path], suffixes: set[str]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.suffix.lower() in suffixes and "bad" not in f.parts)
        else:
            out.append(p)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    narrative = [r for r in all_rules() if r.id.startswith("N")]
    reports = []
    # folders named on the command line may hold models written by `nianbao parse` (.json), so
    # that two versions of the rules are timed on the very same models
    files = _files(args.paths, SUFFIXES | {".json"}) if args.paths else _files(DEFAULT, SUFFIXES)
    for f in files:
        loaded = load(str(f))
        if loaded.report is not None:
            reports.append(loaded.report.data)
    best = float("inf")
    findings = 0
    for _ in range(3):  # best of three, in CPU time: the machine is shared, the minimum is the least disturbed
        start = time.process_time()
        findings = 0
        for _ in range(args.repeat):
            for data in reports:
                report = Report(copy.copy(data))
                for r in narrative:
                    with contextlib.suppress(Skip):
                        findings += sum(1 for _ in r.check(report, RuleContext(r.options)))
        best = min(best, time.process_time() - start)
    per = best / (args.repeat * len(reports)) * 1000
    print(f"{len(reports)} reports × {args.repeat}: {per:.2f} ms per report, {findings // args.repeat} findings")


if __name__ == "__main__":
    main()

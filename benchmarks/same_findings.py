"""Do two installs of nianbao find the same things? For a change that must not alter a finding
(a speed-up): dump each install's findings on the same folders, then diff the dumps.

    python benchmarks/same_findings.py dump BEFORE/bin/nianbao before.json [FOLDER …]
    python benchmarks/same_findings.py dump .venv/bin/nianbao after.json [FOLDER …]
    python benchmarks/same_findings.py diff before.json after.json

Each folder is one ``nianbao check --format json`` run (so the cross-report rules see the same
reports), without time limits (a loaded machine must not make a rule time out in one run only)
and without OCR. Compared per report: its status and error, every finding (rule, level,
message, pointers, location, excerpt, as JSON), and the rules passed, failed and skipped (with
the reason); the run's exit status. Default folders: tests/fixtures and examples/reports.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ["tests/fixtures", "examples/reports"]


def dump(exe: str, out: Path, folders: list[str], jobs: int) -> None:
    runs: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "findings.json"
        for folder in folders:
            cmd = [exe, "check", "-j", str(jobs), "--time-limit", "0", "--rule-time-limit", "0"]
            cmd += ["--ocr", "never", "--lang", "en", "--no-progress", "--format", "json", "-o", str(target), folder]
            done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
            data = json.loads(target.read_text(encoding="utf-8"))
            reports = {}
            for r in data["reports"]:
                rules = {k: v for k, v in (r.get("rules") or {}).items() if k != "seconds"}
                reports[r["source"]["uri"]] = {
                    "status": r["status"],
                    "error": r["error"],
                    "findings": r["findings"],
                    "rules": rules,
                }
            runs[folder] = {"exit": done.returncode, "reports": reports}
            found = sum(len(r["findings"]) for r in reports.values())
            print(f"{folder}: exit {done.returncode}, {len(reports)} reports, {found} findings", file=sys.stderr)
    out.write_text(json.dumps(runs, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def diff(a_path: Path, b_path: Path, show: int = 10) -> int:
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (a_path, b_path))
    different: list[str] = []
    reports = findings = 0
    for folder in sorted(set(a) | set(b)):
        if folder not in a or folder not in b:
            different.append(f"{folder}: in one dump only")
            continue
        ra, rb = a[folder], b[folder]
        if ra["exit"] != rb["exit"]:
            different.append(f"{folder}: exit {ra['exit']} → {rb['exit']}")
        for uri in sorted(set(ra["reports"]) | set(rb["reports"])):
            x, y = ra["reports"].get(uri), rb["reports"].get(uri)
            if x is None or y is None:
                different.append(f"{uri}: in one run only")
                continue
            reports += 1
            findings += len(x["findings"])
            for key in sorted(set(x) | set(y)):
                if x.get(key) != y.get(key):
                    before = json.dumps(x.get(key), ensure_ascii=False)[:600]
                    after = json.dumps(y.get(key), ensure_ascii=False)[:600]
                    different.append(f"{uri}: {key}\n  before: {before}\n  after:  {after}")
    for line in different[:show]:
        print(line)
    verdict = "DIFFERENT" if different else "IDENTICAL"
    print(f"{verdict}: {reports} reports, {findings} findings compared; {len(different)} differences")
    return 1 if different else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="run one install on the folders and keep what it found")
    d.add_argument("nianbao", help="the install's nianbao command")
    d.add_argument("out", type=Path)
    d.add_argument("folders", nargs="*", default=DEFAULT)
    d.add_argument("-j", "--jobs", type=int, default=2)
    c = sub.add_parser("diff", help="compare two dumps")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.nianbao, args.out, args.folders, args.jobs)
    else:
        sys.exit(diff(args.before, args.after))


if __name__ == "__main__":
    main()

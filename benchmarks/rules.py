"""CPU time of the checking step, per report and per rule: ``python benchmarks/rules.py [PATHS]``.

Reads each report once (reading is not timed here), then checks it as the engine does
(:func:`nianbao.engine.check_report`, every single-report rule of the default selection, with
its time limit) ``--repeat`` times, each time on a fresh model so that nothing memoised in one
round helps the next; one fresh model at a time, copied outside the timing, as a worker holds
one report (the corpus read for the benchmark is frozen out of the garbage collector's sight).
Prints the CPU time of the whole checking step per report, then each rule's share (a value
several rules share, such as the narrative's sentences, is counted in the first rule that asks
for it). Best of ``--rounds`` rounds (5): the machine is shared.

``--locator``: the narrative's sentence split on one long report made of the seed's narrative
repeated 1×, 10× and 100×: the time per sentence stays flat when the split is linear.

Default inputs: tests/fixtures (no scans) and examples/reports.
"""

from __future__ import annotations

import argparse
import copy
import gc
import time
from pathlib import Path

from nianbao import engine
from nianbao.config import Config
from nianbao.loader import Loaded, load
from nianbao.model import Report

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT / "tests" / "fixtures", ROOT / "examples" / "reports"]
SUFFIXES = {".txt", ".html", ".htm", ".pdf", ".docx", ".json"}


def _files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(
                f
                for f in p.rglob("*")
                if f.suffix.lower() in SUFFIXES
                and not f.name.endswith(".truth.json")
                and not {"bad", "scans", "fuzz"} & set(f.parts)
            )
        else:
            out.append(p)
    return out


def _models(paths: list[Path]) -> list[Loaded]:
    out = []
    for f in _files(paths):
        loaded = load(str(f), ocr="never")
        if loaded.report is not None:
            out.append(loaded)
    return out


def _fresh(item: Loaded) -> Loaded:
    assert item.report is not None
    return Loaded(item.uri, Report(copy.deepcopy(item.report.data)), None, item.format)


def checking(items: list[Loaded], repeat: int, rounds_of: int = 5, each: bool = True) -> None:
    config = Config()
    rules = [r for r in engine.selected_rules(config) if not isinstance(r, engine.CrossRule)]
    best = float("inf")
    per_rule: dict[str, float] = {}
    findings = 0
    # the corpus held for the benchmark is no part of the checking step: out of the collector's
    # sight, as a worker holds one report at a time
    gc.collect()
    gc.freeze()
    for _ in range(rounds_of):
        spent_all = 0.0
        for _ in range(repeat):
            findings = 0
            for item in items:
                fresh = _fresh(item)  # (copied outside the timing)
                start = time.process_time()
                findings += len(engine.check_report(fresh, rules, config, engine.Notes()).findings)
                spent_all += time.process_time() - start
                del fresh
        best = min(best, spent_all)
        if not each:
            continue
        # each rule on its own, in the engine's order, on fresh models again
        spent = dict.fromkeys((r.id for r in rules), 0.0)
        for _ in range(repeat):
            for original in items:
                item = _fresh(original)
                assert item.report is not None
                for rule in sorted(rules, key=lambda r: not r.gate):
                    t = time.process_time()
                    engine.run_rule(rule, item.report, engine._context(rule, config), config.rule_time_limit)
                    spent[rule.id] += time.process_time() - t
        per_rule = {k: min(v, per_rule.get(k, v)) for k, v in spent.items()}
    n = repeat * len(items)
    print(f"{len(items)} reports × {repeat}: checking {best / n * 1000:.2f} ms CPU per report, {findings} findings")
    total = sum(per_rule.values())
    for rid, sec in sorted(per_rule.items(), key=lambda kv: -kv[1]):
        if sec / n * 1000 >= 0.05:
            print(f"  {rid:6s} {sec / n * 1000:6.2f} ms  {sec / total:5.1%}")


def locator(times: tuple[int, ...] = (1, 10, 100)) -> None:
    from nianbao.rules.narrative.text import sentences

    seed = load(str(ROOT / "examples" / "reports" / "dongxiang-2021.txt")).report
    assert seed is not None
    narrative = "".join(str(s.get("text") or "") for s in seed.data["sections"]).replace("\n", "")
    rows = []
    for k in times:
        data = copy.deepcopy(seed.data)
        # one paragraph holding the narrative k times, wrapped over lines of 30 characters as a
        # PDF's paragraph is (each line its own place): the case where a locator that scans the
        # list of lines for every sentence grows with lines × sentences
        text = narrative * k
        data["sections"] = [{**data["sections"][0], "text": text, "paragraphs": [{"text": text}]}]
        lines = [
            [offset, {"page": 1 + n // 40, "line": 1 + n % 40}] for n, offset in enumerate(range(0, len(text), 30))
        ]
        data["provenance"]["/sections/0/paragraphs/0"] = {"page": 1, "line": 1, "lines": lines}
        report = Report(data)
        best = float("inf")
        count = 0
        for _ in range(3):
            start = time.process_time()
            count = sum(1 for _ in sentences(report))
            best = min(best, time.process_time() - start)
        rows.append((k, count, best))
    print("sentence split of one long section (the seed's narrative repeated):")
    for k, count, sec in rows:
        print(f"  {k:4d}×: {count:6d} sentences, {sec * 1000:8.1f} ms, {sec / count * 1e6:6.1f} µs per sentence")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5, help="best of this many rounds")
    parser.add_argument("--total", action="store_true", help="the checking step's total only, not each rule's")
    parser.add_argument("--locator", action="store_true", help="time the sentence split on a long report")
    args = parser.parse_args()
    if args.locator:
        locator()
        return
    checking(_models(args.paths or DEFAULT), args.repeat, args.rounds, not args.total)


if __name__ == "__main__":
    main()

"""Distinct exceptions the built-in rules raise on mutated report models (tests/modelmutations.py),
run two ways: every rule called directly on every model (what happened before M001 became the
rules' gate), and through the engine as `nianbao check` runs them (gate first). A conforming
model that makes a rule raise is a bug in that rule.

    python scripts/mutate_models.py [N=3000]
"""

from __future__ import annotations

import json
import sys
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from modelmutations import mutated
from nianbao import pluginmanager
from nianbao.config import Config
from nianbao.engine import run
from nianbao.loader import Loaded
from nianbao.model import Report
from nianbao.rule import CrossRule, RuleContext, Skip
from nianbao.validate import validate


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    rules = [r for r in pluginmanager.rules() if not isinstance(r, CrossRule)]
    direct: Counter[str] = Counter()
    conforming_direct: Counter[str] = Counter()
    engine_notes: Counter[str] = Counter()
    conforming = 0
    for seed in range(n):
        doc, _ = mutated(seed)
        try:
            ok = not validate(doc)
        except Exception as exc:  # the validator itself must take any model
            direct[f"validate {type(exc).__name__}"] += 1
            ok = False
        conforming += ok
        for rule in rules:
            try:
                list(rule.check(Report(doc), RuleContext(rule.defaults())))
            except Skip:
                pass
            except Exception as exc:
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                key = f"{rule.id} {type(exc).__name__} {Path(frame.filename).name}:{frame.lineno}"
                direct[key] += 1
                if ok:
                    conforming_direct[key] += 1
        result = run([Loaded("mutated.json", report=Report(doc), format="json")], Config())
        for note in result.notifications:
            engine_notes[note.get("message", "")[:160]] += 1
    print(
        json.dumps(
            {
                "models": n,
                "conforming": conforming,
                "distinct_exceptions_rules_called_directly": len(direct),
                "distinct_exceptions_on_conforming_models": len(conforming_direct),
                "rule_failures_through_the_engine": sum(engine_notes.values()),
                "on_conforming": sorted(conforming_direct),
                "engine": sorted(engine_notes)[:20],
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    if "-v" in sys.argv:
        for key, count in direct.most_common():
            print(count, key)


if __name__ == "__main__":
    main()

"""One change at a time to three text reports — the page-copied seed, the same report in the
tabbed layout, a report in the 2019 template: each change triggers its rule at its level,
located on the changed line (see tests/mutations.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mutations import REPORTS, Mutant, Original, mutants, pasted_2019_table_two
from nianbao.engine import run
from nianbao.loader import load

CASES = [(name, m) for name, path in REPORTS.items() for m in mutants(path)]
CASES.append(("seed", pasted_2019_table_two(REPORTS["seed"])))


@pytest.mark.parametrize("name", REPORTS)
def test_original_has_no_error(name: str) -> None:
    (result,) = run([load(str(REPORTS[name]))]).results
    assert result.status == "checked"
    assert [(f.rule, f.message) for f in result.findings if f.level == "error"] == []


@pytest.mark.parametrize(("report", "mutant"), CASES, ids=[f"{n}-{m.name}" for n, m in CASES])
def test_mutant(report: str, mutant: Mutant, tmp_path: Path) -> None:
    path = tmp_path / REPORTS[report].name
    path.write_bytes(mutant.text.encode(Original.read(REPORTS[report]).encoding))
    loaded = load(str(path))
    assert loaded.report is not None, loaded.error
    (result,) = run([loaded]).results
    found = result.findings_of(mutant.rule)
    assert found, f"{mutant.rule} did not fire: {[(f.rule, f.message) for f in result.findings]}"
    here = [f for f in found if (f.location or {}).get("line") in mutant.lines]
    assert here, f"{mutant.rule} fired at {[f.location for f in found]}, expected a line in {sorted(mutant.lines)}"
    assert {f.level for f in here} == {mutant.level}, [f.message for f in here]

"""T310: single-cell localisation in table 三, with the fix value."""

from __future__ import annotations

import copy
import itertools
import random
from fractions import Fraction
from pathlib import Path

import pytest
from modelkit import build, get, line_of, run, set_cell
from nianbao import Report
from nianbao.rule import RuleContext
from nianbao.rules import _identities as ids
from nianbao.rules import localise
from nianbao.template import describe

#: the messages are asserted in English; their Chinese: tests/test_i18n.py
LANGUAGE = "en"


def varied(template: str) -> dict:
    """A consistent model whose table 三 has a different non-zero figure in (nearly) every cell,
    so that no two cells can stand in for each other by accident."""
    table = describe(template).tables["applications"]
    columns = [c.key for c in table.rows[0].columns if c.key != "total"]
    figures: dict[str, dict[str, int]] = {}
    for i, row in enumerate(table.rows):
        if row.path[0] in ("new_received", "handled_total"):
            continue  # the kit derives them
        figures["/".join(row.path)] = {c: (i * 7 + j * 3) % 9 + 1 for j, c in enumerate(columns)}
    return build(template, applications=figures)


def t310(data: dict, **options: object) -> list:
    return list(localise.applications_cell_fix.check(Report(data), RuleContext(options)))


CLEAN = varied("2021")
CELLS = ids.cells("2021")


def test_there_are_175_positions_and_the_clean_table_passes() -> None:
    assert len(CELLS) == 175
    assert all(v > 0 for v in (get(CLEAN["tables"], p) for p in CELLS))
    result = run("T310", CLEAN)
    assert result.passed == ["T310"] and not result.findings


@pytest.mark.parametrize("index", range(175))
def test_one_altered_cell_is_named_with_the_value_that_restores_every_identity(index: int) -> None:
    pointer = CELLS[index]
    original = get(CLEAN["tables"], pointer)
    data = set_cell(CLEAN, pointer, original + 1 + index % 5)
    found = t310(data)
    assert len(found) == 1, [f.message for f in found]
    finding = found[0]
    assert finding.fix is not None and finding.fix.pointer == pointer and finding.fix.value == original
    assert finding.pointers[0] == pointer
    # the fix, applied, really makes every identity hold
    fixed = set_cell(data, pointer, finding.fix.value)
    values = {p: get(fixed["tables"], p) for p in CELLS}
    assert all(e.residual(values) == 0 for e in ids.applications("2021"))


def test_the_finding_through_the_engine_names_the_cell_its_line_and_the_figures() -> None:
    pointer = "/tables/applications/denied/state_secret/natural_person"
    original = get(CLEAN["tables"], pointer)
    data = set_cell(CLEAN, pointer, original + 3)
    result = run("T310", data)
    [finding] = result.findings
    assert finding.level == "error" and finding.location["line"] == line_of(data, pointer)
    assert finding.message.startswith(
        f"（三）1.属于国家秘密 / 自然人 reads {original + 3}; {original} would make all 2 "
    )
    assert finding.to_dict()["fix"] == {"pointer": pointer, "value": original}


def test_2019_table_three_positions_too() -> None:
    clean = varied("2019")
    cells = ids.cells("2019")
    assert len(cells) == 161
    for pointer in cells:
        original = get(clean["tables"], pointer)
        [finding] = t310(set_cell(clean, pointer, original + 2))
        assert finding.fix is not None and (finding.fix.pointer, finding.fix.value) == (pointer, original)


def _pair_data(a: str, b: str, da: int, db: int) -> dict:
    """CLEAN with two cells altered; only table 三 is copied (the rule reads nothing else), which
    keeps the few hundred cases of the pair test quick."""
    data = {**CLEAN, "tables": {**CLEAN["tables"], "applications": copy.deepcopy(CLEAN["tables"]["applications"])}}
    for pointer, delta in ((a, da), (b, db)):
        *path, last = pointer.split("/")[3:]
        node = data["tables"]["applications"]
        for token in path:
            node = node[token]
        node[last] += delta
    return data


def _sample_pairs() -> list[tuple[str, str]]:
    """Pairs in one row, in one column, across the total row and column, and a random spread."""
    rows = [CELLS[i : i + 7] for i in range(0, 175, 7)]
    same_row = [(r[0], r[3]) for r in rows] + [(r[2], r[6]) for r in rows]
    same_col = [(rows[i][j], rows[i + 5][j]) for i in range(0, 20, 3) for j in range(7)]
    rng = random.Random(310)
    spread = [tuple(rng.sample(CELLS, 2)) for _ in range(150)]
    return same_row + same_col + spread  # type: ignore[return-value]


@pytest.mark.parametrize(("da", "db"), [(2, 3), (2, 2), (1, -1)])
def test_two_altered_cells_never_get_a_single_cell_claim(da: int, db: int) -> None:
    for a, b in _sample_pairs():
        if get(CLEAN["tables"], b) + db < 0:
            continue
        data = _pair_data(a, b, da, db)
        found = t310(data)
        assert found, (a, b)
        for finding in found:
            assert finding.fix is None, (a, b, finding.message)
            assert finding.level == "note"
            assert "reads" not in finding.message
        # the pair really altered is among the explanations offered
        values = {p: get(data["tables"], p) for p in CELLS}
        checked = ids.applications("2021")
        residuals = {e: Fraction(e.residual(values) or 0) for e in checked}
        explanations = [{x.pointer for x in pair} for pair in localise.pairs(checked, residuals, values)]
        assert {a, b} in explanations, (a, b)


def test_two_cells_with_a_unique_pair_name_both_values_without_a_fix() -> None:
    a, b = "/tables/applications/denied/state_secret/natural_person", "/tables/applications/granted/commercial"
    va, vb = get(CLEAN["tables"], a), get(CLEAN["tables"], b)
    [finding] = t310(_pair_data(a, b, 2, 3))
    assert finding.fix is None
    assert "the smallest explanation is two cells" in finding.message
    assert f"（三）1.属于国家秘密 / 自然人 {va + 2} → {va}" in finding.message
    assert f"（一）予以公开 / 商业企业 {vb + 3} → {vb}" in finding.message


def test_cells_that_fit_equally_are_listed_and_none_is_picked() -> None:
    # with the two row totals blank, 予以公开 and 部分公开 of one column are interchangeable:
    # the only identity left to judge them by is the column's outcome sum
    data = set_cell(CLEAN, "/tables/applications/granted/total", None)
    data = set_cell(data, "/tables/applications/partially_granted/total", None)
    pointer = "/tables/applications/granted/natural_person"
    data = set_cell(data, pointer, get(CLEAN["tables"], pointer) + 1)
    [finding] = t310(data)
    assert finding.fix is None and finding.level == "note"
    assert set(finding.pointers) == {pointer, "/tables/applications/partially_granted/natural_person"}
    assert "2 cells each explain the failing identity equally" in finding.message
    assert "3 identities involving blank cells not checked" in finding.message


def test_a_blank_elsewhere_still_allows_a_unique_fix() -> None:
    data = set_cell(CLEAN, "/tables/applications/granted/total", None)
    pointer = "/tables/applications/granted/natural_person"
    original = get(CLEAN["tables"], pointer)
    [finding] = t310(set_cell(data, pointer, original + 4))
    assert finding.fix is not None and (finding.fix.pointer, finding.fix.value) == (pointer, original)


def test_three_scattered_cells_say_at_least_three() -> None:
    data = CLEAN
    for pointer in (CELLS[9], CELLS[60], CELLS[150]):
        data = set_cell(data, pointer, get(data["tables"], pointer) + 2)
    [finding] = t310(data)
    assert finding.fix is None and "neither a single cell nor a pair of cells explains" in finding.message


def test_an_alternative_that_would_need_a_negative_count_is_no_alternative() -> None:
    # with both row totals blank, 予以公开 and 部分公开 (自然人) are algebraically interchangeable,
    # but 予以公开 is 0 here: lowering it to −1 cannot be the explanation, so 部分公开 is the one
    data = build(applications={"partially_granted": {"natural_person": 4}})
    data = set_cell(data, "/tables/applications/granted/total", None)
    data = set_cell(data, "/tables/applications/partially_granted/total", None)
    pointer = "/tables/applications/partially_granted/natural_person"
    [finding] = t310(set_cell(data, pointer, 5))
    assert finding.fix is not None and (finding.fix.pointer, finding.fix.value) == (pointer, 4)


def test_skips_without_table_three_or_when_everything_is_blank() -> None:
    data = build()
    data["tables"].pop("applications")
    result = run("T310", data)
    assert "no table 三" in result.skipped["T310"]
    blank = CLEAN
    for pointer in CELLS:
        blank = set_cell(blank, pointer, None)
    assert "blank cell" in run("T310", blank).skipped["T310"]


def test_identities_come_from_the_template_description() -> None:
    for template, outcome_rows in (("2021", 21), ("2019", 19)):
        table = describe(template).tables["applications"]
        columns = len(table.rows[0].columns)
        found = ids.applications(template)
        assert len(found) == 2 * columns + len(table.rows)
        outcome = [e for e in found if e.kind == "outcome"]
        assert {len(e.rhs) for e in outcome} == {outcome_rows}
    assert set(itertools.chain.from_iterable(e.pointers for e in ids.applications("2021"))) == set(CELLS)


def test_end_to_end_on_the_seed_text_with_one_altered_cell(tmp_path: Path, seed_text: str) -> None:
    """The seed's （一）予以公开 / 自然人 reads 2; printed as 3 it is named, with 2 as the fix, in the
    findings document and as a SARIF fix replacing exactly that figure."""
    import json

    from nianbao.config import Config
    from nianbao.engine import run as run_rules
    from nianbao.loader import load
    from nianbao.reporters import sarif

    lines = seed_text.split("\n")
    row = next(i for i, text in enumerate(lines) if text.strip() == "(一)予以公开")
    first = next(i for i in range(row + 1, len(lines)) if lines[i].strip())
    original = int(lines[first])
    lines[first] = str(original + 1)
    path = tmp_path / "seed-altered.txt"
    path.write_text("\n".join(lines), encoding="utf-8")

    pointer = "/tables/applications/granted/natural_person"
    result = run_rules([load(str(path))], Config(select=["T310"]))
    [finding] = result.results[0].to_dict()["findings"]
    assert finding["fix"] == {"pointer": pointer, "value": original}
    assert finding["location"]["line"] == first + 1
    assert finding["message"].startswith(f"（一）予以公开 / 自然人 reads {original + 1}; {original} would make all")

    [sarif_result] = json.loads(sarif.render(result))["runs"][0]["results"]
    [change] = sarif_result["fixes"][0]["artifactChanges"]
    [replacement] = change["replacements"]
    assert replacement["insertedContent"]["text"] == str(original)
    assert replacement["deletedRegion"]["startLine"] == first + 1


def test_the_unaltered_seed_passes(seed_path: Path) -> None:
    from conftest import SEED
    from nianbao.config import Config
    from nianbao.engine import run as run_rules
    from nianbao.loader import load

    result = run_rules([load(str(SEED))], Config(select=["T310"])).results[0]
    assert result.passed == ["T310"]


def test_the_pair_search_can_be_switched_off() -> None:
    a, b = "/tables/applications/denied/state_secret/natural_person", "/tables/applications/granted/commercial"
    [finding] = t310(_pair_data(a, b, 2, 3), pairs=False)
    assert finding.fix is None and finding.message.startswith("no single cell explains the 4 failing identities")
    assert "at least 2 figures are wrong" in finding.message

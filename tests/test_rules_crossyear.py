"""X101–X103: one organ's year N against N−1, from text reports and from built models."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from modelkit import build, set_cell
from nianbao import CrossRule, Finding, Report, hookimpl, pluginmanager, rule
from nianbao.config import Config
from nianbao.engine import run
from nianbao.loader import Loaded, load
from nianbao.results import ReportResult
from nianbao.rule import RuleContext
from nianbao.rules import crossyear
from nianbao.template import describe

#: the messages are asserted in English; their Chinese: tests/test_i18n.py
LANGUAGE = "en"

HERE = Path(__file__).parent / "fixtures" / "crossyear"
Y2021 = HERE / "dongxiang-2021.txt"  # the seed
Y2022 = HERE / "dongxiang-2022.txt"  # consistent with 2021, narrative rewritten, titled 东乡县人民政府
BAD2022 = HERE / "dongxiang-2022-mismatch.txt"  # 上年结转 and 现行有效件数 off, narrative copied
SINGLE = HERE / "hezheng-2022.txt"  # another organ, one year only

X = Config(select=["X101", "X102", "X103"])  # the year-to-year rules (X104 is tested on its own)


def check(*paths: Path, config: Config = X) -> dict[str, ReportResult]:
    loaded = [load(str(p)) for p in paths]
    assert all(item.error is None for item in loaded), [item.error for item in loaded]
    return {Path(r.uri).name: r for r in run(loaded, config).results}


def check_models(*models: dict, config: Config = X) -> list[ReportResult]:
    loaded = [Loaded(m["source"]["uri"], report=Report(m), format="json") for m in models]
    return run(loaded, config).results


def cell(path: Path, pointer: str) -> object:
    report = load(str(path)).report
    assert report is not None
    return report.get(pointer)


# --- through the text reader ------------------------------------------------------------------


def test_consecutive_years_that_agree_pass_every_cross_year_rule() -> None:
    out = check(Y2021, Y2022)
    later = out[Y2022.name]
    assert sorted(later.passed) == ["X101", "X102", "X103"] and not later.findings
    # the fixture really links 上年结转 2022 to 结转下年度 2021, column by column
    for column in describe("2021").tables["applications"].row("carried_over").columns:
        assert cell(Y2022, f"/tables/applications/carried_over/{column.key}") == cell(
            Y2021, f"/tables/applications/carried_forward/{column.key}"
        )
    # the earlier report is the reference: it has no 2020 report to be compared with
    assert "no 2020 report of this organ" in out[Y2021.name].skipped["X101"]


def test_a_carry_over_mismatch_is_found_with_both_figures() -> None:
    result = check(Y2021, BAD2022)[BAD2022.name]
    found = result.findings_of("X101")
    columns = describe("2021").tables["applications"].row("carried_over").columns
    expected = {}
    for column in columns:
        now = cell(BAD2022, f"/tables/applications/carried_over/{column.key}")
        before = cell(Y2021, f"/tables/applications/carried_forward/{column.key}")
        if now != before:
            expected[f"/tables/applications/carried_over/{column.key}"] = (column.label, now, before)
    assert expected  # the variant does differ
    assert {f.pointers[0] for f in found} == set(expected)
    report = load(str(BAD2022)).report
    assert report is not None
    for finding in found:
        label, now, before = expected[finding.pointers[0]]
        assert finding.level == "error"
        assert f"二、上年结转政府信息公开申请数量 / {label} = {now}" in finding.message
        assert f"四、结转下年度继续办理 / {label} = {before}" in finding.message
        assert "东乡县's 2021 report" in finding.message and Y2021.name in finding.message
        assert finding.location["line"] == report.provenance[finding.pointers[0]]["line"]


def test_the_stock_of_normative_documents_is_checked_against_the_year_before() -> None:
    result = check(Y2021, BAD2022)[BAD2022.name]
    [finding] = result.findings_of("X102")
    row = "/tables/active_disclosure/normative_documents"
    before = cell(Y2021, f"{row}/in_force")
    issued, repealed, now = (cell(BAD2022, f"{row}/{k}") for k in ("issued", "repealed", "in_force"))
    expected = before + issued - repealed  # type: ignore[operator]
    assert now != expected
    assert finding.level == "warning" and finding.pointers[0] == f"{row}/in_force"
    assert f"现行有效件数 = {now}" in finding.message
    assert f"{before} + 本年制发件数 {issued} − 本年废止件数 {repealed} = {expected}" in finding.message


def test_copied_narrative_is_a_note_with_the_similarity_figure() -> None:
    result = check(Y2021, BAD2022)[BAD2022.name]
    [finding] = result.findings_of("X103")
    assert finding.level == "note"
    # the variant is the 2021 narrative with only years and figures changed: identical once
    # figures are masked, so the similarity is 1
    assert "100% the same" in finding.message and "Jaccard 1.00" in finding.message
    assert finding.pointers == ["/sections/0", "/sections/4"]


def test_a_rewritten_narrative_is_not_called_a_copy() -> None:
    a, b = load(str(Y2021)).report, load(str(Y2022)).report
    assert a is not None and b is not None
    text = [crossyear._narrative(r)[0] for r in (a, b)]
    # an independent measure agrees the texts differ
    assert difflib.SequenceMatcher(None, *text).ratio() < 0.3
    assert crossyear.similarity(*text) < 0.85
    assert "X103" in check(Y2021, Y2022)[Y2022.name].passed


def test_an_organ_with_a_single_year_in_the_run_skips_saying_why() -> None:
    out = check(Y2021, SINGLE)
    skipped = out[SINGLE.name].skipped
    for rule_id in ("X101", "X102", "X103"):
        assert skipped[rule_id].startswith(
            "和政县人民政府: no report of another year of this organ in the run (only 2022)"
        )
    assert "only 2021" in out[Y2021.name].skipped["X101"]


def test_a_folder_is_one_run_and_duplicates_for_a_year_are_each_compared() -> None:
    loaded = [load(str(p)) for p in sorted(HERE.glob("*.txt"))]
    results = {Path(r.uri).name: r for r in run(loaded, X).results}
    assert results[Y2022.name].passed == ["X101", "X102", "X103"]
    assert results[BAD2022.name].failed == ["X101", "X102", "X103"]


# --- on built models ------------------------------------------------------------------------


def pair() -> tuple[dict, dict]:
    """示例县 2021 and 2022 (titled 示例县人民政府), 2022's 上年结转 = 2021's 结转下年度."""
    carried = {"natural_person": 2, "commercial": 1}
    before = build(year=2021, organ="示例县", applications={"carried_forward": carried})
    before["source"]["uri"] = "a-2021.txt"
    granted = {"natural_person": 3, "commercial": 1}
    after = build(year=2022, organ="示例县人民政府", applications={"carried_over": carried, "granted": granted})
    after["source"]["uri"] = "a-2022.txt"
    return before, after


def test_built_models_that_agree_pass() -> None:
    _, later = check_models(*pair())
    assert later.passed == ["X101", "X102"]
    # the kit's narrative is a sentence or two: too short to call a copy
    assert "too little narrative to compare" in later.skipped["X103"]


def test_each_mismatching_column_is_its_own_finding() -> None:
    before, after = pair()
    after = set_cell(after, "/tables/applications/carried_over/commercial", 3)
    after = set_cell(after, "/tables/applications/carried_over/total", 5)
    _, later = check_models(before, after)
    found = later.findings_of("X101")
    assert [f.pointers[0].rsplit("/", 1)[1] for f in found] == ["commercial", "total"]
    assert "商业企业 = 3 but" in found[0].message and "商业企业 = 1" in found[0].message


def test_blank_cells_are_not_compared_and_all_blank_skips() -> None:
    before, after = pair()
    after = set_cell(after, "/tables/applications/carried_over/natural_person", None)
    _, later = check_models(before, after)
    assert "X101" in later.passed
    for column in describe("2021").tables["applications"].row("carried_over").columns:
        after = set_cell(after, f"/tables/applications/carried_over/{column.key}", None)
    _, later = check_models(before, after)
    assert "blank in every column" in later.skipped["X101"]


def test_stock_needs_the_2021_columns_in_both_years_and_honours_the_tolerance() -> None:
    old = build("2019", year=2021, organ="示例县")
    new = build(year=2022, organ="示例县", disclosure={"normative_documents": {"issued": 2, "in_force": 5}})
    _, later = check_models(old, new)
    assert "2021 columns" in later.skipped["X102"]
    old = build(year=2021, organ="示例县", disclosure={"normative_documents": {"in_force": 4}})
    _, later = check_models(old, new)  # 5 ≠ 4 + 2 − 0 = 6
    [finding] = later.findings_of("X102")
    assert "= 5 but" in finding.message and "= 6" in finding.message
    _, later = check_models(old, new, config=Config(select=["X102"], options={"X102": {"tolerance": 1}}))
    assert later.passed == ["X102"]


def test_reports_without_organ_or_year_are_skipped() -> None:
    a, b = pair()
    b["meta"]["organ"] = None
    a["meta"]["year"] = None
    first, second = check_models(a, b)
    assert "year is unknown" in first.skipped["X101"]
    assert "does not state its organ" in second.skipped["X101"]


def test_a_gap_in_the_years_says_which_years_are_present() -> None:
    a, b = pair()
    b["meta"]["year"] = 2023
    _, later = check_models(a, b)
    assert "no 2022 report of this organ in the run (years present: 2021、2023)" in later.skipped["X101"]


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("东乡县", "东乡县人民政府", True),
        ("东乡县", "东乡县政府", True),
        ("东乡县 人民政府", "东乡县", True),
        ("ＸＸ市（本级）", "XX市(本级)", True),
        ("东乡县人民政府办公室", "东乡县", False),
        ("东乡族自治县", "东乡县", False),
        ("东乡县教育局", "东乡县", False),
        ("市政府", "市", True),
    ],
)
def test_organ_names_are_folded_conservatively(one: str, other: str, same: bool) -> None:
    assert (crossyear.organ_key(one) == crossyear.organ_key(other)) is same


# --- the hook: a plugin adds its own cross-report rule ----------------------------------------


class SameTitle:
    @staticmethod
    @rule("ZX1", "fee-grows", "note", "s", "e", cross=True)
    def fee_grows(reports: Sequence[Report], ctx: RuleContext) -> Iterator[tuple[Report, Finding]]:
        for report, prev in crossyear.link(list(reports)):
            if isinstance(prev, Report):
                yield report, Finding(f"compared with {prev.year}", ["/meta/title"])

    @hookimpl
    def nianbao_cross_report_rules(self) -> list[CrossRule]:
        return [self.fee_grows]  # type: ignore[list-item]


def test_a_plugin_can_add_a_cross_report_rule() -> None:
    pm = pluginmanager.manager()
    plugin = SameTitle()
    pm.register(plugin, name="same-title")
    pluginmanager.rules.cache_clear()
    try:
        out = check(Y2021, Y2022, config=Config(select=["ZX1"]))
    finally:
        pm.unregister(plugin)
        pluginmanager.rules.cache_clear()
    assert [f.message for f in out[Y2022.name].findings] == ["compared with 2021"]
    assert out[Y2021.name].passed == ["ZX1"]


# --- X104 duplicates, linear pairing ----------------------------------------------------------


def test_a_duplicate_organ_year_is_reported_on_each_copy() -> None:
    loaded = [load(str(p)) for p in sorted(HERE.glob("*.txt"))]
    results = {Path(r.uri).name: r for r in run(loaded, Config(select=["X104"])).results}
    first, second = results[BAD2022.name], results[Y2022.name]  # sorted: -mismatch comes first
    assert first.failed == second.failed == ["X104"]
    assert Y2022.name in first.findings[0].message and "2022" in first.findings[0].message
    assert BAD2022.name in second.findings[0].message
    assert results[Y2021.name].passed == ["X104"]


def test_many_copies_of_a_year_are_paired_linearly() -> None:
    """Every copy of year N is compared with the first copy of N−1 only: 30 + 30 copies make 30
    pairs, not 900 (and each copy is still reported as a duplicate)."""
    from nianbao.rules.crossyear import link

    before, after = pair()
    reports = [Report(dict(before, source={"uri": f"a-{i}.txt"})) for i in range(30)]
    reports += [Report(dict(after, source={"uri": f"b-{i}.txt"})) for i in range(30)]
    pairs = [(r, p) for r, p in link(reports) if isinstance(p, Report)]
    assert len(pairs) == 30 and {p.uri for _, p in pairs} == {"a-0.txt"}

"""Who has not reported: a roster of 10 bodies, 7 reports; the 3 missing found in every output
format, at their lines of the roster; bodies not on the roster; the parent-vs-children note."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html
import pytest
from nianbao import engine, reporters
from nianbao.cli import main
from nianbao.config import Config
from nianbao.loader import load

SEED = Path(__file__).parent / "fixtures" / "seed-dongxiang-2021.txt"
NAMES = [f"测试{c}县" for c in "甲乙丙丁戊己庚辛壬癸"]
MISSING = NAMES[7:]


def _corpus(tmp_path: Path, names: list[str], extra: str = "") -> Path:
    seed = SEED.read_text(encoding="utf-8")
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in names:
        (folder / f"{name}-2021.txt").write_text(seed.replace("东乡县", name), encoding="utf-8")
    return folder


def _yaml_roster(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    lines = ["# the county's bodies", "years: [2021]", "bodies:"]
    at = {}
    for name in NAMES:
        at[name] = len(lines) + 1
        lines += [f"  - name: {name}", "    kind: government"]
    path = tmp_path / "roster.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, at


@pytest.fixture
def run(tmp_path):
    folder = _corpus(tmp_path, NAMES[:7])
    roster, at = _yaml_roster(tmp_path)
    paths = sorted(str(p) for p in folder.iterdir())
    result = engine.run([load(p) for p in paths], Config(select=["R"], roster=str(roster)))
    return result, str(roster), at


def test_three_missing_in_every_format(run):
    result, roster, at = run
    # text
    text = reporters.render("text", result)
    for name in MISSING:
        assert f"{roster}:{at[name]}:5: R101 " in text and name in text
    assert sum(1 for line in text.splitlines() if " R101 " in line) == 3
    # JSON: the roster is a document of the run, with its findings
    doc = json.loads(reporters.render("json", result))
    entry = next(r for r in doc["reports"] if r["source"]["uri"] == roster)
    assert entry["status"] == "checked" and entry["source"]["format"] == "roster-yaml"
    assert [f["location"]["line"] for f in entry["findings"]] == [at[n] for n in MISSING]
    assert all(f["rule"] == "R101" for f in entry["findings"])
    # JUnit: a suite for the roster with the R101 failure holding the three
    tree = ET.fromstring(reporters.render("junit", result))
    suite = next(s for s in tree.iter("testsuite") if s.get("name") == roster)
    failure = next(c for c in suite.iter("testcase") if "R101" in (c.get("name") or "")).find("failure")
    assert failure is not None and all(n in (failure.text or "") + (failure.get("message") or "") for n in MISSING)
    # SARIF: results on the roster's artifact, at the bodies' lines
    sarif = json.loads(reporters.render("sarif", result))
    hits = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "R101"]
    assert sorted(r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in hits) == [
        at[n] for n in MISSING
    ]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in hits} == {"roster.yaml"} or all(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("roster.yaml") for r in hits
    )
    # HTML: bodies × years, three missing
    page = lxml.html.fromstring(reporters.render("html", result))
    cells = page.xpath("//table[@id='roster']/tbody/tr")
    assert len(cells) == 10
    status = {r.xpath("td")[0].text_content(): r.xpath("td")[3].get("class") for r in cells}
    assert [n for n, s in status.items() if s == "st-missing"] == MISSING


def test_cli_exit_status_and_csv_roster(tmp_path, capsys):
    folder = _corpus(tmp_path, [*NAMES[:7], "测试子县"])
    roster = tmp_path / "bodies.csv"
    rows = ["name,kind,parent,aliases", *(f"{n},government,," for n in NAMES)]
    roster.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")
    assert main(["check", str(folder), "--roster", str(roster), "--select", "R", "-q"]) == 1
    out = capsys.readouterr().out
    assert [line.split(": R101")[0] for line in out.splitlines() if "R101" in line] == [
        f"{roster}:{i}:1" for i in (9, 10, 11)
    ]
    assert "测试子县 is not on the roster" in out or "测试子县 不在" in out


def test_roster_in_the_configuration(tmp_path, capsys):
    folder = _corpus(tmp_path, NAMES[:9])
    _, at = _yaml_roster(tmp_path)
    config = tmp_path / "nianbao.yaml"
    config.write_text("roster: roster.yaml\nselect: [R]\n", encoding="utf-8")
    assert main(["check", str(folder), "--config", str(config), "-q"]) == 1
    out = capsys.readouterr().out
    assert f":{at['测试癸县']}:5: R101" in out and out.count("R101") == 1


def test_bad_roster_is_a_usage_error(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("bodies:\n  - name: 甲\n    parent: 乙\n", encoding="utf-8")
    assert main(["check", str(SEED), "--roster", str(bad)]) == 2
    assert "bad.yaml:2" in capsys.readouterr().err


def test_parent_sum_note(tmp_path):
    seed = SEED.read_text(encoding="utf-8")
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("测试甲县", "测试甲县教育局", "测试甲县卫健委"):
        (folder / f"{name}.txt").write_text(seed.replace("东乡县", name), encoding="utf-8")
    roster = tmp_path / "roster.yaml"
    roster.write_text(
        "bodies:\n  - name: 测试甲县\n    kind: government\n"
        "  - {name: 测试甲县教育局, kind: department, parent: 测试甲县}\n"
        "  - {name: 测试甲县卫健委, kind: department, parent: 测试甲县}\n",
        encoding="utf-8",
    )
    result = engine.run([load(str(p)) for p in sorted(folder.iterdir())], Config(select=["R"], roster=str(roster)))
    parent = next(r for r in result.results if r.uri.endswith("测试甲县.txt"))
    notes = parent.findings_of("R103")
    # the three reports are copies: the parent's totals are half its two children's sums
    assert notes and all(f.level == "note" for f in notes)
    value = parent.report.get("/tables/applications/new_received/total")
    assert any(f.pointers == ["/tables/applications/new_received/total"] and str(2 * value) in f.message for f in notes)
    child = next(r for r in result.results if r.uri.endswith("教育局.txt"))
    assert not child.findings_of("R103")


def test_without_roster_the_rules_are_skipped():
    result = engine.run([load(str(SEED))], Config(select=["R"]))
    assert set(result.results[0].skipped) == {"R101", "R102", "R103"}
    assert len(result.results) == 1

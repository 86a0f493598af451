"""Reporters on RunResults built by hand: synthetic rules and reports, so that every outcome a
reporter must show (findings at each level, a fix, a PDF location, a skipped rule, a rule
from a plugin, an unreadable file, a crashed rule) is present with known figures."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from nianbao import i18n, reporters
from nianbao.model import Finding, Fix, Report
from nianbao.pluginmanager import PluginInfo
from nianbao.reporters import junit, sarif, text
from nianbao.results import ReportResult, RunResult
from nianbao.rule import Rule, rule

TXT = "reports/东乡县 2021.txt"
PDF = "b.pdf"
MISSING = "missing.docx"
NATURAL = "/tables/applications/new_received/natural_person"
HANDLED = "/tables/applications/handled_total/natural_person"


@pytest.fixture(autouse=True)
def _english():
    """These tests read the layout of each format; its words are asserted in English (the
    Chinese of the same outputs: tests/test_i18n.py)."""
    i18n.set_language("en")


def _rule(rule_id: str, level: str, plugin: str = "nianbao", cross: bool = False) -> Rule:
    def never_run(report, ctx):  # the reporters never call a rule: only its metadata matters
        raise AssertionError("a reporter ran a rule")

    made = rule(
        rule_id,
        f"rule-{rule_id.lower()}",
        level,
        f"What {rule_id} checks.",
        f"Why {rule_id}.",
        "条例第五十条",
        cross=cross,
    )
    return replace(made(never_run), plugin=plugin)


def _finding(rule_id: str, level: str, message: str, pointers: list[str], location: dict, **kw) -> Finding:
    f = Finding(message, pointers, **kw)
    f.rule, f.level, f.location = rule_id, level, location
    return f


def synthetic_run() -> RunResult:
    """Three inputs: a text report with two T301 errors (one with a fix) and a plugin note,
    D103 skipped; a PDF with one T302 warning; a file that could not be read. X101 crashed."""
    rules = [
        _rule("D103", "error"),
        _rule("T301", "error"),
        _rule("T302", "warning"),
        _rule("X101", "error", cross=True),
        _rule("Z001", "note", plugin="nianbao-acme"),
    ]
    txt = Report(
        {
            "model": "nianbao.report/1",
            "template": "2021",
            "source": {"uri": TXT, "format": "text", "sha256": "a" * 64, "encoding": "utf-8"},
            "provenance": {
                NATURAL: {"raw": "5", "line": 150, "column": 3},
                HANDLED: {"raw": "14", "line": 170, "column": 1},
            },
        }
    )
    fixable = _finding(
        "T301",
        "error",
        "一+二 = 5+0 = 5 but （七）总计+四 = 14+0 = 14 (自然人)",
        [HANDLED, NATURAL],
        {"uri": TXT, "line": 170, "column": 1},
        fix=Fix(HANDLED, 5),
    )
    plain = _finding("T301", "error", "second", [NATURAL], {"uri": TXT, "line": 150, "column": 3})
    note = _finding("Z001", "note", "a plugin's note", ["/meta/title"], {"uri": TXT})
    r1 = ReportResult(
        TXT, "text", txt, findings=[fixable, plain, note], passed=["T302"], failed=["T301", "Z001"],
        skipped={"D103": "no publication date"},
        errored={"X101": "internal error: the rule raised RuntimeError: boom (plugin nianbao)"},
    )  # fmt: skip
    pdf = Report(
        {"model": "nianbao.report/1", "template": "2019", "source": {"uri": PDF, "format": "pdf", "sha256": "b" * 64}}
    )
    warn = _finding(
        "T302", "warning", "pdf warning", ["/tables/applications/granted/total"], {"uri": PDF, "page": 3, "line": 12}
    )
    r2 = ReportResult(PDF, "pdf", pdf, findings=[warn], passed=["D103", "T301", "X101", "Z001"], failed=["T302"])
    r1.seconds = {"D103": 0.0010, "T301": 0.0123, "T302": 0.0004, "Z001": 0.0021}  # X101 is cross-report: no time
    r2.seconds = {"D103": 0.5, "T301": 1.25, "T302": 0.0, "Z001": 0.0}
    r3 = ReportResult(MISSING, None, error={"kind": "not-found", "message": "no such file"})
    plugins = [PluginInfo("cells", "nianbao", "0.1.0", True), PluginInfo("acme", "nianbao-acme", "1.2.0", False)]
    crash = {
        "level": "error",
        "kind": "crash",
        "message": "rule X101 (plugin nianbao) raised RuntimeError: boom on b.pdf",
        "rule": "X101",
        "plugin": "nianbao",
        "uri": PDF,
    }
    return RunResult([r1, r2, r3], rules, plugins, "error", [crash])


@pytest.fixture
def run() -> RunResult:
    return synthetic_run()


# --- text --------------------------------------------------------------------------------------


def test_text_lists_each_finding_with_location_rule_level_and_message(run):
    out = text.render(run)
    assert f"{TXT}:170:1: T301 error 一+二 = 5+0 = 5 but （七）总计+四 = 14+0 = 14 (自然人)" in out.splitlines()
    assert f"{TXT}:150:3: T301 error second" in out.splitlines()
    assert f"{TXT}: Z001 note a plugin's note" in out.splitlines()
    assert f"{PDF}:page 3 line 12: T302 warning pdf warning" in out.splitlines()
    assert f"{MISSING}: error (not-found): no such file" in out.splitlines()


def test_text_groups_by_file_in_input_order(run):
    lines = text.render(run).splitlines()
    first = [next(i for i, line in enumerate(lines) if line.startswith(uri)) for uri in (TXT, PDF, MISSING)]
    assert first == sorted(first)
    txt_lines = [i for i, line in enumerate(lines) if line.startswith(TXT + ":")]
    assert txt_lines == list(range(txt_lines[0], txt_lines[0] + 3))


def test_text_summary_counts(run):
    i18n.set_language("en")
    last = text.render(run).splitlines()[-1]
    # 2 T301 errors, 1 T302 warning, 1 Z001 note; 3 inputs of which one unreadable
    assert last == "3 files, 2 errors, 1 warning, 1 note, 1 file unreadable; 1 rule failure (internal error)"


def test_text_rule_outcomes_and_verbose_skips(run):
    i18n.set_language("en")
    out = text.render(run)
    assert "rules: 1 passed, 2 failed, 1 skipped; 1 errored" in out
    assert "rules: 4 passed, 1 failed, 0 skipped" in out
    assert "no publication date" not in out
    verbose = text.render(run, verbose=True)
    assert "  skipped D103: no publication date" in verbose.splitlines()


def test_text_reports_a_crashed_rule_apart(run):
    lines = text.render(run).splitlines()
    assert "nianbao: internal error: rule X101 (plugin nianbao) raised RuntimeError: boom on b.pdf" in lines


def test_text_colour_only_when_asked(run):
    assert "\x1b[" not in text.render(run)
    coloured = text.render(run, color=True)
    assert "\x1b[31merror\x1b[0m" in coloured and "\x1b[33mwarning\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == text.render(run)


def test_text_quiet_keeps_findings_and_errors_only(run):
    lines = text.render(run, quiet=True).splitlines()
    assert len([x for x in lines if re.search(r": [A-Z]\d{3} (error|warning|note) ", x)]) == 4
    assert f"{MISSING}: error (not-found): no such file" in lines
    assert not any(x.startswith("rules:") for x in lines)


def test_text_clean_run_says_so():
    r = ReportResult("a.txt", "text", Report({"template": "2021"}), passed=["T301"])
    out = text.render(RunResult([r], [_rule("T301", "error")], []))
    assert out.splitlines()[-1] == "1 file, 0 errors, 0 warnings, 0 notes, 0 files unreadable"


# --- json --------------------------------------------------------------------------------------


def _findings_validator():
    from jsonschema import Draft202012Validator
    from nianbao import schemas

    schema = schemas.load("findings")
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_json_is_the_findings_document(run):
    out = reporters.render("json", run)
    assert json.loads(out) == run.to_dict()
    assert "东乡县" in out  # ensure_ascii=False: Chinese stays readable
    assert out.startswith('{\n  "model": "nianbao.findings/1"')


def test_json_validates_against_findings_schema(run):
    doc = json.loads(reporters.render("json", run))
    assert list(_findings_validator().iter_errors(doc)) == []
    assert [r["status"] for r in doc["reports"]] == ["checked", "checked", "error"]


@pytest.mark.parametrize(
    "break_it",
    [
        lambda d: d["reports"][0]["findings"][0].update(level="fatal"),
        lambda d: d["reports"][0]["findings"][0].update(pointers=["tables/x"]),
        lambda d: d["reports"][2].update(error=None),
        lambda d: d["reports"][0]["rules"].pop("skipped"),
        lambda d: d.update(model="nianbao.findings/2"),
    ],
)
def test_findings_schema_rejects_a_broken_document(run, break_it):
    doc = json.loads(reporters.render("json", run))
    break_it(doc)
    assert list(_findings_validator().iter_errors(doc))


# --- junit -------------------------------------------------------------------------------------


def _suites(run: RunResult) -> dict[str, ET.Element]:
    root = ET.fromstring(junit.render(run).encode("utf-8"))
    assert root.tag == "testsuites"
    return {s.get("name"): s for s in root.findall("testsuite")}


def test_junit_one_suite_per_report_one_case_per_rule(run):
    suites = _suites(run)
    assert list(suites) == [TXT, PDF, MISSING]
    names = [c.get("name") for c in suites[TXT].findall("testcase")]
    assert names == [f"{r.id} {r.name}" for r in run.rules]
    assert {c.get("classname") for c in suites[TXT].findall("testcase")} == {"reports.东乡县 2021_txt"}


def test_junit_failure_holds_all_findings_of_the_rule(run):
    i18n.set_language("en")
    case = next(c for c in _suites(run)[TXT] if c.get("name", "").startswith("T301"))
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert failure.get("message").startswith("2 findings; first: 一+二")
    assert failure.text.splitlines() == [
        f"{TXT}:170:1: T301 error 一+二 = 5+0 = 5 but （七）总计+四 = 14+0 = 14 (自然人)",
        f"{TXT}:150:3: T301 error second",
    ]


def test_junit_skipped_and_unreadable(run):
    suites = _suites(run)
    d103 = next(c for c in suites[TXT] if c.get("name", "").startswith("D103"))
    assert d103.find("skipped").get("message") == "no publication date"
    (only,) = suites[MISSING].findall("testcase")
    assert only.find("error").get("type") == "not-found"
    assert only.find("error").get("message") == "no such file"


def test_junit_counts(run):
    root = ET.fromstring(junit.render(run).encode("utf-8"))
    suites = _suites(run)
    # text: T301 failed (error); Z001 only a note, below --fail-on error: passed, kept in system-out;
    # X101 crashed: an error; D103 skipped; T302 passed. PDF: T302 a warning, not failing. missing: 1 error.
    assert {k: suites[TXT].get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "5", "failures": "1", "errors": "1", "skipped": "1"
    }  # fmt: skip
    assert suites[PDF].get("failures") == "0" and suites[PDF].get("skipped") == "0"
    assert suites[MISSING].get("tests") == "1" and suites[MISSING].get("errors") == "1"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("11", "1", "2")
    assert root.get("skipped") is None  # junit-10.xsd allows no skipped on <testsuites>


def test_junit_times_are_the_rules_and_add_up(run):
    root = ET.fromstring(junit.render(run).encode("utf-8"))
    suites = _suites(run)
    times = {c.get("name").split()[0]: c.get("time") for c in suites[TXT].findall("testcase")}
    assert times == {"D103": "0.001", "T301": "0.012", "T302": "0.000", "X101": None, "Z001": "0.002"}
    assert suites[TXT].get("time") == "0.015"  # 0.001 + 0.012 + 0.000 + 0.002, as printed
    assert suites[PDF].get("time") == "1.750"
    assert suites[MISSING].get("time") is None
    assert root.get("time") == "1.765"


def test_junit_fails_only_at_or_above_fail_on(run):
    i18n.set_language("en")
    z001 = next(c for c in _suites(run)[TXT] if c.get("name", "").startswith("Z001"))
    assert z001.find("failure") is None and z001.find("skipped") is None
    assert z001.find("system-out").text == f"{TXT}: Z001 note a plugin's note [below --fail-on error]"
    run.fail_on = "note"
    z001 = next(c for c in _suites(run)[TXT] if c.get("name", "").startswith("Z001"))
    assert z001.find("failure").get("type") == "note" and z001.find("system-out") is None
    assert _suites(run)[PDF].get("failures") == "1"


def test_junit_crashed_rule_is_an_error(run):
    x101 = next(c for c in _suites(run)[TXT] if c.get("name", "").startswith("X101"))
    assert x101.find("error").get("type") == "internal-error"
    assert "plugin nianbao" in x101.find("error").get("message")


def test_junit_gitlab_flavor_names_the_file_on_each_case(run):
    root = ET.fromstring(junit.render(run, flavor="gitlab").encode("utf-8"))
    assert {c.get("file") for c in root.iter("testcase")} == {TXT, PDF, MISSING}
    strict = ET.fromstring(junit.render(run).encode("utf-8"))
    assert all(c.get("file") is None for c in strict.iter("testcase"))  # junit-10.xsd forbids it
    assert [s.get("file") for s in strict.iter("testsuite")] == [TXT, PDF, MISSING]


def test_junit_properties(run):
    props = {p.get("name"): p.get("value") for p in _suites(run)[TXT].iter("property")}
    assert props == {"template": "2021", "format": "text"}


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("a.txt", "a_txt"),
        ("./r/x.2021.pdf", "r.x_2021_pdf"),
        ("../up/y.txt", "__.up.y_txt"),
        ("C:\\r\\z.htm", "C:.r.z_htm"),
    ],
)
def test_junit_classname(uri, expected):
    assert junit.classname(uri) == expected


def test_junit_escapes_characters_xml_cannot_carry():
    # spelled out (legible, and it says what was there) rather than dropped
    r = ReportResult("a.txt", None, error={"kind": "corrupt", "message": "bad byte \x01 here"})
    out = junit.render(RunResult([r], [], []))
    assert "\x01" not in out and ET.fromstring(out.encode()).find(".//error").get("message") == "bad byte \\x01 here"


# --- sarif -------------------------------------------------------------------------------------


def _sarif(run: RunResult) -> dict:
    return json.loads(sarif.render(run))["runs"][0]


def test_sarif_driver_and_extension_rules(run):
    tool = _sarif(run)["tool"]
    assert [r["id"] for r in tool["driver"]["rules"]] == ["D103", "T301", "T302", "X101"]
    (ext,) = tool["extensions"]
    assert (ext["name"], ext["version"], [r["id"] for r in ext["rules"]]) == ("nianbao-acme", "1.2.0", ["Z001"])
    t302 = tool["driver"]["rules"][2]
    assert t302["shortDescription"]["text"] == "What T302 checks."
    assert t302["fullDescription"]["text"] == "Why T302."
    assert t302["defaultConfiguration"]["level"] == "warning"
    assert "条例第五十条" in t302["help"]["text"] and t302["properties"]["legalBasis"] == "条例第五十条"
    assert t302["helpUri"].endswith("#t302")


def test_sarif_results_reference_their_rule(run):
    doc = _sarif(run)
    tool = doc["tool"]
    for res in doc["results"]:
        if "rule" in res:
            comp = tool["extensions"][res["rule"]["toolComponent"]["index"]]
            assert comp["rules"][res["rule"]["index"]]["id"] == res["ruleId"]
        else:
            assert tool["driver"]["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
    assert [r["ruleId"] for r in doc["results"]] == ["T301", "T301", "Z001", "T302"]
    assert [r["level"] for r in doc["results"]] == ["error", "error", "note", "warning"]


def test_sarif_locations(run):
    doc = _sarif(run)
    first, _, note, pdf = doc["results"]
    phys = first["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"] == {
        "uri": "reports/%E4%B8%9C%E4%B9%A1%E5%8E%BF%202021.txt",
        "uriBaseId": "%SRCROOT%",
        "index": 0,
    }
    # region of the cell's raw text "14" at line 170, column 1
    assert phys["region"] == {"startLine": 170, "startColumn": 1, "endColumn": 3, "snippet": {"text": "14"}}
    assert [x["fullyQualifiedName"] for x in first["locations"][0]["logicalLocations"]] == [HANDLED, NATURAL]
    assert "region" not in note["locations"][0]["physicalLocation"]
    pdf_phys = pdf["locations"][0]["physicalLocation"]
    assert "region" not in pdf_phys and pdf_phys["properties"] == {"nianbaoLocation": {"page": 3, "line": 12}}
    assert pdf_phys["artifactLocation"]["index"] == 1
    # a page is no SARIF region: it is said in words on the location and in the message
    assert pdf["locations"][0]["message"] == {"text": "page 3 line 12"}
    assert pdf["message"]["text"].endswith(" [page 3 line 12]")
    assert [a["location"]["uri"] for a in doc["artifacts"]] == [phys["artifactLocation"]["uri"], PDF, MISSING]
    assert doc["artifacts"][0]["mimeType"] == "text/plain" and doc["artifacts"][0]["encoding"] == "utf-8"
    assert doc["artifacts"][0]["hashes"] == {"sha-256": "a" * 64}


def test_sarif_fix_replaces_the_raw_cell_text(run):
    first = _sarif(run)["results"][0]
    (fix,) = first["fixes"]
    (change,) = fix["artifactChanges"]
    (replacement,) = change["replacements"]
    assert replacement == {
        "deletedRegion": {"startLine": 170, "startColumn": 1, "endColumn": 3},
        "insertedContent": {"text": "5"},
    }
    assert "fixes" not in _sarif(run)["results"][1]


def test_sarif_fingerprint_ignores_lines_and_messages(run):
    doc = _sarif(run)
    before = [r["partialFingerprints"]["nianbao/v1"] for r in doc["results"]]
    assert len(set(before)) == 4
    moved = synthetic_run()
    f = moved.results[0].findings[0]
    f.location, f.message = {"uri": TXT, "line": 999, "column": 7}, "reworded"
    f.pointers = list(reversed(f.pointers))
    assert [r["partialFingerprints"]["nianbao/v1"] for r in _sarif(moved)["results"]] == before
    assert all(p.endswith(":1") for p in before)
    other = synthetic_run()
    other.results[0].findings[0].pointers = [NATURAL]  # now on the same cell as the second T301
    again = [r["partialFingerprints"]["nianbao/v1"] for r in _sarif(other)["results"]]
    assert again[0] != before[0]
    assert again[0].endswith(":1") and again[1] == again[0][:-1] + "2"


def test_sarif_unreadable_file_and_crash_are_notifications(run):
    inv = _sarif(run)["invocations"][0]
    assert inv["executionSuccessful"] is False  # X101 crashed: a fault of the tool
    read, crash = inv["toolExecutionNotifications"]
    assert read["level"] == "error" and MISSING in read["message"]["text"] and "no such file" in read["message"]["text"]
    assert read["locations"][0]["physicalLocation"]["artifactLocation"]["index"] == 2
    assert crash["associatedRule"] == {"id": "X101", "index": 3}


def test_sarif_absolute_path_is_a_file_uri(tmp_path: Path):
    path = tmp_path / "年报 2021.txt"
    loc = sarif.artifact_location(str(path))
    assert loc == {"uri": path.resolve().as_uri()} and "%20" in loc["uri"]
    assert sarif.artifact_location("./a\\b.txt") == {"uri": "a/b.txt", "uriBaseId": "%SRCROOT%"}


def test_every_format_names_every_input(run):
    for name in reporters.FORMATS:
        out = reporters.render(name, run)
        for uri in (PDF, MISSING):
            assert uri in out, (name, uri)
    with pytest.raises(ValueError, match="unknown format"):
        reporters.renderer("xml")


def test_sarif_no_span_or_fix_for_text_markup_may_print_otherwise(run):
    # "&" may stand as "&amp;" in an HTML source: its length would not span the printed text
    run.results[0].report.data["provenance"][HANDLED]["raw"] = "1&4"
    first = _sarif(run)["results"][0]
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 170, "startColumn": 1}
    assert "fixes" not in first


def test_sarif_names_this_machine_only_for_absolute_inputs(run, tmp_path):
    doc = _sarif(run)
    assert Path.cwd().as_uri() not in sarif.render(run)  # the same log on every machine
    assert "uri" not in doc["originalUriBaseIds"]["%SRCROOT%"] and "workingDirectory" not in doc["invocations"][0]
    absolute = ReportResult(str(tmp_path / "a.txt"), None, error={"kind": "not-found", "message": "no such file"})
    doc = _sarif(RunResult([absolute], [], []))
    assert doc["invocations"][0]["workingDirectory"] == {"uri": Path.cwd().as_uri() + "/"}
    assert "originalUriBaseIds" not in doc
    assert doc["artifacts"][0]["location"] == {"uri": (tmp_path / "a.txt").as_uri()}

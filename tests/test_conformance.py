"""The SARIF and JUnit nianbao writes, checked against the standards' own schemas (copies under
tests/fixtures/conformance: the OASIS SARIF 2.1.0 schema and Jenkins' junit-10.xsd) and against
what code-scanning and CI pages rely on. The fuller external checkers (Microsoft's SARIF
Multitool with GitHub's ingestion rules, a GitLab read-back) run from scripts/conformance.sh."""

from __future__ import annotations

import collections
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from nianbao import reporters
from test_reporters import synthetic_run

ROOT = Path(__file__).parent.parent
FIXTURES = Path("tests/fixtures")  # relative, as a CI job names its inputs; the CLI runs in ROOT
SCHEMAS = ROOT / FIXTURES / "conformance"
CORPUS = sorted(
    p.relative_to(ROOT) for p in (ROOT / FIXTURES / "corpus").glob("*.*") if not p.name.endswith(".truth.json")
)
INPUTS = [FIXTURES / "seed-dongxiang-2021.txt", *CORPUS]


def _cli(fmt: str, *paths: Path | str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "nianbao.cli", "check", *map(str, paths), "--format", fmt, "--no-progress"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        cwd=ROOT,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def _outputs(fmt: str) -> dict[str, str]:
    """The synthetic run, each fixture alone, and all of them with a file that is not there."""
    out = {"synthetic": reporters.render(fmt, synthetic_run())}
    out |= {p.name: _cli(fmt, p) for p in INPUTS}
    # the whole fixture tree: every reader and every kind of unreadable file, in one output
    # (scans as the unreadable files they are without OCR: reading them is minutes, test_ocr's)
    out["all"] = _cli(fmt, "--ocr", "never", FIXTURES, FIXTURES / "no-such-report.txt")
    return out


@pytest.fixture(scope="module")
def sarif_logs() -> dict[str, dict]:
    return {name: json.loads(text) for name, text in _outputs("sarif").items()}


@pytest.fixture(scope="module")
def junit_docs() -> dict[str, str]:
    return _outputs("junit")


# --- SARIF -------------------------------------------------------------------------------------


def test_sarif_validates_against_the_oasis_schema(sarif_logs):
    from jsonschema import Draft4Validator, FormatChecker

    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator = Draft4Validator(schema, format_checker=FormatChecker())
    for name, log in sarif_logs.items():
        errors = [f"{'/'.join(map(str, e.path))}: {e.message[:120]}" for e in validator.iter_errors(log)]
        assert errors == [], name


def test_sarif_gives_code_scanning_what_it_needs(sarif_logs):
    for name, log in sarif_logs.items():
        (run,) = log["runs"]
        driver = run["tool"]["driver"]
        assert driver["name"] == "nianbao" and driver["version"]
        for rule in [*driver["rules"], *(r for e in run["tool"].get("extensions", []) for r in e["rules"])]:
            assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"], name
            # GitHub's limits for what it displays
            assert len(rule["fullDescription"]["text"]) <= 1024 and len(rule["shortDescription"]["text"]) <= 1024, name
            assert len(rule.get("name", "")) <= 255, name
        uris = [a["location"]["uri"] for a in run["artifacts"]]
        assert len(uris) == len(set(uris)), name
        for result in run["results"]:
            assert result["message"]["text"] and result["partialFingerprints"]["nianbao/v1"], name
            phys = result["locations"][0]["physicalLocation"]
            art = phys["artifactLocation"]
            assert uris[art["index"]] == art["uri"], name
            # inputs given as relative paths stay relative: GitHub matches them to repository files
            assert not art["uri"].startswith("file:") and art["uriBaseId"] in run["originalUriBaseIds"], name
            if "region" in phys:
                assert phys["region"]["startLine"] >= 1 and phys["region"].get("startColumn", 1) >= 1, name
            if "ruleIndex" in result:
                assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"], name


def test_sarif_unreadable_input_is_a_notification(sarif_logs):
    (run,) = sarif_logs["all"]["runs"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    texts = [n["message"]["text"] for n in notes]
    assert any("no-such-report.txt" in t and "文件不存在" in t for t in texts)  # the kind in words, zh
    assert any(n.get("properties", {}).get("kind") == "not-found" for n in notes)  # and as the machine word
    assert not any(
        "no-such-report" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    )


# --- JUnit -------------------------------------------------------------------------------------


def test_junit_validates_against_junit_10_xsd(junit_docs):
    from lxml import etree  # a test dependency (nianbao[html]): missing, it must fail, not skip

    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "junit-10.xsd")))
    for name, text in junit_docs.items():
        doc = etree.fromstring(text.encode("utf-8"))
        assert schema.validate(doc), (name, [str(e) for e in schema.error_log][:5])


def test_junit_counts_agree_with_testcases(junit_docs):
    for name, text in junit_docs.items():
        root = ET.fromstring(text.encode("utf-8"))
        totals = collections.Counter()
        for suite in root.findall("testsuite"):
            cases = suite.findall("testcase")
            seen = collections.Counter((c.get("classname"), c.get("name")) for c in cases)
            assert max(seen.values()) == 1, (name, suite.get("name"))
            want = {
                "tests": len(cases),
                "failures": sum(c.find("failure") is not None for c in cases),
                "errors": sum(c.find("error") is not None for c in cases),
                "skipped": sum(c.find("skipped") is not None for c in cases),
            }
            assert {k: int(suite.get(k)) for k in want} == want, (name, suite.get("name"))
            totals.update(want)
        assert {k: int(root.get(k)) for k in ("tests", "failures", "errors")} == {
            k: totals[k] for k in ("tests", "failures", "errors")
        }, name


def test_junit_every_input_is_a_suite(junit_docs, monkeypatch):
    from nianbao.loader import expand

    monkeypatch.chdir(ROOT)
    root = ET.fromstring(junit_docs["all"].encode("utf-8"))
    names = [s.get("name") for s in root.findall("testsuite")]
    skipped: list = []  # the corpus's truth files: a suite each, with a skipped test case
    found = [*expand([str(FIXTURES)], skipped), str(FIXTURES / "no-such-report.txt")]
    assert names == found + [s.uri for s in skipped] and skipped
    assert len(names) > 10 and any(s.find("testcase/error") is not None for s in root.findall("testsuite"))

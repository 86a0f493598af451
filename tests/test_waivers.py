"""Waivers and baselines end to end, in every format, and JUnit that agrees with the exit status."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from nianbao import cli, i18n

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-dongxiang-2021.txt"
CROSS = FIXTURES / "crossyear"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.ENV, "en")
    i18n.set_language("en")


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _cases(junit: str) -> dict[str, ET.Element]:
    return {c.get("name", "").split()[0]: c for c in ET.fromstring(junit.encode("utf-8")).iter("testcase")}


# --- JUnit agrees with the exit status ---------------------------------------------------------


def test_seed_exit_0_and_no_failure_in_junit(capsys) -> None:
    code, out, _ = run(capsys, "check", SEED, "-f", "junit")
    assert code == 0 and "<failure" not in out
    cases = _cases(out)
    # the seed's warning and note stay visible, in the case's system-out, without failing it
    assert "S104 warning" in cases["S104"].find("system-out").text and "[below --fail-on error]" in out
    code, out, _ = run(capsys, "check", SEED, "-f", "junit", "--fail-on", "note")
    assert code == 1
    failed = {name for name, c in _cases(out).items() if c.find("failure") is not None}
    assert failed == {"S104", "N104"}
    code, out, _ = run(capsys, "check", SEED, "-f", "junit", "--fail-on", "warning", "--junit-flavor", "gitlab")
    assert code == 1 and {c.get("file") for c in _cases(out).values()} == {str(SEED)}


# --- waivers -----------------------------------------------------------------------------------


def _waivers(tmp_path: Path, expires_s104: str = "2099-12-31") -> Path:
    cfg = tmp_path / "nianbao.yaml"
    cfg.write_text(
        f"""fail-on: warning
waivers:
  - rule: S104
    reports: "{FIXTURES.as_posix()}/seed-*.txt"
    reason: the county charges no fee; agreed with the province to say so from 2023
    expires: {expires_s104}
  - rule: N104
    organ: 东乡县
    year: 2021
    pointer: /sections/0/paragraphs/1
    reason: 368万 is page views, 3320 a day is visitors
    expires: 2001-01-01
  - rule: T301
    reports: "nowhere/*.txt"
    reason: kept from an old run
    expires: 2099-12-31
""",
        encoding="utf-8",
    )
    return cfg


def test_a_waiver_round_trip_in_every_format(capsys, tmp_path: Path) -> None:
    cfg = _waivers(tmp_path)
    code, text, _ = run(capsys, "check", SEED, "--config", cfg)
    # S104 (a warning) is waived; N104 (a note) is below fail-on warning: exit 0
    assert code == 0
    assert "S104 warning section 六" in text and "[waived until 2099-12-31: the county charges no fee" in text
    assert "1 waived" in text.splitlines()[-1]
    assert "expired on 2001-01-01; it would cover 1 finding(s), which now count" in text
    assert "waiver of T301 for nowhere/*.txt" in text and "covered no finding" in text

    code, out, _ = run(capsys, "check", SEED, "--config", cfg, "-f", "json")
    doc = json.loads(out)
    (s104,) = [f for f in doc["reports"][0]["findings"] if f["rule"] == "S104"]
    assert s104["waived"]["reason"].startswith("the county charges no fee")
    assert [w["status"] for w in doc["waivers"]] == ["used", "expired", "unused"]

    code, out, _ = run(capsys, "check", SEED, "--config", cfg, "-f", "sarif")
    sarif = json.loads(out)["runs"][0]
    (result,) = [r for r in sarif["results"] if r["ruleId"] == "S104"]
    assert result["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "the county charges no fee; agreed with the province to say so from 2023",
            "properties": {"expires": "2099-12-31"},
        }
    ]
    assert "suppressions" not in next(r for r in sarif["results"] if r["ruleId"] == "N104")
    notes = sarif["invocations"][0]["toolConfigurationNotifications"]
    assert [n["properties"]["kind"] for n in notes] == ["waiver-expired", "waiver-unused"]
    assert sarif["invocations"][0]["executionSuccessful"] is True

    code, out, _ = run(capsys, "check", SEED, "--config", cfg, "-f", "junit")
    s104 = _cases(out)["S104"]
    assert (
        s104.find("failure") is None and "[waived until 2099-12-31: the county charges" in s104.find("system-out").text
    )


def test_an_expired_waiver_covers_nothing(capsys, tmp_path: Path) -> None:
    code, text, _ = run(capsys, "check", SEED, "--config", _waivers(tmp_path, expires_s104="2020-06-30"))
    assert code == 1  # the S104 warning counts again
    assert "waiver of S104 for" in text and "expired on 2020-06-30" in text


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{rule: S104, reports: '*.txt', expires: 2030-01-01}", "a waiver of S104 needs a reason"),
        ("{rule: S104, reports: '*.txt', reason: x}", "a waiver of S104 needs an expiry date"),
        ("{rule: S104, reports: '*.txt', reason: x, expires: soon}", "expires must be a date like 2027-06-30"),
        ("{rule: S999, reports: '*.txt', reason: x, expires: 2030-01-01}", "rule 'S999' is not a rule id"),
        ("{rule: S104, reason: x, expires: 2030-01-01}", "names the reports it covers"),
    ],
)
def test_waiver_mistakes_name_the_line(capsys, tmp_path: Path, entry: str, message: str) -> None:
    cfg = tmp_path / "nianbao.yaml"
    cfg.write_text(f"select: [S]\nwaivers:\n  - {entry}\n", encoding="utf-8")
    code, out, err = run(capsys, "check", SEED, "--config", cfg)
    assert code == 2 and out == "" and err.startswith(f"nianbao: {cfg}:3: waivers: ") and message in err


# --- baselines ---------------------------------------------------------------------------------


def test_a_baseline_round_trip(capsys, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    code, _, _ = run(capsys, "check", SEED, "--write-baseline", baseline, "--fail-on", "note", "-q")
    assert code == 1
    recorded = json.loads(baseline.read_text(encoding="utf-8"))
    assert recorded["model"] == "nianbao.baseline/1"
    assert {e["rule"] for e in recorded["findings"]} == {"S104", "N104"}
    assert all("line" not in json.dumps(e) for e in recorded["findings"])  # keyed on content

    # the same report re-formatted: blank lines added, so every finding moves down
    moved = tmp_path / "dongxiang-2021-reformatted.txt"
    moved.write_text("\n\n\n" + SEED.read_text(encoding="utf-8"), encoding="utf-8")
    code, text, _ = run(capsys, "check", moved, "--baseline", baseline, "--fail-on", "note")
    assert code == 0 and "2 in the baseline not shown" in text.splitlines()[-1]
    code, out, _ = run(capsys, "check", moved, "--baseline", baseline, "--fail-on", "note", "-f", "junit")
    assert "<failure" not in out

    # a new finding: the figure of 1 application changed in table 三 breaks an identity
    text = moved.read_text(encoding="utf-8")
    changed = tmp_path / "dongxiang-2021-changed.txt"
    changed.write_text(text.replace("2021年,我县共收到政府信息公开申请5件", "2021年,我县共收到政府信息公开申请6件"))
    code, out, _ = run(capsys, "check", changed, "--baseline", baseline, "--fail-on", "note", "-f", "sarif")
    sarif = json.loads(out)["runs"][0]
    assert code == 1 and sarif["results"]
    assert {r["baselineState"] for r in sarif["results"]} == {"new"}
    assert "S104" not in {r["ruleId"] for r in sarif["results"]}  # known: left out
    assert sarif["properties"]["baseline"] == {"unchanged": 2, "absent": 0}


def test_a_bad_baseline_is_a_usage_error(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "b.json"
    bad.write_text("{}", encoding="utf-8")
    code, _, err = run(capsys, "check", SEED, "--baseline", bad)
    assert code == 2 and "not a nianbao baseline" in err

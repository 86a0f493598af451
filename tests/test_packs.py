"""The jurisdiction packs in plugins/: listed with region and source, off until enabled, and each
rule on real reports (tests/fixtures/real, corpus) or realistic copies of them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from nianbao import cli, i18n

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-dongxiang-2021.txt"
PINGTAN_2024 = FIXTURES / "real" / "pingtan-2024.txt"
PINGTAN_2025 = FIXTURES / "real" / "pingtan-2025.txt"
HUAIAN_2024 = FIXTURES / "corpus" / "huaian-2024.pdf"
CROSS = FIXTURES / "crossyear"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.ENV, "en")
    i18n.set_language("en")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main([*map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def findings(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, list[dict]]:
    code, out, err = run(capsys, "check", "-f", "json", *argv)
    assert code in (0, 1), err
    return {Path(r["source"]["uri"]).name: r["findings"] for r in json.loads(out)["reports"]}


def ids(found: list[dict]) -> list[str]:
    return [f["rule"] for f in found]


def test_packs_are_listed_with_region_and_source(capsys) -> None:
    code, out, _ = run(capsys, "packs", "-f", "json")
    assert code == 0
    packs = {p["name"]: p for p in json.loads(out)}
    assert {"suqian", "wuwei", "evaluators"} <= set(packs)
    assert packs["suqian"]["region"] == "江苏·宿迁" and "GovOpen-AutoAudit" in packs["suqian"]["source"]
    assert packs["wuwei"]["region"] == "甘肃·武威" and "武政办发〔2025〕54号" in packs["wuwei"]["source"]
    assert "第五十条" in packs["evaluators"]["source"]
    assert packs["wuwei"]["rules"] == ["WW101", "WW102"] and packs["wuwei"]["plugin"] == "nianbao"
    code, text, _ = run(capsys, "packs")
    assert "suqian  江苏·宿迁" in text and "rules: SQ101, SQ102" in text


def test_a_pack_is_off_until_enabled(capsys) -> None:
    code, out, _ = run(capsys, "check", SEED, "-f", "sarif")
    tool = json.loads(out)["runs"][0]["tool"]
    listed = [r["id"] for r in tool["driver"]["rules"]] + [
        r["id"] for e in tool.get("extensions", []) for r in e["rules"]
    ]
    assert not any(i.startswith(("SQ", "WW", "EV")) for i in listed)
    code, _, err = run(capsys, "check", SEED, "--pack", "nowhere")
    assert code == 2 and "no pack 'nowhere'" in err and "suqian" in err


def test_enabling_a_pack_changes_the_verdict_on_a_report_it_applies_to(capsys) -> None:
    # 平潭 2025, a real report for 2025: 武威's notice applies; its 总体情况 lacks counts it asks for
    code, _, _ = run(capsys, "check", PINGTAN_2025, "--fail-on", "warning", "-q")
    assert code == 0
    code, out, _ = run(capsys, "check", PINGTAN_2025, "--fail-on", "warning", "-q", "--pack", "wuwei")
    assert code == 1 and " WW102 warning 一、总体情况 gives no figure for: " in out
    code, out, _ = run(capsys, "check", PINGTAN_2025, "--pack", "wuwei", "-f", "sarif")
    sarif = json.loads(out)["runs"][0]
    (ext,) = [e for e in sarif["tool"]["extensions"] if e["name"] == "nianbao-pack-wuwei"]
    assert [r["id"] for r in ext["rules"]] == ["WW101", "WW102"]
    assert ext["properties"]["region"] == "甘肃·武威" and "武政办发〔2025〕54号" in ext["properties"]["source"]
    assert ext["informationUri"].startswith("https://www.gswuwei.gov.cn/")
    assert all(r["properties"]["legalBasis"] for r in ext["rules"])
    (result,) = [r for r in sarif["results"] if r["ruleId"] == "WW102"]
    assert result["rule"]["toolComponent"]["index"] == sarif["tool"]["extensions"].index(ext)


def test_the_configuration_enables_packs(capsys, tmp_path: Path) -> None:
    cfg = tmp_path / "nianbao.yaml"
    cfg.write_text("packs: [wuwei]\n", encoding="utf-8")
    assert "WW102" in ids(findings(capsys, PINGTAN_2025, "--config", cfg)["pingtan-2025.txt"])


# --- 宿迁 ----------------------------------------------------------------------------------------


def test_sq101_published_after_march_31(capsys, tmp_path: Path) -> None:
    late = tmp_path / "dongxiang-2022-late.txt"
    text = (CROSS / "dongxiang-2022.txt").read_text(encoding="utf-8")
    assert "2023-01-28" in text
    late.write_text(text.replace("2023-01-28", "2023-04-08"), encoding="utf-8")
    got = findings(capsys, CROSS / "dongxiang-2022.txt", late, "--pack", "suqian", "--select", "SQ101")
    assert got["dongxiang-2022.txt"] == []
    (f,) = got["dongxiang-2022-late.txt"]
    assert f["message"] == "published 2023-04-08, 8 days after 2023-03-31 (宿迁 monitoring indicator: −1 point)"


def test_sq102_repetition_from_the_previous_year(capsys, tmp_path: Path) -> None:
    got = findings(
        capsys,
        CROSS / "dongxiang-2021.txt",
        CROSS / "dongxiang-2022-mismatch.txt",
        "--pack",
        "suqian",
        "--select",
        "SQ102",
    )
    (f,) = got["dongxiang-2022-mismatch.txt"]
    assert f["message"].startswith("100% of this report's text repeats 东乡县's 2021 report")
    assert got["dongxiang-2021.txt"] == []  # no 2020 report to compare with: skipped


def test_sq102_on_real_reports(capsys, tmp_path: Path) -> None:
    # 平潭综合实验区 2019-2025, real reports: each year largely rewritten (about 10-30% repeated)
    pingtan = sorted((FIXTURES / "real").glob("pingtan-20*.txt"))
    assert len(pingtan) == 7
    got = findings(capsys, *pingtan, "--pack", "suqian", "--select", "SQ102")
    assert all(found == [] for found in got.values())
    cfg = tmp_path / "nianbao.yaml"
    cfg.write_text("packs: [suqian]\noptions:\n  SQ102: {threshold: 0.05}\n", encoding="utf-8")
    got = findings(capsys, *pingtan, "--config", cfg, "--select", "SQ102")
    assert [name for name, found in got.items() if found] == [p.name for p in pingtan[1:]]  # 2019: no 2018
    message = got["pingtan-2023.txt"][0]["message"]
    assert re.match(r"\d\d% of this report's text repeats 平潭综合实验区's 2022 report \(.*pingtan-2022.txt\)", message)


# --- 武威 ----------------------------------------------------------------------------------------


def test_ww101_overview_length_on_real_reports(capsys, tmp_path: Path) -> None:
    assert findings(capsys, PINGTAN_2025, "--pack", "wuwei", "--select", "WW101")["pingtan-2025.txt"] == []  # 996
    _, out, _ = run(capsys, "check", PINGTAN_2024, "--pack", "wuwei", "--select", "WW101", "-v")
    assert "skipped WW101: the notice applies to the reports for 2025 onwards; this one is for 2024" in out
    cfg = tmp_path / "nianbao.yaml"
    cfg.write_text("packs: [wuwei]\noptions:\n  WW101: {from_year: 2024}\n", encoding="utf-8")
    (f,) = findings(capsys, PINGTAN_2024, "--config", cfg, "--select", "WW101")["pingtan-2024.txt"]
    assert f["message"].startswith("一、总体情况 has 1") and "more than the 1000 the notice allows" in f["message"]


def test_ww102_names_the_missing_counts(capsys, tmp_path: Path) -> None:
    cfg = tmp_path / "nianbao.yaml"
    cfg.write_text("packs: [wuwei]\noptions:\n  WW102: {from_year: 2021}\n", encoding="utf-8")
    (f,) = findings(capsys, SEED, "--config", cfg, "--select", "WW102")[SEED.name]
    # the seed gives its platforms (35个政务新媒体), interpretations and documents issued, not the rest
    assert f["message"] == (
        "一、总体情况 gives no figure for: 规章和规范性文件的废止、现行有效的规章和规范性文件、政务公开专区、政府公报 "
        "(武政办发〔2025〕54号 asks for them)"
    )


# --- national evaluators -----------------------------------------------------------------------


def test_ev101_article_50_on_real_reports(capsys) -> None:
    got = findings(capsys, HUAIAN_2024, SEED, "--pack", "evaluators", "--select", "EV101")
    (f,) = got["huaian-2024.pdf"]
    assert f["message"].startswith("the report of 淮安市人民政府 does not mention 工作考核、社会评议、责任追究 ")
    assert got[SEED.name] == []  # 健全完善考核评议、监督检查、责任追究等制度


def test_ev102_copied_across_bodies_in_the_same_year(capsys) -> None:
    reports = [CROSS / n for n in ("dongxiang-2021.txt", "dongxiang-2022.txt", "hezheng-2022.txt")]
    got = findings(capsys, *reports, "--pack", "evaluators", "--select", "EV102")
    assert ids(got["dongxiang-2022.txt"]) == ids(got["hezheng-2022.txt"]) == ["EV102"]
    assert "the same as 和政县人民政府's 2022 report" in got["dongxiang-2022.txt"][0]["message"]
    assert got["dongxiang-2021.txt"] == []  # another year, and the same body as dongxiang-2022

"""The seed report (东乡县 2021) read from text, unchanged and with one textual change each.

Each mutation copies the seed into tmp_path with one edit, runs every rule, and asserts that
the intended rule fires at the intended level, located at the line that was changed. Line
numbers are found in the fixture by their labels, not written down.
"""

from __future__ import annotations

from pathlib import Path

from mutations import TABLE_TWO_2019
from nianbao import pluginmanager
from nianbao.engine import run
from nianbao.loader import load

#: the messages are asserted in English; their Chinese: tests/test_i18n.py
LANGUAGE = "en"


def _lines(seed_text: str) -> list[str]:
    return seed_text.split("\n")


def value_line(lines: list[str], label: str, nth: int = 1, after: int = 0) -> int:
    """1-based line of the ``nth`` non-empty line after the first line equal to ``label``
    (searching from line ``after``)."""
    start = next(i for i, text in enumerate(lines) if i >= after and text.strip() == label)
    seen = 0
    for i in range(start + 1, len(lines)):
        if lines[i].strip():
            seen += 1
            if seen == nth:
                return i + 1
    raise AssertionError(f"no value {nth} after {label}")


def heading_line(lines: list[str], heading: str) -> int:
    return next(i + 1 for i, text in enumerate(lines) if text.strip() == heading)


def check(tmp_path: Path, lines: list[str]):
    path = tmp_path / "dongxiang-2021.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    loaded = load(str(path))
    assert loaded.error is None, loaded.error
    return run([loaded]).results[0]


def edit(lines: list[str], number: int, old: str, new: str) -> list[str]:
    assert old in lines[number - 1], (number, lines[number - 1])
    changed = list(lines)
    changed[number - 1] = changed[number - 1].replace(old, new, 1)
    return changed


def fired(result, rule_id: str, line: int, level: str = "error"):
    found = result.findings_of(rule_id)
    assert found, f"{rule_id} did not fire; findings: {[(f.rule, f.message) for f in result.findings]}"
    at = [f for f in found if (f.location or {}).get("line") == line]
    assert at, f"{rule_id} fired at {[f.location for f in found]}, not line {line}: {[f.message for f in found]}"
    assert all(f.level == level for f in at)
    return at


def test_unchanged_seed(seed_path: Path) -> None:
    result = run([load(str(seed_path))]).results[0]
    assert result.status == "checked" and result.report.template == "2021"
    assert [f.level for f in result.findings if f.level == "error"] == []
    national = [r for r in result.failed if r[0] in "TDSM"]
    assert national == ["S104"]
    listed = set(result.passed) | set(result.failed) | set(result.skipped)
    assert listed == {r.id for r in pluginmanager.rules() if not r.pack}
    [fee] = result.findings_of("S104")
    assert fee.level == "warning" and "我县无其他需要报告的事项。" in fee.message


def test_table_three_cell(tmp_path: Path, seed_text: str) -> None:
    lines = _lines(seed_text)
    line = value_line(lines, "(一)予以公开")  # 自然人: 2
    result = check(tmp_path, edit(lines, line, "2", "3"))
    [outcome] = fired(result, "T302", line)
    assert outcome.message == "（七）总计 = 5 but （一）+（二）+（三）+（四）+（五）+（六） = 3+3+0+0+0+0 = 6 (自然人)"
    fired(result, "T303", line)
    assert not result.findings_of("T301")  # 一+二 = （七）+四 still holds


def test_handled_total_cell(tmp_path: Path, seed_text: str) -> None:
    lines = _lines(seed_text)
    line = value_line(lines, "(七)总计", 7)  # 总计 column: 5
    result = check(tmp_path, edit(lines, line, "5", "4"))
    [identity] = fired(result, "T301", line)
    assert identity.message == "一+二 = 5+0 = 5 but （七）总计+四 = 4+0 = 4 (总计)"
    fired(result, "T302", line)
    fired(result, "T303", line)


def test_table_four_total(tmp_path: Path, seed_text: str) -> None:
    lines = _lines(seed_text)
    # the 15 values follow the last header cell 总计 of 复议后起诉; the 5th is 行政复议 总计
    last_header = max(i for i, text in enumerate(lines[:600]) if text.strip() == "总计")
    line = value_line(lines, "总计", 5, after=last_header)
    result = check(tmp_path, edit(lines, line, "0", "2"))
    [finding] = fired(result, "T401", line)
    assert finding.message == "总计 = 2 but 结果维持+结果纠正+其他结果+尚未审结 = 0+0+0+0 = 0 (行政复议)"


def test_section_removed(tmp_path: Path, seed_text: str) -> None:
    lines = _lines(seed_text)
    five = heading_line(lines, "五、政府信息公开工作中存在的主要问题及改进情况")
    six = heading_line(lines, "六、其他需要报告的事项")
    changed = lines[: five - 1] + lines[six - 1 :]
    result = check(tmp_path, changed)
    [finding] = fired(result, "S101", five)  # 六 now stands where 五 was
    assert finding.message == "section 五、存在的主要问题及改进情况 is missing"
    assert "S103" in result.skipped


def test_published_late(tmp_path: Path, seed_text: str) -> None:
    lines = _lines(seed_text)
    line = next(i + 1 for i, text in enumerate(lines) if "发布时间" in text)
    result = check(tmp_path, edit(lines, line, "2022-02-10", "2022-04-15"))
    [finding] = fired(result, "D103", line)
    assert finding.message.startswith("published 2022-04-15, 15 days after the deadline 2022-03-31")


def test_statistics_period_of_2020(tmp_path: Path, seed_text: str) -> None:
    lines = _lines(seed_text)
    line = next(i + 1 for i, text in enumerate(lines) if "统计期限" in text)
    result = check(tmp_path, edit(lines, line, "2021年1月1日至2021年12月31日", "2020年1月1日至2020年12月31日"))
    [finding] = fired(result, "D101", line)
    assert "says 2020, but the report is for 2021" in finding.message


def test_cell_replaced_by_slash(tmp_path: Path, seed_text: str) -> None:
    lines = _lines(seed_text)
    line = value_line(lines, "一、本年新收政府信息公开申请数量", 2)  # 商业企业: 0
    result = check(tmp_path, edit(lines, line, "0", "/"))
    [finding] = fired(result, "T002", line, level="warning")
    assert "商业企业 (printed '/')" in finding.message
    assert not [f for f in result.findings if f.level == "error"]  # the blank is unknown, not 0


def test_negative_count(tmp_path: Path, seed_text: str) -> None:
    lines = _lines(seed_text)
    line = value_line(lines, "二、上年结转政府信息公开申请数量", 1)  # 自然人: 0
    result = check(tmp_path, edit(lines, line, "0", "-1"))
    [finding] = fired(result, "T001", line)
    assert "'-1' is negative" in finding.message


def test_2019_table_two_in_a_2021_report(tmp_path: Path, seed_text: str) -> None:
    lines = _lines(seed_text)
    start = next(i for i, text in enumerate(lines) if text.strip().startswith("第二十条第"))
    end = next(i for i, text in enumerate(lines) if text.strip() == "行政事业性收费") + 2  # its value line
    pasted = "\n\n".join(TABLE_TWO_2019.split("\n")).split("\n")
    changed = lines[:start] + pasted + lines[end + 1 :]
    first_value = value_line(changed, "规章", 1, after=start)
    result = check(tmp_path, changed)
    assert result.report.data["table_templates"]["active_disclosure"] == "2019"
    [finding] = fired(result, "D104", first_value)
    assert finding.message.startswith("table 二 shows the 2019 template (规章: 本年新制作数量/本年新公开数量")
    assert "table 三 shows 2021" in finding.message
    assert result.report.get("/tables/active_disclosure/licensing/items_change") == -2
    assert not result.findings_of("T001")  # 本年增/减 may be negative

"""T001 counts-whole, T002 blank-cell, on models built by the kit."""

from __future__ import annotations

import modelkit
import pytest

#: the messages are asserted in English; their Chinese: tests/test_i18n.py
LANGUAGE = "en"

GRANTED_COMMERCIAL = "/tables/applications/granted/commercial"


@pytest.mark.parametrize("template", ["2021", "2019"])
@pytest.mark.parametrize("rule_id", ["T001", "T002"])
def test_clean_model_passes(template: str, rule_id: str) -> None:
    data = modelkit.build(template, applications={"granted": {"natural_person": 4}})
    assert modelkit.run(rule_id, data).passed == [rule_id]


def test_negative_count_is_an_error_at_its_cell() -> None:
    data = modelkit.set_cell(modelkit.build(), GRANTED_COMMERCIAL, -1)
    result = modelkit.run("T001", data)
    [finding] = result.findings
    assert finding.level == "error"
    assert finding.pointers == [GRANTED_COMMERCIAL]
    assert "（一）予以公开 / 商业企业" in finding.message and "'-1' is negative" in finding.message
    assert finding.location["line"] == modelkit.line_of(data, GRANTED_COMMERCIAL)


def test_fraction_in_a_count_is_an_error() -> None:
    pointer = "/tables/review_litigation/review/upheld"
    data = modelkit.set_cell(modelkit.build(), pointer, 1.5)
    [finding] = modelkit.run("T001", data).findings
    assert finding.pointers == [pointer]
    assert "'1.5' is not a whole number" in finding.message


def test_signed_change_of_2019_may_be_negative_but_whole() -> None:
    pointer = "/tables/active_disclosure/licensing/items_change"
    assert modelkit.run("T001", modelkit.set_cell(modelkit.build("2019"), pointer, -3)).passed == ["T001"]
    [finding] = modelkit.run("T001", modelkit.set_cell(modelkit.build("2019"), pointer, -2.5)).findings
    assert "本年增/减" in finding.message and "not a whole number" in finding.message


def test_amounts_take_decimals_but_not_negatives() -> None:
    pointer = "/tables/active_disclosure/fees/amount"
    assert modelkit.run("T001", modelkit.set_cell(modelkit.build(), pointer, 84.67)).passed == ["T001"]
    [finding] = modelkit.run("T001", modelkit.set_cell(modelkit.build(), pointer, -84.67)).findings
    assert finding.pointers == [pointer] and "negative" in finding.message


def test_unreadable_text_is_not_a_number() -> None:
    data = modelkit.set_cell(modelkit.build(), GRANTED_COMMERCIAL, None, raw="五件")
    [finding] = modelkit.run("T001", data).findings
    assert "'五件' is not a number" in finding.message
    assert modelkit.run("T002", data).passed == ["T002"]  # not a blank: T001's


def test_blank_cells_one_finding_per_row() -> None:
    data = modelkit.build()
    row = "/tables/applications/carried_over"
    for column, raw in (("research", "/"), ("social_welfare", ""), ("other_org", "—")):
        data = modelkit.set_cell(data, f"{row}/{column}", None, raw=raw)
    data = modelkit.set_cell(data, "/tables/review_litigation/review/pending", None, raw="无")
    result = modelkit.run("T002", data)
    assert [f.level for f in result.findings] == ["warning", "warning"]
    first, second = result.findings
    assert first.pointers == [f"{row}/research", f"{row}/social_welfare", f"{row}/other_org"]
    assert first.message.startswith("table 三 二、上年结转政府信息公开申请数量: blank 科研机构 (printed '/')")
    assert "、社会公益组织 (empty)、其他 (printed '—'); read as unknown, not 0" in first.message
    assert second.pointers == ["/tables/review_litigation/review/pending"]
    assert "table 四 行政复议" in second.message and "尚未审结 (printed '无')" in second.message


def test_no_table_skips() -> None:
    data = modelkit.build()
    data["tables"], data["template"], data["table_templates"] = {}, None, {}
    for rule_id in ("T001", "T002"):
        assert "no table" in modelkit.run(rule_id, data).skipped[rule_id]


def test_wholly_blank_row_is_said_once() -> None:
    data = modelkit.build()
    row = "/tables/applications/denied/state_secret"
    for pointer, _ in list(modelkit.Report(data).cells(row)):
        data = modelkit.set_cell(data, pointer, None, raw="")
    [finding] = modelkit.run("T002", data).findings
    assert finding.message == "table 三 （三）不予公开 1.属于国家秘密: blank all cells (empty); read as unknown, not 0"
    assert len(finding.pointers) == 7

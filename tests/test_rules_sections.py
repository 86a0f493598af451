"""S101-S104: the six sections and what they hold."""

from __future__ import annotations

import copy

import modelkit
import pytest
from seedfigures import SECTION_KEYS

#: the messages are asserted in English; their Chinese: tests/test_i18n.py
LANGUAGE = "en"


@pytest.mark.parametrize("template", ["2021", "2019"])
@pytest.mark.parametrize("rule_id", ["S101", "S102", "S103", "S104"])
def test_clean_model_passes(template: str, rule_id: str) -> None:
    result = modelkit.run(rule_id, modelkit.build(template))
    if rule_id == "S104" and template == "2019":
        assert "2019" in result.skipped["S104"]
    else:
        assert result.passed == [rule_id]


def test_missing_section_points_where_it_belonged() -> None:
    data = modelkit.set_sections(modelkit.build(), [k for k in SECTION_KEYS if k != "problems"])
    [finding] = modelkit.run("S101", data).findings
    assert finding.level == "error"
    assert finding.message == "section 五、存在的主要问题及改进情况 is missing"
    assert finding.pointers == ["/sections/4"]  # 六, where 五 should have been
    last = modelkit.set_sections(modelkit.build(), SECTION_KEYS[:5])
    assert modelkit.run("S101", last).findings[0].pointers == ["/sections/4"]  # after 五


def test_out_of_order_section() -> None:
    order = ["overview", "applications", "active_disclosure", "review_litigation", "problems", "other"]
    [finding] = modelkit.run("S101", modelkit.set_sections(modelkit.build(), order)).findings
    assert (
        finding.message
        == "section 二、主动公开政府信息情况 comes after 三、收到和处理政府信息公开申请情况: out of order"
    )
    assert finding.pointers == ["/sections/2"]


def test_no_section_at_all() -> None:
    [finding] = modelkit.run("S101", modelkit.set_sections(modelkit.build(), [])).findings
    assert finding.message.startswith("none of the six sections was found")


def test_table_under_the_wrong_section() -> None:
    data = modelkit.build()
    data["table_sections"]["applications"] = 2
    [finding] = modelkit.run("S102", data).findings
    assert finding.level == "error"
    assert finding.message == (
        "table 三 (收到和处理政府信息公开申请情况) sits under 二、主动公开政府信息情况, "
        "not under 三、收到和处理政府信息公开申请情况"
    )
    assert finding.pointers == ["/tables/applications/new_received/natural_person", "/sections/1"]
    data["table_sections"]["applications"] = None
    assert "before any of the six sections" in modelkit.run("S102", data).findings[0].message
    del data["table_sections"]
    assert "table_sections" in modelkit.run("S102", data).skipped["S102"]


def _text(data: dict, key: str, text: str) -> dict:
    data = copy.deepcopy(data)
    next(s for s in data["sections"] if s["key"] == key)["text"] = text
    return data


@pytest.mark.parametrize("text", ["", "无。", " 暂无 ", "None"])
def test_empty_problems_section_warns(text: str) -> None:
    [finding] = modelkit.run("S103", _text(modelkit.build(), "problems", text)).findings
    assert finding.level == "warning" and finding.pointers == ["/sections/4"]
    assert "五、存在的主要问题及改进情况 says" in finding.message
    assert (
        "no section 五"
        in modelkit.run("S103", modelkit.set_sections(modelkit.build(), SECTION_KEYS[:4])).skipped["S103"]
    )


def test_fee_statement_missing_warns() -> None:
    data = _text(modelkit.build(), "other", "我县无其他需要报告的事项。")
    [finding] = modelkit.run("S104", data).findings
    assert finding.level == "warning" and finding.pointers == ["/sections/5"]
    assert "says nothing about 信息处理费 ('我县无其他需要报告的事项。')" in finding.message
    assert finding.location["line"] == modelkit.line_of(data, "/sections/5")


@pytest.mark.parametrize(
    "text",
    [
        "本年度未收取信息处理费。",
        "本机关未收取任何费用。",
        "依申请公开不收费。",
        "收取政府信息公开处理费0元。",
        # the ways real reports say it (corpus: 洪泽, 平潭; others seen in published reports)
        "全年收取政府信息公开信息处理费 0 元。",
        "本机关无收取信息处理费情况。",
        "2022年度，本单位依申请公开政府信息未发生收费情况。",
        "本年度不存在收费情况。",
        "依申请提供政府信息收费0元。",
        "办理政府信息公开申请没有收取任何费用。",
        "政府信息公开申请零收费。",
        "本年度收取费用为零。",
    ],
)
def test_fee_statement_accepted(text: str) -> None:
    assert modelkit.run("S104", _text(modelkit.build(), "other", text)).passed == ["S104"]


def test_fee_statement_not_confused_by_other_fees() -> None:
    data = _text(modelkit.build(), "other", "本年度行政事业性收费84.67万元。")
    assert modelkit.run("S104", data).failed == ["S104"]


def test_fee_statement_made_under_another_section() -> None:
    """Some reports state the fee under 三 (with the applications); section 六 then need not repeat it."""
    data = _text(modelkit.build(), "other", "无。")
    data = _text(data, "applications", "本年度共收到政府信息公开申请5件，均未收取信息处理费。")
    assert modelkit.run("S104", data).passed == ["S104"]


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("other", "本年度行政事业性收费0万元。"),
        ("active_disclosure", "本年度行政事业性收费0万元，未发生收费的事项2项。"),
    ],
)
def test_fee_statement_not_an_administrative_fee(key: str, text: str) -> None:
    data = _text(modelkit.build(), "other", "无其他需要报告的事项。") if key != "other" else modelkit.build()
    data = _text(data, key, text)
    assert modelkit.run("S104", data).failed == ["S104"]


def test_fee_statement_without_section_six() -> None:
    """A 2021 report without section 六 (平潭 财政金融局 2021) is still held to a statement somewhere."""
    bare = modelkit.set_sections(modelkit.build(), SECTION_KEYS[:5])
    [finding] = modelkit.run("S104", bare).findings
    assert finding.pointers == ["/sections/4"] and "六" in finding.message
    stated = _text(bare, "applications", "本年度未收取信息处理费。")
    assert modelkit.run("S104", stated).passed == ["S104"]

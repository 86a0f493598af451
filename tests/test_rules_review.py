"""T401, the group totals of table 四."""

from __future__ import annotations

import modelkit
import pytest

#: the messages are asserted in English; their Chinese: tests/test_i18n.py
LANGUAGE = "en"

R = "/tables/review_litigation"
CASES = {"review": {"upheld": 1, "pending": 2}, "litigation_after_review": {"corrected": 3, "other": 1}}


@pytest.mark.parametrize("template", ["2021", "2019"])
def test_clean_model_passes(template: str) -> None:
    assert modelkit.run("T401", modelkit.build(template, review=CASES)).passed == ["T401"]


def test_changed_total_is_named_first() -> None:
    data = modelkit.set_cell(modelkit.build(review=CASES), f"{R}/review/total", 4)
    [finding] = modelkit.run("T401", data).findings
    assert finding.level == "error"
    assert finding.message == "总计 = 4 but 结果维持+结果纠正+其他结果+尚未审结 = 1+0+0+2 = 3 (行政复议)"
    assert finding.pointers == [f"{R}/review/{k}" for k in ("total", "upheld", "corrected", "other", "pending")]
    assert finding.location["line"] == modelkit.line_of(data, f"{R}/review/total")


def test_changed_result_is_reported_in_its_group_only() -> None:
    data = modelkit.set_cell(modelkit.build(review=CASES), f"{R}/litigation_after_review/corrected", 2)
    [finding] = modelkit.run("T401", data).findings
    assert finding.message.endswith("= 0+2+1+0 = 3 (复议后起诉)")
    assert finding.message.startswith("总计 = 4 but ")


def test_blank_group_unchecked_all_blank_skips() -> None:
    data = modelkit.set_cell(modelkit.build(review=CASES), f"{R}/review/upheld", None, raw="/")
    data = modelkit.set_cell(data, f"{R}/review/total", 99)
    assert modelkit.run("T401", data).passed == ["T401"]
    for group in ("litigation_direct", "litigation_after_review"):
        data = modelkit.set_cell(data, f"{R}/{group}/total", None, raw="")
    assert "blank or missing" in modelkit.run("T401", data).skipped["T401"]
    del data["tables"]["review_litigation"]
    assert "table 四" in modelkit.run("T401", data).skipped["T401"]

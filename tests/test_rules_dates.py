"""D101-D104: year, statistics period, publication deadline, template against year."""

from __future__ import annotations

import copy

import modelkit
import pytest
from nianbao.rules.dates import title_year

#: the messages are asserted in English; their Chinese: tests/test_i18n.py
LANGUAGE = "en"


@pytest.mark.parametrize("template", ["2021", "2019"])
@pytest.mark.parametrize("rule_id", ["D101", "D102", "D103", "D104"])
def test_clean_model_passes(template: str, rule_id: str) -> None:
    assert modelkit.run(rule_id, modelkit.build(template)).passed == [rule_id]


def _meta(data: dict, **changes: object) -> dict:
    data = copy.deepcopy(data)
    data["meta"].update(changes)
    return data


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("东乡县2021年政府信息公开工作年度报告", 2021),
        ("二〇二一年度政府信息公开工作年度报告", 2021),
        ("年度报告", None),
    ],
)
def test_title_year(title: str, year: int | None) -> None:
    assert title_year(title) == year


def test_period_of_another_year() -> None:
    data = _meta(modelkit.build(), period={"start": "2020-01-01", "end": "2020-12-31"})
    [finding] = modelkit.run("D101", data).findings
    assert finding.level == "error"
    assert finding.pointers == ["/meta/period", "/meta/title"]
    assert finding.message.startswith(
        "the statistics period (2020-01-01…2020-12-31) says 2020, but the report is for 2021"
    )
    assert finding.location["line"] == modelkit.line_of(data, "/meta/period")
    assert modelkit.run("D102", data).passed == ["D102"]  # a whole calendar year: only D101 speaks


def test_title_of_another_year() -> None:
    data = _meta(modelkit.build(), title="示例县2020年政府信息公开工作年度报告")
    [finding] = modelkit.run("D101", data).findings
    assert finding.pointers[0] == "/meta/title" and "says 2020" in finding.message


def test_year_unknown_and_nothing_stated_skips() -> None:
    data = _meta(modelkit.build(), title=None, period=None)
    assert "neither" in modelkit.run("D101", data).skipped["D101"]


def test_partial_period_is_an_error() -> None:
    data = _meta(modelkit.build(), period={"start": "2021-01-01", "end": "2021-11-30"})
    [finding] = modelkit.run("D102", data).findings
    assert finding.message == "statistics period 2021-01-01…2021-11-30 is not the calendar year 2021-01-01…2021-12-31"
    assert finding.pointers == ["/meta/period"]
    assert "no statistics period" in modelkit.run("D102", _meta(data, period=None)).skipped["D102"]


@pytest.mark.parametrize(
    ("kind", "published", "message"),
    [
        (
            "government",
            "2022-04-15",
            "published 2022-04-15, 15 days after the deadline 2022-03-31 for a people's government",
        ),
        ("department", "2022-02-10", "published 2022-02-10, 10 days after the deadline 2022-01-31"),
        ("government", "2021-12-30", "published 2021-12-30, before 2021 ended (2022-01-01)"),
    ],
)
def test_late_or_early_publication(kind: str, published: str, message: str) -> None:
    data = _meta(modelkit.build(), organ_kind=kind, published=published)
    [finding] = modelkit.run("D103", data).findings
    assert finding.level == "error" and finding.message.startswith(message)
    assert finding.pointers == ["/meta/published"]


def test_in_time_publication_passes() -> None:
    for kind, published in (("government", "2022-03-31"), ("department", "2022-01-31"), ("township", "2022-03-01")):
        assert modelkit.run("D103", _meta(modelkit.build(), organ_kind=kind, published=published)).passed == ["D103"]


def test_township_deadline_is_an_option() -> None:
    data = _meta(modelkit.build(), organ_kind="township", published="2022-03-01")
    [finding] = modelkit.run("D103", data, township_deadline="02-28").findings
    assert "1 days after the deadline 2022-02-28" in finding.message
    assert "not a month-day" in modelkit.run("D103", data, township_deadline="end of Feb").skipped["D103"]


def test_publication_skips() -> None:
    assert "no publication date" in modelkit.run("D103", _meta(modelkit.build(), published=None)).skipped["D103"]
    reason = modelkit.run("D103", _meta(modelkit.build(), organ_kind=None)).skipped["D103"]
    assert "示例县" in reason and "unknown" in reason


def test_2019_table_in_a_2021_report_is_an_error() -> None:
    data = modelkit.with_table(modelkit.build(), "active_disclosure", "2019")
    [finding] = modelkit.run("D104", data).findings
    assert finding.level == "error"
    assert finding.pointers == ["/tables/active_disclosure/regulations/produced"]
    assert finding.message.startswith(
        "table 二 shows the 2019 template (规章: 本年新制作数量/本年新公开数量/对外公开总数量)"
    )
    assert "a report for 2021 uses the 2021 template; table 三 shows 2021" in finding.message
    assert finding.location["line"] == modelkit.line_of(data, "/tables/active_disclosure/regulations/produced")


def test_2019_table_three_in_a_2021_report() -> None:
    data = modelkit.with_table(modelkit.build(), "applications", "2019")
    [finding] = modelkit.run("D104", data).findings
    assert "table 三 shows the 2019 template (row （六）其他处理)" in finding.message


def test_2021_shape_in_a_2020_report_is_a_warning() -> None:
    data = modelkit.build("2021", 2020)
    findings = modelkit.run("D104", data).findings
    assert [f.level for f in findings] == ["warning", "warning"]
    assert findings[0].message.startswith("table 二 shows the 2021 template")
    assert findings[1].message.startswith("table 三 shows the 2021 template")
    assert "a report for 2020 uses the 2019 template" in findings[1].message


def test_mixed_shapes_with_unknown_year_and_old_years() -> None:
    data = _meta(modelkit.with_table(modelkit.build(), "applications", "2019"), year=None)
    [finding] = modelkit.run("D104", data).findings
    assert finding.level == "warning" and "table 三 shows the 2019 template" in finding.message
    assert "year is unknown" in modelkit.run("D104", _meta(modelkit.build(), year=None)).skipped["D104"]
    assert "predates" in modelkit.run("D104", modelkit.build("2019", 2017)).skipped["D104"]

"""T201-T203, plausibility of table 二."""

from __future__ import annotations

import modelkit
import pytest
from nianbao.model import Report
from nianbao.rules.disclosure import organ_level

#: the messages are asserted in English; their Chinese: tests/test_i18n.py
LANGUAGE = "en"

D = "/tables/active_disclosure"
# the seed's table 二: 规章 0/0/0, 行政规范性文件 7/0/22, 84.67 万元 of fees
SEED_TABLE = {
    "normative_documents": {"issued": 7, "repealed": 0, "in_force": 22},
    "licensing": {"decisions": 302},
    "fees": {"amount": 84.67},
}


def seed_like(**kwargs: object) -> dict:
    return modelkit.build("2021", disclosure=SEED_TABLE, organ="东乡县", **kwargs)


@pytest.mark.parametrize("rule_id", ["T201", "T202", "T203"])
def test_seed_figures_pass(rule_id: str) -> None:
    assert modelkit.run(rule_id, seed_like()).passed == [rule_id]


def test_stock_below_issued_warns() -> None:
    data = modelkit.set_cell(seed_like(), f"{D}/normative_documents/in_force", 5)
    [finding] = modelkit.run("T201", data).findings
    assert finding.level == "warning"
    assert finding.message == "现行有效件数+本年废止件数 = 5+0 = 5 is less than 本年制发件数 = 7 (行政规范性文件)"
    assert finding.pointers[0] == f"{D}/normative_documents/in_force"


def test_stock_skips_on_2019_shape() -> None:
    assert "2019 shape" in modelkit.run("T201", modelkit.build("2019")).skipped["T201"]
    assert "2019 shape" in modelkit.run("T203", modelkit.build("2019")).skipped["T203"]


@pytest.mark.parametrize(
    ("organ", "level"),
    [
        ("东乡县", "county"),
        ("东乡族自治县人民政府办公室", "county"),
        ("东乡县市场监督管理局", "county"),  # 市场 is no city
        ("北京市朝阳区人民政府", "county"),
        ("内蒙古自治区阿拉善盟阿拉善左旗人民政府", "county"),
        ("上海市人民政府办公厅", "province"),
        ("广西壮族自治区人民政府", "province"),
        ("淮安市人民政府", "city"),
        ("临夏回族自治州人民政府", "city"),
        ("教育部", "central"),
        ("南京市玄武区梅园新村街道办事处", "township"),
        ("某某中心", None),
    ],
)
def test_organ_level(organ: str, level: str | None) -> None:
    assert organ_level(Report({"meta": {"organ": organ, "organ_kind": "government"}})) == level


def test_regulations_of_a_county_warn() -> None:
    data = modelkit.set_cell(seed_like(), f"{D}/regulations/in_force", 2)
    [finding] = modelkit.run("T202", data).findings
    assert finding.level == "warning"
    assert finding.pointers == [f"{D}/regulations/in_force"]
    assert finding.message == "规章: 现行有效件数 2, but 东乡县 has no power to make 规章 (county level or below)"
    assert modelkit.run("T202", data, has_rulemaking_power=True).passed == ["T202"]


def test_regulations_of_a_city_or_unknown_body() -> None:
    city = modelkit.build(disclosure={"regulations": {"issued": 3, "in_force": 40}}, organ="淮安市人民政府")
    assert modelkit.run("T202", city).passed == ["T202"]
    assert modelkit.run("T202", city, has_rulemaking_power=False).failed == ["T202"]
    unknown = modelkit.build(disclosure={"regulations": {"issued": 3}}, organ="某某中心")
    assert "某某中心" in modelkit.run("T202", unknown).skipped["T202"]
    old = modelkit.build("2019", disclosure={"regulations": {"produced": 1, "public_total": 4}}, organ="东乡县")
    [finding] = modelkit.run("T202", old).findings
    assert "本年新制作数量 1" in finding.message and "对外公开总数量 4" in finding.message


def test_fee_in_yuan_is_a_note_for_a_county_only() -> None:
    data = modelkit.set_cell(seed_like(), f"{D}/fees/amount", 846700)
    [finding] = modelkit.run("T203", data).findings
    assert finding.level == "note" and finding.pointers == [f"{D}/fees/amount"]
    assert "846700 万元 = 84.67亿元" in finding.message
    city = modelkit.set_cell(modelkit.build(organ="淮安市人民政府"), f"{D}/fees/amount", 846700)
    assert modelkit.run("T203", city).passed == ["T203"]
    assert modelkit.run("T203", data, max_wanyuan=1_000_000).passed == ["T203"]


def test_fee_finer_than_a_yuan_is_a_note() -> None:
    data = modelkit.set_cell(seed_like(), f"{D}/fees/amount", 84.671234, raw="84.671234")
    [finding] = modelkit.run("T203", data).findings
    assert "6 decimals" in finding.message
    four = modelkit.set_cell(seed_like(), f"{D}/fees/amount", 84.6712, raw="84.6712")
    assert modelkit.run("T203", four).passed == ["T203"]


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "province"),
        ("东乡县2021年政府信息公开工作年度报告", "county"),
    ],
)
def test_organ_level_from_the_title_when_no_organ(title: str, level: str) -> None:
    assert organ_level(Report({"meta": {"organ": None, "title": title}})) == level


def test_bad_options_skip_with_reason() -> None:
    data = modelkit.set_cell(seed_like(), f"{D}/regulations/in_force", 2)
    assert modelkit.run("T202", data, has_rulemaking_power="false").failed == ["T202"]
    assert "use true or false" in modelkit.run("T202", data, has_rulemaking_power="maybe").skipped["T202"]
    assert "max_wanyuan" in modelkit.run("T203", data, max_wanyuan="lots").skipped["T203"]


def test_blank_rows_skip() -> None:
    data = seed_like()
    for column in ("issued", "repealed", "in_force"):
        data = modelkit.set_cell(data, f"{D}/regulations/{column}", None, raw="/")
    assert "no figures" in modelkit.run("T202", data).skipped["T202"]
    data = modelkit.set_cell(data, f"{D}/fees/amount", None, raw="—")
    assert "blank" in modelkit.run("T203", data).skipped["T203"]

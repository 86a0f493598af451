"""The shared assembler on token streams built by hand: the shapes other readers produce (rows
with row ends, as HTML and DOCX give them), headings as real reports print them, blank and
missing cells, units, dates, organ kinds and the refusals."""

from __future__ import annotations

from typing import Any

import pytest
from nianbao.readers import ReadError
from nianbao.readers.assemble import assemble
from nianbao.readers.meta import organ_kind
from nianbao.readers.tokens import Hints, Token
from nianbao.template import describe
from nianbao.validate import validate
from seedfigures import SECTION_KEYS

#: the messages are asserted in English; their Chinese: tests/test_i18n.py
LANGUAGE = "en"

Z7 = ["0"] * 7


def stream(rows: list[list[str] | str]) -> list[Token]:
    """A str is a prose line; a list is a table row of cells (its last cell ends the row)."""
    tokens: list[Token] = []
    for n, row in enumerate(rows, start=1):
        if isinstance(row, str):
            tokens.append(Token(row, {"line": n, "column": 1}, "line", row_end=True))
            continue
        for k, cell in enumerate(row):
            tokens.append(Token(cell, {"line": n, "column": k + 1}, "cell", row_end=k == len(row) - 1))
    return tokens


def table3_rows(template: str, figures: dict[str, list[str]] | None = None) -> list[list[str]]:
    """Table 三 as an HTML page gives it: group labels in the first cell of their first row."""
    figures = figures or {}
    rows: list[list[str]] = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"]]
    rows.append(["自然人", "法人或其他组织", "总计"])
    rows.append(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])
    group_seen: set[str] = set()
    for row in describe(template).tables["applications"].rows:
        lead: list[str] = []
        if row.path[0] == "granted":
            lead = ["三、本年度办理结果"]
        if row.group and row.group not in group_seen:
            group_seen.add(row.group)
            lead.append(row.group)
        rows.append([*lead, row.label, *figures.get("/".join(row.path), Z7)])
    return rows


def report_2021(extra: dict[str, Any] | None = None) -> list[list[str] | str]:
    extra = extra or {}
    return [
        extra.get("title", "测试县2021年政府信息公开工作年度报告"),
        "本报告所列数据统计期限为2021年1月1日至2021年12月31日。",
        extra.get("h1", "一、总体情况"),
        "2021年，我县共收到政府信息公开申请3件。",
        "二、主动公开政府信息情况",
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
        ["行政规范性文件", "1", "0", "5"],
        ["第二十条第（五）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政许可", "10"],
        ["第二十条第（六）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政处罚", "4"],
        ["行政强制", "0"],
        ["第二十条第（八）项"],
        ["信息内容", "本年收费金额（单位：万元）"],
        ["行政事业性收费", "1.5"],
        "三、收到和处理政府信息公开申请情况",
        *table3_rows("2021", extra.get("t3")),
        extra.get("h4", "四、政府信息公开行政复议、行政诉讼情况"),
        ["行政复议", "行政诉讼"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
        extra.get("t4", [str(v) for v in [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]),
        extra.get("h5", "五、存在的主要问题及改进情况"),
        "个别单位公开意识不强。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
        *extra.get("tail", []),
    ]


def test_rows_layout_reads_all_cells() -> None:
    t3 = {"new_received": ["2", "1", "0", "0", "0", "0", "3"], "granted": ["2", "1", "0", "0", "0", "0", "3"]}
    t3["handled_total"] = ["2", "1", "0", "0", "0", "0", "3"]
    model = assemble(stream(report_2021({"t3": t3})), Hints(encoding="utf-8"))
    assert model["template"] == "2021"
    assert model["source"] == {"encoding": "utf-8"}
    tables = model["tables"]
    assert tables["active_disclosure"]["normative_documents"] == {"issued": 1, "repealed": 0, "in_force": 5}
    assert tables["active_disclosure"]["fees"] == {"amount": 1.5}
    assert tables["applications"]["new_received"]["commercial"] == 1
    assert tables["applications"]["handled_total"]["total"] == 3
    assert tables["review_litigation"]["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    # every cell of the template has its provenance
    for row, column in describe("2021").tables["applications"].cells():
        assert row.cell(column.key) in model["provenance"]
    assert model["provenance"]["/tables/applications/new_received/commercial"]["column"] == 3
    assert model["notes"] == []
    model.setdefault("source", {}).update({"uri": "x", "format": "text"})
    assert validate(model) == []


def test_table_three_rows_are_not_section_headings() -> None:
    model = assemble(stream(report_2021()))
    headings = [(s["number"], s["heading"]) for s in model["sections"]]
    assert headings == [
        (1, "一、总体情况"),
        (2, "二、主动公开政府信息情况"),
        (3, "三、收到和处理政府信息公开申请情况"),
        (4, "四、政府信息公开行政复议、行政诉讼情况"),
        (5, "五、存在的主要问题及改进情况"),
        (6, "六、其他需要报告的事项"),
    ]
    assert model["table_sections"] == {"active_disclosure": 2, "applications": 3, "review_litigation": 4}
    assert model["sections"][0]["text"] == "2021年，我县共收到政府信息公开申请3件。"
    assert model["sections"][2]["text"] == ""  # the table's cells are not prose


@pytest.mark.parametrize(
    ("h1", "h4", "h5"),
    [
        (
            "第一部分 总体情况",
            "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "五、政府信息公开工作存在的主要问题及改进情况",
        ),
        ("一.总体情况", "四、政府信息公开行政复议及行政诉讼情况", "五、政府信息公开工作中存在的主要问题及改进情况"),
        ("总体情况", "政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题和改进情况"),
        ("1.总体情况", "四，政府信息公开行政复议、行政诉讼情况：", "第五部分：存在的主要问题及改进情况"),
    ],
)
def test_headings_matched_loosely(h1: str, h4: str, h5: str) -> None:
    model = assemble(stream(report_2021({"h1": h1, "h4": h4, "h5": h5})))
    assert [s["key"] for s in model["sections"]] == SECTION_KEYS
    assert model["sections"][0]["heading"] == h1


def test_heading_run_into_its_paragraph() -> None:
    model = assemble(stream(report_2021({"h1": "一、总体情况2021年，本机关认真贯彻条例。"})))
    assert model["sections"][0]["heading"] == "一、总体情况"
    assert model["sections"][0]["text"].startswith("2021年，本机关认真贯彻条例。")


def test_blank_cells_are_null_with_raw_kept() -> None:
    t3 = {"carried_over": ["", "/", "—", "无", "-", "", ""]}
    model = assemble(stream(report_2021({"t3": t3})))
    row = model["tables"]["applications"]["carried_over"]
    assert set(row.values()) == {None}
    assert model["provenance"]["/tables/applications/carried_over/commercial"]["raw"] == "/"
    assert model["provenance"]["/tables/applications/carried_over/research"]["raw"] == "—"
    assert model["provenance"]["/tables/applications/carried_over/natural_person"]["raw"] == ""


def test_short_row_is_padded_and_noted() -> None:
    t3 = {"granted": ["1", "0", "0"]}
    model = assemble(stream(report_2021({"t3": t3})))
    row = model["tables"]["applications"]["granted"]
    assert [row[k] for k in ("natural_person", "commercial", "research")] == [1, 0, 0]
    assert row["total"] is None and row["legal_service"] is None
    assert model["provenance"]["/tables/applications/granted/total"]["raw"] == ""
    assert any("（一）予以公开" in n and "3 of 7" in n for n in model["notes"])


def test_table_four_as_labelled_rows() -> None:
    rows = report_2021()
    at = rows.index(["行政复议", "行政诉讼"])
    rows[at : at + 4] = [
        ["", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
        ["行政复议", "2", "1", "0", "0", "3"],
        ["未经复议直接起诉", "0", "0", "1", "0", "1"],
        ["复议后起诉", "0", "0", "0", "1", "1"],
    ]
    model = assemble(stream(rows))
    review = model["tables"]["review_litigation"]
    assert review["review"]["total"] == 3
    assert review["litigation_direct"]["other"] == 1
    assert review["litigation_after_review"]["pending"] == 1


def test_flat_stream_without_row_ends() -> None:
    """A reader that knows no rows (one token per printed line, as PDF text gives it)."""
    tokens = [Token(t.text, t.loc, t.kind, row_end=False) for t in stream(report_2021())]
    model = assemble(tokens)
    assert model["tables"]["active_disclosure"]["normative_documents"]["in_force"] == 5
    assert model["tables"]["applications"]["other"]["other"]["total"] == 0
    assert model["tables"]["review_litigation"]["review"]["upheld"] == 1
    assert model["notes"] == []


def test_wrapped_row_label() -> None:
    rows = report_2021()
    label = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    at = next(i for i, r in enumerate(rows) if isinstance(r, list) and label in r)
    rows[at] = ["2.申请人逾期未按收费通知要求缴纳费用、", "行政机关不再处理其政府信息公开申请", *["4"] * 7]
    model = assemble(stream(rows))
    assert model["tables"]["applications"]["other"]["fee_unpaid"]["total"] == 4
    assert model["tables"]["applications"]["other"]["other"]["total"] == 0


def disclosure_2019(amount_header: str, amount: str) -> list[list[str]]:
    return [
        ["第二十条第（一）项"],
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", "1", "1", "9"],
        ["规范性文件", "2", "2", "30"],
        ["第二十条第（五）项"],
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政许可", "20", "-2", "300"],
        ["其他对外管理服务事项", "3", "0", "12"],
        ["第二十条第（六）项"],
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政处罚", "8", "1", "40"],
        ["行政强制", "2", "0", "1"],
        ["第二十条第（八）项"],
        ["信息内容", "上一年项目数量", "本年增/减"],
        ["行政事业性收费", "1", "0"],
        ["第二十条第（九）项"],
        ["信息内容", "采购项目数量", amount_header],
        ["政府集中采购", "2", amount],
    ]


@pytest.mark.parametrize(
    ("header", "cell", "yuan"),
    [
        ("采购总金额", "251000元", 251000),
        ("采购总金额", "25.1万元", 251000),
        ("采购总金额（万元）", "25.1", 251000),
        ("采购总金额（元）", "1,234.5", 1234.5),
    ],
)
def test_2019_template_and_procurement_units(header: str, cell: str, yuan: float) -> None:
    rows: list[list[str] | str] = [
        "2019年测试市人民政府办公室政府信息公开工作年度报告",
        "二、主动公开政府信息情况",
        *disclosure_2019(header, cell),
        "三、收到和处理政府信息公开申请情况",
        *table3_rows("2019", {"other": ["", "", "", "", "", "", ""]}),
        "四、政府信息公开行政复议、行政诉讼情况",
        ["行政复议", "行政诉讼"],
        ["0"] * 15,
    ]
    model = assemble(stream(rows))
    assert model["template"] == "2019"
    assert model["table_templates"]["applications"] == "2019"
    disclosure = model["tables"]["active_disclosure"]
    assert disclosure["procurement"]["amount_yuan"] == yuan
    assert disclosure["licensing"]["items_change"] == -2
    assert model["provenance"]["/tables/active_disclosure/procurement/amount_yuan"]["raw"] == cell
    assert model["tables"]["applications"]["other"]["total"] is None
    assert model["meta"]["organ"] == "测试市人民政府办公室"
    assert model["meta"]["organ_kind"] == "government"
    assert model["meta"]["year"] == 2019


def test_mixed_shapes_make_a_2021_report() -> None:
    """2021 table 三 with a 2019 table 二: the report is 2021, each table keeps its shape."""
    rows = report_2021()
    start = rows.index(["第二十条第（一）项"])
    end = rows.index(["行政事业性收费", "1.5"])
    rows[start : end + 1] = disclosure_2019("采购总金额", "0元")
    model = assemble(stream(rows))
    assert model["template"] == "2021"
    assert model["table_templates"]["active_disclosure"] == "2019"
    assert model["table_templates"]["applications"] == "2021"
    assert model["tables"]["active_disclosure"]["other_services"]["decisions"] == 12


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("统计期限为2021年1月1日至2021年12月31日。", ("2021-01-01", "2021-12-31")),
        ("数据统计时限为2021年1月1日起至2021年12月31日止。", ("2021-01-01", "2021-12-31")),
        ("统计周期：2021年1月1日—2021年12月31日", ("2021-01-01", "2021-12-31")),
        ("统计期限从2021年1月1日到12月31日止。", ("2021-01-01", "2021-12-31")),
        ("统计时间为2021-01-01~2021-12-31。", ("2021-01-01", "2021-12-31")),
        ("统计期限为2020年12月1日至2021年11月30日。", ("2020-12-01", "2021-11-30")),
    ],
)
def test_period(sentence: str, period: tuple[str, str]) -> None:
    rows = report_2021()
    rows[1] = sentence
    model = assemble(stream(rows))
    assert model["meta"]["period"] == {"start": period[0], "end": period[1]}
    assert model["provenance"]["/meta/period"]["line"] == 2


def test_no_period_is_null() -> None:
    rows = report_2021()
    rows[1] = "本报告由县政府办公室编制。"
    model = assemble(stream(rows))
    assert model["meta"]["period"] is None
    assert "/meta/period" not in model["provenance"]


def test_published_from_label_hint_or_signature() -> None:
    rows = report_2021()
    rows.insert(1, "来源：测试县  发布日期：2022年3月1日  浏览次数：12")
    model = assemble(stream(rows))
    assert model["meta"]["published"] == "2022-03-01"
    assert model["provenance"]["/meta/published"]["raw"] == "2022年3月1日"

    model = assemble(stream(report_2021({"tail": ["测试县人民政府办公室", "二〇二二年一月二十日"]})))
    assert model["meta"]["published"] == "2022-01-20"
    assert model["provenance"]["/meta/published"]["raw"] == "二〇二二年一月二十日"

    hinted = assemble(stream(report_2021()), Hints(published="2022-01-28", published_loc={"line": 1}))
    assert hinted["meta"]["published"] == "2022-01-28"

    assert assemble(stream(report_2021()))["meta"]["published"] is None


@pytest.mark.parametrize(
    ("organ", "kind"),
    [
        ("东乡县", "government"),
        ("东乡族自治县", "government"),
        ("上海市人民政府办公厅", "government"),
        ("北京市西城区人民政府", "government"),
        ("内蒙古自治区", "government"),
        ("青石镇人民政府", "township"),
        ("柳河乡", "township"),
        ("南京路街道办事处", "township"),
        ("宁川市交通运输局", "department"),
        ("宁川市发展和改革委员会", "department"),
        ("宁川市政务服务中心", "department"),
        ("宁川市卫生健康委", "department"),
        ("宁川大学", "other"),
        (None, None),
    ],
)
def test_organ_kind(organ: str | None, kind: str | None) -> None:
    assert organ_kind(organ) == kind


@pytest.mark.parametrize(
    ("title", "organ", "year"),
    [
        ("东乡县2021年政府信息公开工作年度报告", "东乡县", 2021),
        ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅", 2019),
        ("宁川市交通运输局２０２２年度政府信息公开工作年度报告", "宁川市交通运输局", 2022),
    ],
)
def test_title_organ_year(title: str, organ: str, year: int) -> None:
    model = assemble(stream(report_2021({"title": title})))
    assert (model["meta"]["title"], model["meta"]["organ"], model["meta"]["year"]) == (title, organ, year)
    assert model["provenance"]["/meta/title"] == {"raw": title, "line": 1, "column": 1}


def test_missing_table_is_blank_and_noted() -> None:
    rows = report_2021()
    start = rows.index(["行政复议", "行政诉讼"])
    del rows[start : start + 4]
    model = assemble(stream(rows))
    assert model["tables"]["review_litigation"]["review"]["total"] is None
    assert "review_litigation" not in model["table_sections"]
    assert any("table 四 not found" in note for note in model["notes"])


def test_free_form_old_year() -> None:
    with pytest.raises(ReadError) as err:
        assemble(stream(["某县2018年政府信息公开工作年度报告", "一、概述", "全年主动公开信息100条。"]))
    assert err.value.kind == "free-form"
    assert "2018" in err.value.message and "2019/2021 templates" in err.value.message


def test_free_form_without_tables() -> None:
    with pytest.raises(ReadError) as err:
        assemble(stream(["某县2022年政府信息公开工作年度报告", "一、总体情况", "全年主动公开信息100条。"]))
    assert err.value.kind == "free-form"
    assert "none of the three tables" in err.value.message


def test_not_a_report() -> None:
    with pytest.raises(ReadError) as err:
        assemble(stream(["会议通知", "定于3月15日召开会议。"]))
    assert err.value.kind == "not-a-report"
    assert "一、总体情况" in err.value.message


def test_title_with_its_year_in_brackets() -> None:
    model = assemble(stream(report_2021({"title": "东乡县人民政府政府信息公开工作年度报告（2021年度）"})))
    assert model["meta"]["organ"] == "东乡县人民政府"
    assert model["meta"]["year"] == 2021
    assert model["meta"]["organ_kind"] == "government"


def test_signature_after_the_organ_name() -> None:
    rows = report_2021({"tail": ["测试县人民政府办公室 2022年2月8日"]})
    model = assemble(stream(rows))
    assert model["meta"]["published"] == "2022-02-08"
    # the last line; the date starts after the ten characters of the organ's name and a space
    assert model["provenance"]["/meta/published"] == {"raw": "2022年2月8日", "line": len(rows), "column": 12}


def test_title_over_two_lines() -> None:
    rows = report_2021()
    rows[0:1] = ["测试县2021年政府信息公开工作", "年度报告"]
    model = assemble(stream(rows))
    assert model["meta"]["title"] == "测试县2021年政府信息公开工作年度报告"
    assert model["meta"]["organ"] == "测试县"


def test_table_of_contents_is_skipped() -> None:
    rows = report_2021()
    contents = [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    rows[2:2] = contents
    model = assemble(stream(rows))
    assert [s["number"] for s in model["sections"]] == [1, 2, 3, 4, 5, 6]
    assert model["provenance"]["/sections/0"]["line"] == 9  # the heading after the contents
    assert model["sections"][0]["text"] == "2021年，我县共收到政府信息公开申请3件。"


@pytest.mark.parametrize(
    ("title", "organ", "year"),
    [
        ("东乡县2021年政府信息公开工作年度报告（全文）", "东乡县", 2021),
        ("东乡县人民政府政府信息公开工作年度报告(2021)", "东乡县人民政府", 2021),
    ],
)
def test_title_with_a_bracketed_note(title: str, organ: str, year: int) -> None:
    model = assemble(stream(report_2021({"title": title})))
    assert (model["meta"]["title"], model["meta"]["organ"], model["meta"]["year"]) == (title, organ, year)

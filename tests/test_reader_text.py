"""The text reader: both layouts of a report as text, encodings, locations, and the files that
are not reports. Expected figures are read from the fixture files by simple line reading in
the test (label line → the figures on the following lines), never through the reader."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from nianbao.loader import load
from nianbao.model import Report
from nianbao.readers import Source
from nianbao.readers.text import TextReader, tokenise
from nianbao.template import describe
from nianbao.validate import validate
from seedfigures import SECTION_KEYS

#: the messages are asserted in English; their Chinese: tests/test_i18n.py
LANGUAGE = "en"

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-dongxiang-2021.txt"
TEXT = FIXTURES / "text"
TABBED = TEXT / "dongxiang-2021-tabbed.txt"
R2019 = TEXT / "ningchuan-transport-2019.txt"
FULLWIDTH = TEXT / "qingshi-town-2021-fullwidth.txt"
FREEFORM = TEXT / "freeform-2017.txt"
NOTICE = TEXT / "meeting-notice.txt"

# The seed's rows as printed (read by eye), in the template's order. Table 四 has no row
# labels in the seed: its fifteen figures follow the header.
SEED_ROWS = [
    ("/tables/active_disclosure/regulations", "规章", 3),
    ("/tables/active_disclosure/normative_documents", "行政规范性文件", 3),
    ("/tables/active_disclosure/licensing", "行政许可", 1),
    ("/tables/active_disclosure/penalty", "行政处罚", 1),
    ("/tables/active_disclosure/coercion", "行政强制", 1),
    ("/tables/active_disclosure/fees", "行政事业性收费", 1),
    ("/tables/applications/new_received", "一、本年新收政府信息公开申请数量", 7),
    ("/tables/applications/carried_over", "二、上年结转政府信息公开申请数量", 7),
    ("/tables/applications/granted", "(一)予以公开", 7),
    ("/tables/applications/partially_granted", "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", 7),
    ("/tables/applications/denied/state_secret", "1.属于国家秘密", 7),
    ("/tables/applications/denied/prohibited_by_law", "2.其他法律行政法规禁止公开", 7),
    ("/tables/applications/denied/security_stability", "3.危及“三安全一稳定”", 7),
    ("/tables/applications/denied/third_party_rights", "4.保护第三方合法权益", 7),
    ("/tables/applications/denied/internal_affairs", "5.属于三类内部事务信息", 7),
    ("/tables/applications/denied/process_information", "6.属于四类过程性信息", 7),
    ("/tables/applications/denied/enforcement_files", "7.属于行政执法案卷", 7),
    ("/tables/applications/denied/query_matters", "8.属于行政查询事项", 7),
    ("/tables/applications/unavailable/not_held", "1.本机关不掌握相关政府信息", 7),
    ("/tables/applications/unavailable/needs_creation", "2.没有现成信息需要另行制作", 7),
    ("/tables/applications/unavailable/still_unclear", "3.补正后申请内容仍不明确", 7),
    ("/tables/applications/not_processed/complaint", "1.信访举报投诉类申请", 7),
    ("/tables/applications/not_processed/duplicate", "2.重复申请", 7),
    ("/tables/applications/not_processed/publication", "3.要求提供公开出版物", 7),
    ("/tables/applications/not_processed/excessive", "4.无正当理由大量反复申请", 7),
    ("/tables/applications/not_processed/confirmation", "5.要求行政机关确认或重新出具已获取信息", 7),
    (
        "/tables/applications/other/no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        7,
    ),
    (
        "/tables/applications/other/fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        7,
    ),
    ("/tables/applications/other/other", "3.其他", 7),
    ("/tables/applications/handled_total", "(七)总计", 7),
    ("/tables/applications/carried_forward", "四、结转下年度继续办理", 7),
]
APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")
REVIEW = [
    f"/tables/review_litigation/{g}/{c}"
    for g in ("review", "litigation_direct", "litigation_after_review")
    for c in ("upheld", "corrected", "other", "pending", "total")
]


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def seed_expected() -> dict[str, tuple[int | float, int]]:
    """pointer → (figure, line) for all 200 cells, by reading the seed line by line."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    where = {line.strip(): n for n, line in enumerate(lines) if line.strip()}
    columns = {
        "regulations": ("issued", "repealed", "in_force"),
        "normative_documents": ("issued", "repealed", "in_force"),
        "fees": ("amount",),
    }
    out: dict[str, tuple[int | float, int]] = {}
    for pointer, label, n in SEED_ROWS:
        at = where[label]
        figures = [(k, lines[k].strip()) for k in range(at + 1, len(lines)) if lines[k].strip()][:n]
        if pointer.startswith("/tables/applications"):
            keys = APPLICANTS
        else:
            keys = columns.get(pointer.rsplit("/", 1)[1], ("decisions",))
        for key, (k, text) in zip(keys, figures, strict=True):
            out[f"{pointer}/{key}"] = (_number(text), k + 1)
    # table 四: the fifteen non-empty lines before section 五
    five = next(n for n, line in enumerate(lines) if line.strip().startswith("五、"))
    tail = [(k, lines[k].strip()) for k in range(five) if lines[k].strip()][-15:]
    for pointer, (k, text) in zip(REVIEW, tail, strict=True):
        out[pointer] = (_number(text), k + 1)
    return out


def test_seed_expected_covers_the_template() -> None:
    # the independent reading itself must cover all 200 cells of the 2021 template
    assert len(seed_expected()) == describe("2021").cell_count() == 200


def test_seed_all_cells_as_printed() -> None:
    loaded = load(str(SEED))
    assert loaded.error is None, loaded.error and loaded.error.message
    report = loaded.report
    assert report.template == "2021"
    expected = seed_expected()
    cells = dict(report.cells())
    assert len(cells) == 200
    assert {p: v for p, v in cells.items()} == {p: v for p, (v, _) in expected.items()}
    for pointer, (value, line) in expected.items():
        assert report.provenance[pointer]["line"] == line, pointer
        assert report.provenance[pointer]["raw"] == str(value)


def test_seed_provenance_of_a_cell() -> None:
    report = load(str(SEED)).report
    lines = SEED.read_text(encoding="utf-8").split("\n")
    assert lines[131] == "5"  # line 132 of the file: 自然人 of 一、本年新收
    assert report.provenance["/tables/applications/new_received/natural_person"] == {
        "raw": "5",
        "line": 132,
        "column": 1,
    }
    assert report.provenance["/tables/active_disclosure/fees/amount"] == {"raw": "84.67", "line": 99, "column": 1}


def test_seed_meta_sections_and_validation() -> None:
    report = load(str(SEED)).report
    meta = report.meta
    assert meta["title"] == "东乡县2021年政府信息公开工作年度报告"
    assert meta["year"] == 2021
    assert meta["organ"] == "东乡县"
    assert meta["organ_kind"] == "government"
    assert meta["published"] == "2022-02-10"
    assert meta["period"] == {"start": "2021-01-01", "end": "2021-12-31"}
    assert [s["key"] for s in report.sections] == SECTION_KEYS
    assert [s["number"] for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert report.data["table_sections"] == {"active_disclosure": 2, "applications": 3, "review_litigation": 4}
    assert report.data["source"]["encoding"] == "utf-8"
    assert report.data["source"]["format"] == "text"
    assert validate(report.data) == []
    # section text is the prose, not the table's cells
    problems = report.sections[4]["text"]
    assert problems.startswith("尽管我县政府信息公开工作取得了一定成效")
    assert "结果维持" not in report.sections[3]["text"]
    assert "我县无其他需要报告的事项" in report.sections[5]["text"]
    # headings point at their lines
    assert report.provenance["/sections/0"]["line"] == 9
    assert report.provenance["/sections/4"]["line"] == 625
    assert report.provenance["/meta/published"]["line"] == 3
    assert report.provenance["/meta/period"]["raw"] == "统计期限为2021年1月1日至2021年12月31日"


def test_seed_parse_is_fast() -> None:
    data = SEED.read_bytes()
    reader = TextReader()
    source = Source(str(SEED), data, "")
    reader.read(source)  # warm: schemas loaded, templates described
    start = time.perf_counter()
    for _ in range(5):
        reader.read(source)
    per_parse = (time.perf_counter() - start) / 5
    assert per_parse < 0.05, f"{per_parse * 1000:.1f} ms per parse"


def _tab_cell(path: Path, line: int, index: int) -> tuple[str, int]:
    """The text and 1-based column of the ``index``-th tab-separated cell of ``line``."""
    text = path.read_text(encoding="utf-8").split("\n")[line - 1]
    parts = text.split("\t")
    return parts[index], sum(len(p) + 1 for p in parts[:index]) + 1


def test_tabbed_layout_same_figures() -> None:
    loaded = load(str(TABBED))
    assert loaded.error is None, loaded.error and loaded.error.message
    report = loaded.report
    assert report.template == "2021"
    assert dict(report.cells()) == {p: v for p, (v, _) in seed_expected().items()}
    assert validate(report.data) == []
    assert report.data["notes"] == []
    # the row 一、本年新收… sits in its own line with a blank merged cell before the label
    lines = TABBED.read_text(encoding="utf-8").split("\n")
    row = next(n for n, line in enumerate(lines, 1) if "一、本年新收政府信息公开申请数量" in line)
    raw, column = _tab_cell(TABBED, row, 2)
    assert report.provenance["/tables/applications/new_received/natural_person"] == {
        "raw": raw,
        "line": row,
        "column": column,
    }
    data_row = next(n for n, line in enumerate(lines, 1) if line.count("\t") == 14 and line[0].isdigit())
    raw, column = _tab_cell(TABBED, data_row, 14)
    assert report.provenance["/tables/review_litigation/litigation_after_review/total"] == {
        "raw": raw,
        "line": data_row,
        "column": column,
    }


def _expected_2019() -> dict[str, int | float]:
    """The 2019 fixture's figures read line by line: label → the next n non-empty lines."""
    lines = [line.strip() for line in R2019.read_bytes().decode("gb18030").split("\n") if line.strip()]
    template = describe("2019")
    out: dict[str, int | float] = {}
    for table in ("active_disclosure", "applications"):
        for row in template.tables[table].rows:
            at = next(i for i, line in enumerate(lines) if line in row.labels or line.endswith(row.label))
            for column, text in zip(row.columns, lines[at + 1 : at + 1 + len(row.columns)], strict=True):
                if text.endswith("万元"):
                    value: int | float = round(float(text[:-2]) * 10000)
                else:
                    value = _number(text)
                out[row.cell(column.key)] = value
    five = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    for pointer, text in zip(REVIEW, lines[five - 15 : five], strict=True):
        out[pointer] = _number(text)
    return out


def test_2019_report() -> None:
    loaded = load(str(R2019))
    assert loaded.error is None, loaded.error and loaded.error.message
    report = loaded.report
    assert report.template == "2019"
    assert report.data["table_templates"] == {
        "active_disclosure": "2019",
        "applications": "2019",
        "review_litigation": "2019",
    }
    cells = dict(report.cells())
    assert len(cells) == describe("2019").cell_count() == 198
    assert cells == _expected_2019()
    assert cells["/tables/active_disclosure/licensing/items_change"] == -3
    assert cells["/tables/active_disclosure/procurement/amount_yuan"] == 1256000
    assert report.provenance["/tables/active_disclosure/procurement/amount_yuan"]["raw"] == "125.6万元"
    assert report.data["source"]["encoding"] == "gb18030"
    meta = report.meta
    assert (meta["year"], meta["organ"], meta["organ_kind"]) == (2019, "宁川市交通运输局", "department")
    assert meta["published"] == "2020-01-20"  # the signature date after section 六
    assert meta["period"] == {"start": "2019-01-01", "end": "2019-12-31"}
    assert validate(report.data) == []


def test_fullwidth_spaced_layout() -> None:
    loaded = load(str(FULLWIDTH))
    assert loaded.error is None, loaded.error and loaded.error.message
    report = loaded.report
    assert report.template == "2021"
    assert report.get("/tables/active_disclosure/licensing/decisions") == 1205  # printed 1,205
    assert report.get("/tables/active_disclosure/normative_documents/in_force") == 11  # printed １１
    assert report.get("/tables/active_disclosure/fees/amount") == 0.5  # printed ０．５
    assert report.get("/tables/applications/handled_total/total") == 8  # printed ８
    # blank cells: null, never 0, and the printed text kept
    assert report.get("/tables/active_disclosure/regulations/issued") is None
    assert report.raw("/tables/active_disclosure/regulations/issued") == "/"
    # an extra row a province adds is kept, and said
    assert report.tables["active_disclosure"]["extras"] == [{"label": "行政征收", "values": [2]}]
    assert any("行政征收" in note for note in report.data["notes"])
    meta = report.meta
    assert (meta["organ"], meta["organ_kind"], meta["published"]) == ("青石镇人民政府", "township", "2022-01-25")
    assert meta["period"] == {"start": "2021-01-01", "end": "2021-12-31"}
    assert [s["number"] for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert report.sections[0]["heading"] == "第一部分\u3000总体情况"
    lines = FULLWIDTH.read_text(encoding="utf-8-sig").split("\n")
    row = next(n for n, line in enumerate(lines, 1) if line.startswith("行政许可"))
    assert report.provenance["/tables/active_disclosure/licensing/decisions"] == {
        "raw": "1,205",
        "line": row,
        "column": lines[row - 1].index("1,205") + 1,
    }
    assert validate(report.data) == []


def test_free_form_report_is_refused_with_its_year() -> None:
    loaded = load(str(FREEFORM))
    assert loaded.report is None
    assert loaded.error.kind == "free-form"
    assert "2017" in loaded.error.message
    assert "2019/2021 templates" in loaded.error.message
    assert "does not check free-form" in loaded.error.message


def test_not_a_report() -> None:
    loaded = load(str(NOTICE))
    assert loaded.report is None
    assert loaded.error.kind == "not-a-report"
    assert "年度报告" in loaded.error.message


def test_sniff() -> None:
    reader = TextReader()
    assert reader.sniff(Source("a.txt", SEED.read_bytes(), "")) > 0
    assert reader.sniff(Source("a.txt", "东乡县年度报告".encode("gb18030"), "")) > 0
    assert reader.sniff(Source("a.html", b"<!DOCTYPE html><html><body>x</body></html>", "")) == 0
    assert reader.sniff(Source("a.json", b'{"model": "nianbao.report/1"}', "")) == 0
    assert reader.sniff(Source("a.pdf", b"%PDF-1.7\n\x00\x01", "")) == 0


def test_gb18030_undecodable_as_utf8() -> None:
    data = "2021年度报告\n一、总体情况\n".encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    loaded_text = TextReader().sniff(Source("x.txt", data, ""))
    assert loaded_text > 0


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("规章\t0\t\t3", [("规章", 1), ("0", 4), ("", 6), ("3", 7)]),  # an empty cell between tabs is blank
        ("行政许可    302", [("行政许可", 1), ("302", 9)]),  # a run of spaces
        ("行政处罚\u3000\u3000２０５", [("行政处罚", 1), ("２０５", 7)]),  # ideographic spaces, full width
        ("  一、总体情况", [("一、总体情况", 3)]),  # indentation is not a cell
    ],
)
def test_cells_and_columns(line: str, cells: list[tuple[str, int]]) -> None:
    tokens = tokenise(line)
    assert [(t.text, t.loc["column"]) for t in tokens] == cells
    assert all(t.loc["line"] == 1 for t in tokens)
    assert [t.row_end for t in tokens] == [False] * (len(cells) - 1) + [True]


def test_prose_with_spaces_stays_one_line() -> None:
    tokens = tokenise("全年共收到申请5件。  其中网络申请2件。")
    assert len(tokens) == 1 and tokens[0].kind == "line"


def test_kinds_and_line_numbers() -> None:
    text = "标题\r\n\r\n这是一段很长的说明文字，它不是表格的一部分，而是报告的正文内容。\r\n规章\r\n0\r\n0\r\n0\r\n"
    tokens = tokenise(text)
    assert [(t.text, t.loc["line"], t.kind) for t in tokens] == [
        ("标题", 1, "line"),
        ("这是一段很长的说明文字，它不是表格的一部分，而是报告的正文内容。", 3, "line"),
        ("规章", 4, "cell"),
        ("0", 5, "cell"),
        ("0", 6, "cell"),
        ("0", 7, "cell"),
    ]


def test_page_copy_empty_cell_is_blank() -> None:
    """Copied off a page, cells are one blank line apart; an empty cell leaves three."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    assert (lines[131], lines[133]) == ("5", "0")  # 自然人 and 商业企业 of 一、本年新收
    lines[133] = ""
    data = "\n".join(lines).encode("utf-8")
    model = TextReader().read(Source("seed-empty.txt", data, ""))
    row = model["tables"]["applications"]["new_received"]
    assert row["commercial"] is None
    assert model["provenance"]["/tables/applications/new_received/commercial"] == {"raw": "", "line": 134, "column": 1}
    assert (row["natural_person"], row["research"], row["total"]) == (5, 0, 5)
    assert model["tables"]["applications"]["carried_over"]["natural_person"] == 0
    assert model["notes"] == []


def test_single_spaced_rows_same_figures() -> None:
    """A table typed with single spaces between cells (the tabbed fixture, tabs → one space)."""
    text = "\n".join(
        " ".join(p for p in line.split("\t") if p) for line in TABBED.read_text(encoding="utf-8").split("\n")
    )
    model = TextReader().read(Source("single.txt", text.encode("utf-8"), ""))

    assert dict(Report(model).cells()) == {p: v for p, (v, _) in seed_expected().items()}
    assert model["notes"] == []


def test_utf16_with_bom() -> None:
    """Notepad's "Unicode" is UTF-16 with a byte-order mark (NUL bytes everywhere)."""
    data = SEED.read_text(encoding="utf-8").encode("utf-16")
    source = Source("seed16.txt", data, "")
    reader = TextReader()
    assert reader.sniff(source) > 0
    model = reader.read(source)
    assert model["source"]["encoding"] == "utf-16"
    assert dict(Report(model).cells()) == {p: v for p, (v, _) in seed_expected().items()}


def test_tab_indentation_is_not_a_cell() -> None:
    tokens = tokenise("\t一、总体情况\n\t2021年，本机关认真贯彻条例。\t全年主动公开信息100条。\n\t\t规章\t0\t0\t0")
    assert [(t.text, t.loc["column"], t.kind) for t in tokens[:2]] == [
        ("一、总体情况", 2, "line"),
        ("2021年，本机关认真贯彻条例。\t全年主动公开信息100条。", 2, "line"),
    ]
    # a row whose first cells are empty (merged cells) keeps them
    assert [t.text for t in tokens[2:]] == ["", "", "规章", "0", "0", "0"]


def test_a_text_far_past_its_character_limit_is_refused_before_it_is_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    from nianbao.readers import text as text_reader
    from nianbao.readers.limits import Limits

    size = SEED.stat().st_size
    fewest = (size - 3) // 4  # 4 bytes a character at most, a BOM aside

    def never(data: bytes) -> tuple[str, str]:
        raise AssertionError("decoded a text already known to be too long")

    monkeypatch.setattr(text_reader, "decode", never)
    error = load(str(SEED), Limits(text_chars=fewest - 1)).error
    assert error is not None and error.kind == "too-large"
    assert f"at least {fewest:,}" in error.message and "limits.text_chars" in error.message
    monkeypatch.undo()
    # past the limit by less than that: decoded once, its characters counted exactly
    chars = len(SEED.read_text(encoding="utf-8"))
    error = load(str(SEED), Limits(text_chars=chars - 1)).error
    assert error is not None and error.kind == "too-large"
    assert f"({chars:,})" in error.message and "limits.text_chars" in error.message
    assert load(str(SEED), Limits(text_chars=chars)).report is not None

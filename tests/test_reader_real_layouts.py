"""Real layouts the readers hold on, each in isolation (the real reports that show them are in
tests/fixtures/real and are read whole by test_real_corpus.py)."""

from __future__ import annotations

from nianbao.readers.stream import Stream
from nianbao.readers.tokens import Token


def _stream(*texts: str) -> Stream:
    return Stream([Token(t, {"line": n + 1}) for n, t in enumerate(texts)])


def test_vertical_group_label_interleaved_with_row_labels() -> None:
    # 洪泽区 2023/2024 (WPS PDF): 三、本年度办理结果 printed down the first column
    s = _stream(
        "三（一）予以公开",
        "、本（二）部分公开（区分处理的，只计这一情 形，不年计其他情形）",
        "度办1.属于国家秘密",
        "果3.危及“三安全一稳定”",
    )
    assert s.keys == ["予以公开", "部分公开区分处理的只计这一情形不年计其他情形", "属于国家秘密", "危及三安全一稳定"]
    assert len(s.repairs) == 4


def test_words_that_merely_start_with_those_characters_are_kept() -> None:
    s = _stream("本机关不掌握相关政府信息", "本年新收政府信息公开申请数量", "结果维持", "办理结果")
    assert s.keys == ["本机关不掌握相关政府信息", "本年新收政府信息公开申请数量", "结果维持", "办理结果"]
    assert s.repairs == []


# --- figures run together (平潭 crawler text) --------------------------------------------------


def test_a_flattened_line_is_cut_at_headings_labels_and_runs() -> None:
    from nianbao.readers import flat

    line = (
        "本报告包括总体情况、主动公开政府信息情况等六个部分。"
        * 20
        + "一、总体情况2021年，我区共收到70件申请。二、主动公开政府信息情况 第二十条第（一）项信息内容本年制发件数"
        "本年废止件数现行有效件数规章 000行政规范性文件693665行政事业性收费0三、收到和处理政府信息公开申请情况"
        "一、本年新收政府信息公开申请数量640020470（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000"
        "四、结转下年度继续办理1000001"
        "四、政府信息公开行政复议、行政诉讼情况行政复议10203120001200000五、存在的主要问题及改进情况无。六、其他需要报告的事项无。"
    )
    assert flat.is_flat(line)
    texts = [text for _, text, _ in flat.split(line)]
    for piece in (
        "一、总体情况",
        "规章",
        "000",
        "行政规范性文件",
        "693665",
        "640020470",
        "（三）不予公开",
        "1.属于国家秘密",
    ):
        assert piece in texts
    # the ordinal 2 of 2.其他法律… is not the last figure of the run before it
    assert "0000000" in texts and "2.其他法律行政法规禁止公开" in texts
    assert "10203120001200000" in texts and "1000001" in texts
    # the prose of a section stays one piece
    assert "2021年，我区共收到70件申请。" in texts


def test_run_readings_use_the_totals_and_the_sign() -> None:
    from nianbao.readers.tables import readings

    def texts(rs: list) -> list[list[str]]:
        return [[p.text for p in r] for r in rs]

    assert texts(readings([(0, "640020470")], [7], True)) == [["64", "0", "0", "2", "0", "4", "70"]]
    # 2/7/0/0/20/1/30 fits its row total too: two readings, for the column identities to settle
    assert len(readings([(0, "270020130")], [7], True)) == 2
    assert texts(readings([(0, "10203120001200000")], [5, 5, 5], True)) == [
        ["1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0"]
    ]
    # only 本年增/减 may be negative: 上一年项目数量 is 2648 in every reading
    found = readings([(0, "2648"), (1, "-18538")], [3], False, [False, True, False])
    assert {r[0].text for r in found} == {"2648"} and len(found) == 4
    assert texts(readings([(0, "007")], [3], False)) == [["0", "0", "7"]]


# --- a markdown table left by a PDF-to-markdown converter ---------------------------------------


def test_markdown_tables_are_read_cell_by_cell(tmp_path) -> None:
    import seedfigures
    from nianbao.loader import load

    seed = seedfigures.SEED.read_text(encoding="utf-8")
    report = load(str(seedfigures.SEED)).report
    assert report is not None
    # the seed's table 三 written as a converter writes it: one markdown row per table row
    lines = []
    from nianbao.template import describe

    for row in describe("2021").tables["applications"].rows:
        label = f"{row.group}{row.label}" if row.group else row.label
        values = [report.get(row.cell(c.key)) for c in row.columns]
        lines.append("| " + " | ".join([label, *(str(v) for v in values)]) + " |")
        if len(lines) == 1:
            lines.insert(0, "| 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |")
            lines.insert(1, "|---|---|---|---|---|---|---|---|")
    start = seed.index("三、收到和处理政府信息公开申请情况")
    end = seed.index("四、政府信息公开行政复议、行政诉讼情况")
    text = seed[:start] + "三、收到和处理政府信息公开申请情况\n\n" + "\n".join(lines) + "\n\n  " + seed[end:]
    path = tmp_path / "seed-markdown.txt"
    path.write_text(text, encoding="utf-8")
    got = load(str(path)).report
    assert got is not None
    assert dict(got.cells("/tables/applications")) == dict(report.cells("/tables/applications"))


def test_a_page_field_table_gives_the_title_not_its_label() -> None:
    # 沭阳县发改局 2023 (county CMS page): 名称 | …年度报告 in the page's field table before the body
    from nianbao.readers import meta
    from nianbao.readers.tokens import Hints

    s = Stream(
        [
            Token("名称", {"line": 1}, kind="cell"),
            Token("沭阳县发展和改革局2023年政府信息公开年度报告", {"line": 2}, kind="cell", row_end=True),
            Token("沭阳县发展和改革局2023年政府信息公开年度报告", {"line": 3}),
            Token("一、总体情况", {"line": 4}),
        ]
    )
    found = meta.title(s, 3, Hints())
    assert found is not None and found[0] == "沭阳县发展和改革局2023年政府信息公开年度报告"
    assert meta.organ(found[0]) == "沭阳县发展和改革局"


def test_a_table_printed_as_an_image_is_not_placed_before_the_sections(tmp_path) -> None:
    # CMS pages often put table 三 in as a picture (图片版): the reader finds no table 三, says so
    # in the notes and records no section for it, so S102 does not claim it sits before 一、
    from nianbao import engine
    from nianbao.loader import load

    rows = "".join(f"<tr><td>{label}</td>{'<td>0</td>' * n}</tr>" for label, n in (("规章", 3), ("行政规范性文件", 3)))
    page = (
        "<html><body><h1>某县2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>正文。</p>"
        "<p>二、主动公开政府信息情况</p><table><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td>"
        f"<td>现行有效件数</td></tr>{rows}</table>"
        '<p>三、收到和处理政府信息公开申请情况</p><p><img src="table3.png"></p>'
        "<p>四、政府信息公开行政复议、行政诉讼情况</p><p>五、存在的主要问题及改进情况</p><p>六、其他需要报告的事项</p>"
        "</body></html>"
    )
    path = tmp_path / "image-table.html"
    path.write_text(page, encoding="utf-8")
    loaded = load(str(path))
    assert loaded.report is not None
    assert "applications" not in loaded.report.data["table_sections"]
    assert any("table 三 not found" in n for n in loaded.report.data["notes"])
    run = engine.run([loaded])
    assert [f for f in run.results[0].findings if f.rule == "S102"] == []


# --- converter markdown (上海市科委 2024, 上海市人民政府办公厅 2025) --------------------------------


def _md_report(text: str) -> dict:  # type: ignore[type-arg]
    import tempfile
    from pathlib import Path

    from nianbao.loader import load
    from nianbao.readers.limits import Limits

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.md"
        path.write_text(text, encoding="utf-8")
        loaded = load(str(path), Limits())
        assert loaded.report is not None
        return loaded.report.data


def test_table_three_read_by_position_only_when_the_identities_confirm_it() -> None:
    from pathlib import Path

    real = Path(__file__).parent / "fixtures" / "real" / "shanghai-stcsm-2024.md"
    text = real.read_text(encoding="utf-8")
    data = _md_report(text)
    assert any("read by position" in n for n in data["notes"])
    assert data["tables"]["applications"]["denied"]["internal_affairs"]["natural_person"] == 1
    assert data["tables"]["applications"]["unavailable"]["not_held"]["total"] == 4
    # one figure changed so that its row no longer sums to its 总计: no reading by position
    broken = text.replace("| 4 | 0 | 0 | 0 | 0 | 0 | 4 |", "| 5 | 0 | 0 | 0 | 0 | 0 | 4 |", 1)
    assert broken != text
    assert not any("read by position" in n for n in _md_report(broken)["notes"])


def test_markdown_heading_marks_are_not_part_of_headings() -> None:
    from nianbao.readers.text import tokenise

    text = "# 某县人民政府2025年政府信息公开工作年度报告\n\n## 一、总体情况\n\n### 行政复议\n#标签\n"
    texts = [t.text for t in tokenise(text)]
    assert texts == ["某县人民政府2025年政府信息公开工作年度报告", "一、总体情况", "行政复议", "#标签"]

"""The HTML reader: real pages with merged cells, GB encodings, Word markup, traditional
characters, and the place of every cell in the file."""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from nianbao.loader import load, read_source
from nianbao.normalize import fold_script, fold_traditional, parse_number, strip_pinyin
from nianbao.readers import ReadError, Source
from nianbao.readers.charset import decode
from nianbao.readers.html import HtmlReader
from nianbao.readers.html_tokens import tokenize
from nianbao.template import describe
from seedfigures import SECTION_KEYS

#: the messages are asserted in English; their Chinese: tests/test_i18n.py
LANGUAGE = "en"

FIXTURES = Path(__file__).parent / "fixtures"
HTML = FIXTURES / "html"
SEED = FIXTURES / "seed-dongxiang-2021.txt"
SHANGHAI = FIXTURES / "corpus" / "shanghai-office-2019.html"

#: the seed as web pages: plain UTF-8; GB18030 bytes declared gb2312; traditional characters with
#: injected pinyin; the page saved as .txt; Word's "save as web page" markup saved as .doc
SEED_PAGES = [
    "dongxiang-2021.html",
    "dongxiang-2021-gb2312.html",
    "dongxiang-2021-traditional.html",
    "dongxiang-2021-page.txt",
    "dongxiang-2021-word.doc",
]

_SEED_HEADINGS = ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议", "五、")


def _seed_lines() -> list[str]:
    return [line.strip() for line in SEED.read_text(encoding="utf-8").split("\n")]


def _seed_tables() -> list[list[str]]:
    """The seed's three tables as printed: the non-empty lines between the headings 二…五."""
    tables: list[list[str]] = []
    current: list[str] | None = None
    for line in _seed_lines():
        if any(line.startswith(h) for h in _SEED_HEADINGS):
            if current is not None:
                tables.append(current)
            current = [] if not line.startswith("五、") else None
            if current is None:
                break
        elif current is not None and line:
            current.append(line)
    return tables


def _seed_values() -> list[int | float]:
    """The seed's 200 figures in print order (table 二, 三, 四), read straight from its text."""
    return [n.value for table in _seed_tables() for n in map(parse_number, table) if n.ok and not n.blank]


def _model_values(report: Any, template: str) -> list[Any]:
    tpl = describe(template)
    return [report.get(row.cell(col.key)) for table in tpl.tables.values() for row, col in table.cells()]


def _source(path: Path) -> Source:
    data = path.read_bytes()
    return Source(str(path), data, hashlib.sha256(data).hexdigest())


def _text_at(text: str, loc: dict[str, int], width: int) -> str:
    line = text.split("\n")[loc["line"] - 1]
    return line[loc["column"] - 1 : loc["column"] - 1 + width]


# --- the Shanghai page against its hand-checked truth -------------------------------------


@pytest.fixture(scope="module")
def shanghai() -> tuple[Any, dict[str, Any]]:
    loaded = load(str(SHANGHAI))
    assert loaded.error is None, loaded.error and loaded.error.message
    truth = json.loads(SHANGHAI.with_suffix(".truth.json").read_text(encoding="utf-8"))
    return loaded.report, truth


def _leaves(node: Any, prefix: str) -> dict[str, Any]:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for k, v in node.items():
            out.update(_leaves(v, f"{prefix}/{k}"))
        return out
    return {prefix: node}


def test_shanghai_cells_equal_truth(shanghai: tuple[Any, dict[str, Any]]) -> None:
    report, truth = shanghai
    expected = _leaves(truth["tables"], "/tables")
    assert len(expected) == 198
    got = {pointer: report.get(pointer) for pointer in expected}
    assert got == expected
    # blanks (&nbsp; cells) are null, not 0
    assert all(report.get(p) is None for p in truth["blank_cells"])


def test_shanghai_meta_and_template(shanghai: tuple[Any, dict[str, Any]]) -> None:
    report, truth = shanghai
    assert report.template == "2019" == truth["template"]
    assert report.year == 2019
    for key in ("title", "organ", "published", "year", "period"):
        assert report.meta[key] == truth["meta"][key], key
    assert report.data["source"]["format"] == "html"
    assert report.data["source"]["encoding"] == "utf-8"


def test_shanghai_cell_provenance_is_the_place_in_the_file(shanghai: tuple[Any, dict[str, Any]]) -> None:
    report, truth = shanghai
    cells = {p: v for p, v in truth["provenance"].items() if p.startswith("/tables/")}
    assert len(cells) == 198
    for pointer, where in cells.items():
        got = report.provenance[pointer]
        assert (got["line"], got["column"]) == (where["line"], where["column"]), pointer


def test_shanghai_section_headings_located(shanghai: tuple[Any, dict[str, Any]]) -> None:
    report, truth = shanghai
    assert [s["key"] for s in report.sections] == truth["sections"]
    for i, detail in enumerate(truth["section_details"]):
        got = report.provenance[f"/sections/{i}"]
        assert (got["line"], got["column"]) == (detail["line"], detail["column"])


def test_shanghai_staggered_colspans_give_one_token_per_cell() -> None:
    text, _ = decode(SHANGHAI.read_bytes())
    tokens, _ = tokenize(text)
    cells = [t for t in tokens if t.kind == "cell"]
    # one token per <td> in the file: merged cells are neither dropped nor repeated
    assert len(cells) == text.count("<td")
    # table 四: the row of 15 figures ends on the last one (复议后起诉/总计)
    last_row = cells[-15:]
    assert last_row[-1].row_end and not any(t.row_end for t in last_row[:-1])
    assert [t.text for t in last_row[:5]] == ["5", "", "", "2", "7"]


# --- the seed as web pages ------------------------------------------------------------------


def test_seed_has_200_figures() -> None:
    values = _seed_values()
    assert len(values) == 200  # 10 in table 二, 25 rows × 7 in table 三, 15 in table 四
    assert values[:10] == [0, 0, 0, 7, 0, 22, 302, 205, 18, 84.67]


@pytest.mark.parametrize("name", SEED_PAGES)
def test_seed_pages_read_back_to_the_seed_figures(name: str) -> None:
    loaded = load(str(HTML / name))
    assert loaded.error is None, loaded.error and loaded.error.message
    report = loaded.report
    assert loaded.format == "html"  # by content, whatever the extension
    assert report.template == "2021"
    assert _model_values(report, "2021") == _seed_values()
    assert report.meta["title"] == "东乡县2021年政府信息公开工作年度报告"
    assert report.meta["published"] == "2022-02-10"
    assert report.year == 2021
    assert [s["key"] for s in report.sections] == SECTION_KEYS
    assert report.data.get("notes") == []


def test_seed_page_model_equals_the_seed_text_model() -> None:
    """The page and the text copied off it are one report: same tables, meta and sections."""
    page, text = load(str(HTML / "dongxiang-2021.html")), load(str(SEED))
    assert page.error is None and text.error is None
    assert text.format == "text"
    for key in ("template", "tables", "meta", "table_templates"):
        assert page.report.data[key] == text.report.data[key], key
    assert [s["heading"] for s in page.report.sections] == [s["heading"] for s in text.report.sections]


def test_seed_page_cells_in_browser_copy_order() -> None:
    """Each merged cell once, where it starts: the cell texts are the seed's table lines (the
    seed is a browser copy of such a page), table by table."""
    text, _ = decode((HTML / "dongxiang-2021.html").read_bytes())
    tokens, _ = tokenize(text)
    squash = "".join
    tables: list[list[str]] = []
    for token in tokens:
        if token.kind == "line" and any(token.text.startswith(h) for h in _SEED_HEADINGS):
            tables.append([])
        elif token.kind == "cell" and tables:
            tables[-1].append(token.text.replace(" ", ""))
    expected = [squash(lines) for lines in _seed_tables()]
    assert [squash(cells) for cells in tables[:3]] == expected
    # rows: table 二 has 14 (four 第二十条 blocks), table 三 28 (3 header rows, 一、二、, 22 under
    # 三、本年度办理结果, 四、), table 四 4 (3 header rows, one row of 15 figures)
    ends = sum(t.row_end for t in tokens if t.kind == "cell")
    assert ends == 14 + 28 + 4


@pytest.mark.parametrize("name", SEED_PAGES)
def test_every_cell_points_at_its_text_in_the_file(name: str) -> None:
    text, _ = decode((HTML / name).read_bytes())
    tokens, _ = tokenize(text)
    cells = [t for t in tokens if t.kind == "cell"]
    assert cells
    for token in cells:
        if token.text:
            # the first printed character (folded, for the traditional page)
            assert fold_script(_text_at(text, token.loc, 1)) == token.text[0], token
        else:
            assert _text_at(text, token.loc, 3).lower() == "<td", token
    headings = [t for t in tokens if t.kind == "line" and t.text.startswith("三、收到和处理")]
    assert headings and fold_script(_text_at(text, headings[0].loc, 2)) == "三、"


def test_gb2312_declared_over_gb18030_bytes() -> None:
    data = (HTML / "dongxiang-2021-gb2312.html").read_bytes()
    assert b'charset=gb2312"' in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")  # 镕 and 𠮷 are outside GB2312
    text, encoding = decode(data)
    assert encoding == "gb18030"
    assert "马镕" in text and "𠮷祥" in text


def test_hints_headline_date_and_their_places() -> None:
    text, _ = decode((HTML / "dongxiang-2021.html").read_bytes())
    _, hints = tokenize(text)
    # the headline, not the <title> with the portal's name appended
    assert hints.title == "东乡县2021年政府信息公开工作年度报告"
    assert _text_at(text, hints.title_loc, 3) == "东乡县"
    assert hints.published == "2022-02-10"
    assert _text_at(text, hints.published_loc, 10) == "2022-02-10"


def _page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_hints_title_falls_back_to_the_page_title() -> None:
    _, hints = tokenize(_page("<p>正文</p>", "<title>2020年某局政府信息公开工作年度报告_某市人民政府</title>"))
    assert hints.title == "2020年某局政府信息公开工作年度报告"


def test_hints_published_prefers_the_publication_date() -> None:
    body = (
        "<table><tr><td>成文日期：</td><td>2021-01-20</td></tr>"
        "<tr><td>发布日期：</td><td>2021年1月25日</td></tr></table><p>正文</p>"
    )
    _, hints = tokenize(_page(body))
    assert hints.published == "2021-01-25"  # the date in the cell after its label
    _, hints = tokenize(_page("<p>成文日期：2021-01-20</p>"))
    assert hints.published == "2021-01-20"
    _, hints = tokenize(_page("<p>正文</p>", '<meta name="PubDate" content="2021-01-22 09:30">'))
    assert hints.published == "2021-01-22"
    # a sentence about a date is not the page's date field
    _, hints = tokenize(_page("<p>严格落实信息发布时间要求，于2021年3月1日前完成。</p>"))
    assert hints.published is None


def test_layout_table_around_the_page_is_not_a_data_table() -> None:
    """Portals often wrap the article in a layout table; the report's tables nest inside it."""
    text, _ = decode((HTML / "dongxiang-2021.html").read_bytes())
    start = text.index('<div class="article">')
    end = text.index("</body>")
    wrapped = text[:start] + '<table width="100%"><tr><td>' + text[start:end] + "</td></tr></table>" + text[end:]
    data = wrapped.encode("utf-8")
    report = read_source(Source("wrapped.html", data, hashlib.sha256(data).hexdigest()))
    assert _model_values(report, "2021") == _seed_values()


def _read_text(text: str, name: str) -> Any:
    data = text.encode("utf-8")
    return read_source(Source(name, data, hashlib.sha256(data).hexdigest()))


def test_one_big_table_holding_all_three() -> None:
    """Some pages print tables 二, 三 and 四 as one table, the headings 三、 and 四、 as full-width rows."""
    text, _ = decode((HTML / "dongxiang-2021.html").read_bytes())
    joined, n = re.subn(
        r"</tbody>\s*</table>\s*<p[^>]*>(?:&nbsp;)*([三四]、[^<]+)</p>\s*<table[^>]*>\s*<tbody>",
        r'<tr><td colspan="15"><p>\1</p></td></tr>',
        text,
    )
    assert n == 2 and joined.count("<table") == 2  # the report's one table and the <script>'s string
    report = _read_text(joined, "one-table.html")
    assert _model_values(report, "2021") == _seed_values()


def test_portal_metadata_table_before_the_report() -> None:
    """Portals print 索引号/发布机构/成文日期/发布日期 in a table above the article."""
    text, _ = decode((HTML / "dongxiang-2021.html").read_bytes())
    meta = (
        '<table class="xxgk"><tr><td>索引号：</td><td>000014349/2022-00012</td>'
        "<td>主题分类：</td><td>政务公开</td></tr>"
        "<tr><td>发布机构：</td><td>东乡县人民政府办公室</td><td>成文日期：</td><td>2022-02-09</td></tr>"
        "<tr><td>文号：</td><td></td><td>发布日期：</td><td>2022-02-11</td></tr></table>"
    )
    text = text.replace('<div class="article">', '<div class="article">' + meta)
    text = text.replace("<span>发布时间:2022-02-10</span>", "")
    report = _read_text(text, "portal.html")
    assert _model_values(report, "2021") == _seed_values()
    assert report.meta["published"] == "2022-02-11"  # 发布日期, not 成文日期


def test_text_copy_in_a_pre_reads_like_the_text() -> None:
    """A page that serves the report as preformatted text (the seed itself inside <pre>)."""
    seed = SEED.read_text(encoding="utf-8")
    page = _page("<pre>\n" + html.escape(seed) + "</pre>")
    text, _ = decode(page.encode())
    tokens, _ = tokenize(text)
    assert [t.text for t in tokens] == [" ".join(line.split()) for line in seed.split("\n") if line.strip()]
    for token in tokens:
        assert _text_at(text, token.loc, 1) == token.text[0], token
    report = _read_text(page, "pre.html")
    assert _model_values(report, "2021") == _seed_values()


def test_script_and_comments_are_not_read() -> None:
    body = "<!-- <table><tr><td>9</td></tr></table> --><script>var t='<td>9</td>';</script><p>正文</p>"
    tokens, _ = tokenize(_page(body))
    assert [(t.kind, t.text) for t in tokens] == [("line", "正文")]


def test_hidden_text_is_not_read() -> None:
    body = (
        '<p>予以<span style="display: none">乱码</span>公开</p>'
        "<table><tr><td>5<span style='display:none;mso-hide:all'>9</span></td></tr></table>"
    )
    tokens, _ = tokenize(_page(body))
    assert [t.text for t in tokens] == ["予以公开", "5"]


def test_cell_text_keeps_split_runs_together_and_wraps_as_space() -> None:
    body = "<table><tr><td><p><span>25</span><span>1,000</span></p></td><td>结果<br>纠正</td></tr></table>"
    tokens, _ = tokenize(_page(body))
    assert [t.text for t in tokens] == ["251,000", "结果 纠正"]
    assert tokens[-1].row_end


# --- sniffing and errors --------------------------------------------------------------------


def test_sniff_by_content() -> None:
    reader = HtmlReader()
    assert reader.sniff(_source(HTML / "dongxiang-2021-page.txt")) >= 90
    assert reader.sniff(_source(HTML / "dongxiang-2021-word.doc")) >= 90
    assert reader.sniff(_source(SEED)) == 0
    assert reader.sniff(Source("x.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "")) == 0
    fragment = "<p>一、总体情况</p><div>正文</div><table><tr><td>1</td></tr></table>".encode()
    assert reader.sniff(Source("x.txt", fragment, "")) > 40
    # the text reader declines text with block tags, so a single kind is still claimed
    assert reader.sniff(Source("x.txt", "一、总体情况<p>正文</p>".encode(), "")) > 0
    assert reader.sniff(Source("x.txt", b"a < b, c > d", "")) == 0


def test_page_that_is_not_a_report() -> None:
    data = _page("<p>地址：某路1号</p><table><tr><td>电话</td><td>12345</td></tr></table>").encode()
    with pytest.raises(ReadError) as err:
        HtmlReader().read(Source("contact.html", data, ""))
    assert err.value.kind == "not-a-report"
    data = _page("<script>var a = 1;</script>").encode()
    with pytest.raises(ReadError) as err:
        HtmlReader().read(Source("blank.html", data, ""))
    assert err.value.kind == "not-a-report" and "no text" in err.value.message


# --- decoding -----------------------------------------------------------------------------------


def test_decode_orders_bom_declaration_utf8_detection() -> None:
    text = "<p>政府信息公开工作年度报告：本年新收申请5件</p>"
    assert decode(b"\xef\xbb\xbf" + text.encode()) == (text, "utf-8")
    assert decode("\ufeff".encode("utf-16-le") + text.encode("utf-16-le")) == (text, "utf-16")
    declared = f'<meta charset="GB2312">{text}镕'
    assert decode(declared.encode("gb18030")) == (declared, "gb18030")
    # a wrong declaration loses to the bytes
    mislabelled = f'<meta charset="utf-8">{text}'
    assert decode(mislabelled.encode("gb18030")) == (mislabelled, "gb18030")
    latin = f'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">{text}'
    assert decode(latin.encode()) == (latin, "utf-8")
    # no declaration at all: UTF-8 when the bytes are UTF-8, else detected
    assert decode(text.encode()) == (text, "utf-8")
    assert decode((text * 5).encode("gb18030"))[0] == text * 5


# --- the shared normaliser's folding --------------------------------------------------------


def test_fold_traditional_and_pinyin() -> None:
    assert (
        fold_traditional("行政複議 結果糾正 本年新收政府信息公開申請數量")
        == "行政复议 结果纠正 本年新收政府信息公开申请数量"
    )
    assert fold_traditional("無正當理由大量反覆申請") == "无正当理由大量反复申请"
    assert strip_pinyin("開(kai)放") == "開放"
    assert strip_pinyin("公（gōng）開(kai1)") == "公開"
    assert fold_script("予以公開(kai)") == "予以公开"
    # brackets that are not a reading stay
    for text in ("门户网站(www)", "其他(other)", "处理(1)", "中国(cn)", "覆盖全县"):
        assert fold_script(text) == text


@pytest.mark.parametrize("path", [SEED, SHANGHAI])
def test_folding_leaves_simplified_reports_unchanged(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert fold_script(text) == text


def test_word_export_cell_keeps_its_element_start(tmp_path: Path) -> None:
    """Word puts a figure lines below its <td>: the place is the figure's, the element's start
    is kept, and a SARIF region runs from the <td> to the end of the figure."""
    from nianbao.engine import run
    from nianbao.reporters import render

    word = HTML / "dongxiang-2021-word.doc"
    pointer = "/tables/applications/granted/natural_person"
    entry = load(str(word)).report.provenance[pointer]
    lines = word.read_bytes().decode("gb18030").split("\n")
    assert lines[entry["line"] - 1][entry["column"] - 1 :].startswith(entry["raw"])
    element = entry["element"]
    assert element["line"] < entry["line"]
    assert lines[element["line"] - 1][element["column"] - 1 :].startswith("<td")

    # one figure changed (2 → 3) so that table 三's identities fail at that cell
    row = lines[entry["line"] - 1]
    at = entry["column"] - 1
    lines[entry["line"] - 1] = row[:at] + "3" + row[at + 1 :]
    changed = tmp_path / "word.doc"
    changed.write_bytes("\n".join(lines).encode("gb18030"))
    sarif = json.loads(render("sarif", run([load(str(changed))])))
    regions = [
        r["locations"][0]["physicalLocation"]["region"] for r in sarif["runs"][0]["results"] if r["ruleId"] == "T302"
    ]
    assert regions == [
        {
            "startLine": element["line"],
            "startColumn": element["column"],
            "endLine": entry["line"],
            "endColumn": entry["column"] + 1,
        }
    ]


def test_a_sentence_in_a_paragraph_wrapped_over_source_lines_is_located_on_its_line(tmp_path: Path) -> None:
    """Word wraps a <p>'s text over several lines of HTML: a narrative finding points at the
    source line where its sentence starts, not at the paragraph's first line."""
    from nianbao.engine import run

    source = (HTML / "dongxiang-2021.html").read_text(encoding="utf-8")
    lines = source.split("\n")
    at = next(i for i, line in enumerate(lines) if "网站访问量" in line)
    cjk = re.compile(r"[\u4e00-\u9fff]")
    wrapped, since = [], 0
    for n, char in enumerate(lines[at]):
        wrapped.append(char)
        since += 1
        following = lines[at][n + 1 : n + 2]
        # a break between two Chinese characters only, as Word makes them: no figure is split
        if since >= 30 and cjk.match(char) and following and cjk.match(following):
            wrapped.append("\n")
            since = 0
    page = "\n".join([*lines[:at], "".join(wrapped), *lines[at + 1 :]])
    path = tmp_path / "wrapped.html"
    path.write_text(page, encoding="utf-8")
    start = re.search(r"2021年\n?全\n?县\n?主\n?动", page)
    assert start is not None
    expected = page.count("\n", 0, start.start()) + 1
    assert expected > at + 1  # the sentence is not on the paragraph's first line

    (result,) = run([load(str(path))]).results
    (note,) = result.findings_of("N104")
    assert note.location["line"] == expected

"""The DOCX reader: the seed written as a Word document with real merged cells reads back to
the seed's figures; merged cells are read once, where they start; document order is kept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import seedfigures
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from nianbao.loader import load
from nianbao.readers.docx import tokenize
from seedfigures import SECTION_KEYS

FIXTURES = Path(__file__).parent / "fixtures"
DONGXIANG = FIXTURES / "docx" / "dongxiang-2021.docx"


@pytest.fixture(scope="module")
def report():
    loaded = load(str(DONGXIANG))
    assert loaded.error is None, loaded.error and loaded.error.message
    return loaded.report


def test_reads_back_to_the_seed(report) -> None:
    assert report.data["source"]["format"] == "docx"
    seedfigures.check(report)
    assert report.template == "2021"
    assert report.meta["title"] == "东乡县2021年政府信息公开工作年度报告"
    assert report.meta["published"] == "2022-02-10"
    assert [s["key"] for s in report.sections] == SECTION_KEYS


def test_provenance_is_table_row_cell_and_paragraph(report) -> None:
    # table 三 is the document's second table; row 4 is 一、本年新收…, its figures from grid column 4
    assert report.provenance["/tables/applications/new_received/natural_person"] == {
        "raw": "5",
        "table": 2,
        "row": 4,
        "cell": 4,
    }
    assert report.provenance["/tables/applications/new_received/total"]["cell"] == 10
    # table 二's 行政许可 figure sits in a cell merged over three grid columns, starting at 2
    assert report.provenance["/tables/active_disclosure/licensing/decisions"] == {
        "raw": "302",
        "table": 1,
        "row": 7,
        "cell": 2,
    }
    heading = report.provenance["/sections/1"]
    assert heading["raw"] == "二、主动公开政府信息情况" and set(heading) == {"raw", "paragraph"}


def test_merged_cells_are_read_once_where_they_start() -> None:
    tokens, _ = tokenize(DONGXIANG.read_bytes())
    three = [t for t in tokens if t.loc.get("table") == 2]

    def row(r: int) -> list[tuple[int, str]]:
        return [(t.loc["cell"], t.text) for t in three if t.loc["row"] == r]

    # the header: the note over three columns and three rows, 申请人情况 over seven columns
    assert row(1) == [(1, "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"), (4, "申请人情况")]
    assert row(2) == [(4, "自然人"), (5, "法人或其他组织"), (10, "总计")]
    assert [c for c, _ in row(3)] == [5, 6, 7, 8, 9]
    # 三、本年度办理结果 merged down 22 rows: once, on row 6
    assert row(6)[:2] == [(1, "三、本年度办理结果"), (2, "(一)予以公开")]
    assert row(7)[0] == (2, "(二)部分公开(区分处理的,只计这一情形,不计其他情形)")
    assert row(8)[:2] == [(2, "(三)不予公开"), (3, "1.属于国家秘密")]
    assert row(9)[0] == (3, "2.其他法律行政法规禁止公开")
    assert sum(t.text == "三、本年度办理结果" for t in tokens) == 1
    # every row ends with a row_end token
    rows = {t.loc["row"] for t in three}
    assert sum(t.row_end for t in three) == len(rows)


def test_paragraphs_and_tables_in_document_order() -> None:
    tokens, _ = tokenize(DONGXIANG.read_bytes())
    kinds = [(t.kind, t.loc.get("table")) for t in tokens]
    heading_three = next(i for i, t in enumerate(tokens) if t.text == "三、收到和处理政府信息公开申请情况")
    assert kinds[heading_three - 1] == ("cell", 1) and kinds[heading_three + 1] == ("cell", 2)
    paragraphs = [t.loc["paragraph"] for t in tokens if t.kind == "line"]
    assert paragraphs == sorted(paragraphs)


def _docx(build) -> bytes:
    doc = Document()
    build(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_a_title_on_two_centred_lines_is_one_title() -> None:
    def build(doc) -> None:
        for text in ("淮安市人民政府", "2024年政府信息公开工作年度报告"):
            doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
        doc.add_paragraph("一、总体情况")

    tokens, hints = tokenize(_docx(build))
    assert hints.title == "淮安市人民政府2024年政府信息公开工作年度报告"
    assert [t.text for t in tokens] == [hints.title, "一、总体情况"]
    assert tokens[0].loc == {"paragraph": 1}


def test_cell_paragraphs_are_joined_and_blank_cells_kept() -> None:
    def build(doc) -> None:
        table = doc.add_table(rows=1, cols=3)
        table.cell(0, 0).text = "商业"
        table.cell(0, 0).add_paragraph("企业")
        table.cell(0, 2).text = "7"

    tokens, _ = tokenize(_docx(build))
    assert [(t.text, t.loc["cell"], t.row_end) for t in tokens] == [
        ("商业企业", 1, False),
        ("", 2, False),
        ("7", 3, True),
    ]


def test_read_time_is_small() -> None:
    import time

    load(str(DONGXIANG))
    start = time.process_time()
    load(str(DONGXIANG))
    assert time.process_time() - start < 0.2


def test_a_table_nested_in_a_frame_cell_is_its_own_table() -> None:
    def build(doc) -> None:
        frame = doc.add_table(rows=1, cols=1).cell(0, 0)
        frame.text = "二、主动公开政府信息情况"
        inner = frame.add_table(rows=1, cols=2)
        inner.cell(0, 0).text = "行政许可"
        inner.cell(0, 1).text = "302"

    tokens, _ = tokenize(_docx(build))
    assert [(t.text, t.kind, t.loc) for t in tokens] == [
        ("二、主动公开政府信息情况", "line", {"table": 1, "row": 1, "cell": 1}),
        ("行政许可", "cell", {"table": 2, "row": 1, "cell": 1}),
        ("302", "cell", {"table": 2, "row": 1, "cell": 2}),
    ]
    assert tokens[-1].row_end


def test_the_reader_gives_each_run_the_text_python_docx_gives_it() -> None:
    # run_text evaluates CT_R.text's own expression, compiled once: held equal to it on every
    # run of a document with tabs, breaks and a hyperlink, and of the fixture
    from docx.oxml.text.run import CT_R
    from nianbao.readers.docx import run_text

    doc = Document()
    p = doc.add_paragraph("一、总体情况")
    run = p.add_run("本年\t新收")
    run.add_break()
    run.add_text("12 件")
    p.add_run("").add_tab()
    buffer = io.BytesIO()
    doc.save(buffer)
    runs = [
        r
        for d in (Document(io.BytesIO(buffer.getvalue())), Document(str(DONGXIANG)))
        for r in d.element.iter()
        if type(r) is CT_R
    ]
    assert len(runs) > 100 and any("\t" in r.text for r in runs) and any("\n" in r.text for r in runs)
    assert [run_text(r) for r in runs] == [r.text for r in runs]


def test_the_body_is_read_without_python_docx_as_python_docx_reads_it() -> None:
    # the reader parses word/document.xml alone and walks the runs itself: held equal, paragraph
    # by paragraph, to python-docx's own CT_R.text over the runs XPath picks (links, tracked
    # insertions and deletions, content controls, line, page and column breaks, tabs), on a
    # built document and on the fixture. A link's own text is the element's, not python-docx's
    # CT_Hyperlink.text (its runs, which are read as runs: the text would be read twice)
    import zipfile

    from docx.enum.text import WD_BREAK
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, nsmap, qn
    from docx.oxml.text.run import CT_R
    from lxml import etree
    from nianbao.readers.docx import _parser, _text

    doc = Document()
    p = doc.add_paragraph("一、总体情况")
    run = p.add_run("本年\t新收")
    run.add_break()
    run.add_break(WD_BREAK.PAGE)
    run.add_text("12 件")
    w = nsdecls("w")
    for xml in (
        f"<w:hyperlink {w}><w:r><w:t>链接</w:t></w:r><w:r><w:tab/><w:t>文</w:t></w:r></w:hyperlink>",
        f"<w:ins {w}><w:r><w:t>插入</w:t><w:cr/></w:r></w:ins>",
        f"<w:del {w}><w:r><w:delText>删去</w:delText></w:r></w:del>",
        f"<w:sdt {w}><w:sdtContent><w:r><w:t>控件</w:t><w:noBreakHyphen/></w:r></w:sdtContent></w:sdt>",
        f'<w:r {w}><w:br w:type="column"/><w:t xml:space="preserve"> 尾 </w:t></w:r>',
    ):
        p._p.append(parse_xml(xml))
    buffer = io.BytesIO()
    doc.save(buffer)
    runs = etree.XPath(
        "w:r | w:hyperlink | w:ins/w:r | w:smartTag/w:r | w:fldSimple/w:r | w:customXml/w:r"
        " | w:sdt/w:sdtContent/w:r | w:hyperlink/w:r",
        namespaces=nsmap,
    )
    own = etree.ElementBase.text.__get__  # an element's own text, under python-docx's properties
    read = []
    for blob in (buffer.getvalue(), DONGXIANG.read_bytes()):
        theirs = [
            "".join(r.text if type(r) is CT_R else str(own(r) or "") for r in runs(para)).strip()
            for para in Document(io.BytesIO(blob)).element.iter(qn("w:p"))
        ]
        root = etree.fromstring(zipfile.ZipFile(io.BytesIO(blob)).read("word/document.xml"), _parser())
        ours = [_text(para) for para in root.iter(qn("w:p"))]
        assert ours == theirs
        read.append(ours)
    assert read[0][0] == "一、总体情况本年\t新收\n12 件链接\t文插入\n控件- 尾" and len(read[1]) > 50

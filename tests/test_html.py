"""The HTML reporter: tables drawn from the template description with the cells of findings
marked and fixes shown, flagged sentences marked, every input present, nothing from a report
turned into markup, large runs split into pages."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import markupsafe
from mutations import Original
from nianbao import engine
from nianbao.loader import load
from nianbao.reporters import html as html_reporter
from nianbao.template import describe

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-dongxiang-2021.txt"
APPS = "/tables/applications"


def _run(*paths: Path | str):
    return engine.run([load(str(p)) for p in paths])


def _doc(text: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(text)


def _cell(doc: lxml.html.HtmlElement, pointer: str) -> lxml.html.HtmlElement:
    found = doc.xpath(f'//td[@data-pointer="{pointer}"]')
    assert len(found) == 1, pointer
    return found[0]


def test_seed_tables_drawn_with_printed_labels_and_values():
    run = _run(SEED)
    doc = _doc(html_reporter.render(run))
    report = run.results[0].report
    # every cell of the template is drawn, with the value the model holds
    template = describe("2021")
    for row, column in template.tables["applications"].cells():
        td = _cell(doc, row.cell(column.key))
        value = report.get(row.cell(column.key))
        assert td.text_content().strip() == ("" if value is None else str(value)), row.cell(column.key)
    headers = {th.text_content().strip() for th in doc.xpath("//table[@class='form']//th")}
    for row in template.tables["applications"].rows:
        assert row.label in headers
    assert "法人或其他组织" in headers and "行政诉讼" in headers and "第二十条第（一）项" in headers
    # the seed's findings, with their places
    text = doc.text_content()
    for f in run.results[0].findings:
        assert f.message in text
    assert "seed-dongxiang-2021.txt:637:3" in text


def test_a_wrong_cell_is_marked_with_its_fix(tmp_path):
    original = Original.read(SEED)
    pointer = f"{APPS}/granted/natural_person"
    text, _ = original.cell(pointer, lambda v: str(v + 1))
    path = tmp_path / "mutated.txt"
    path.write_text(text, encoding="utf-8")
    run = _run(path)
    result = run.results[0]
    fixes = [f.fix for f in result.findings if f.fix is not None]
    assert fixes and fixes[0].pointer == pointer
    doc = _doc(html_reporter.render(run))
    td = _cell(doc, pointer)
    assert "lv-error" in td.get("class")
    assert f"→ {int(fixes[0].value)}" in td.text_content()
    # every cell a failed identity names is marked
    for f in result.findings:
        for p in f.pointers:
            if p.startswith("/tables/"):
                assert "lv-" in (_cell(doc, p).get("class") or ""), p
    # an unrelated cell is not
    assert not _cell(doc, "/tables/review_litigation/review/upheld").get("class")


def test_flagged_sentence_marked_in_the_text():
    run = _run(FIXTURES / "crossyear" / "dongxiang-2022-mismatch.txt")
    doc = _doc(html_reporter.render(run))
    marked = [m.text_content() for m in doc.xpath("//p[contains(@class,'para')]/mark")]
    excerpts = [f.excerpt for f in run.results[0].findings if f.excerpt]
    assert excerpts
    assert any("其中2件为“予以公开”" in m for m in marked), marked
    # a mark is the sentence, not the whole paragraph
    assert all(len(m) < 200 for m in marked)


def test_unreadable_and_skipped_are_shown():
    run = _run(SEED, FIXTURES / "bad" / "empty.txt", FIXTURES / "bad" / "scanned.pdf")
    doc = _doc(html_reporter.render(run))
    rows = doc.xpath("//table[@id='unreadable']/tbody/tr")
    assert len(rows) == 2
    text = doc.text_content()
    for rr in run.results:
        assert rr.uri in text
        if rr.error:
            assert rr.error["message"] in text
        for why in rr.skipped.values():
            assert why in text
    # the sortable list holds every input
    assert len(doc.xpath("//table[@id='reports']/tbody/tr")) == 3


def test_english(tmp_path):
    run = _run(SEED)
    doc = _doc(html_reporter.render(run, lang="en"))
    assert doc.get("lang") == "en"
    assert "Rules that failed most" in doc.text_content()


HOSTILE = """<script>alert("x")</script></table><img src=x onerror='alert(1)'> "双引号" 'single' &amp; </p>"""


def test_hostile_report_cannot_inject_markup(tmp_path):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("五、"))
    lines.insert(at + 1, HOSTILE)
    name = tmp_path / """a"<b>'&x.txt"""
    name.write_text("\n".join(lines), encoding="utf-8")
    run = _run(name)
    assert run.results[0].report is not None
    out = html_reporter.render(run)
    doc = _doc(out)
    # our one script, no element from the report
    assert len(doc.xpath("//script")) == 1
    assert not doc.xpath("//img") and not doc.xpath("//b[not(ancestor::p[@class='summary'])]")
    # the paragraph's text is exactly the input, and the source holds it escaped
    paragraphs = [p.text_content() for p in doc.xpath("//p[contains(@class,'para')]")]
    assert HOSTILE in paragraphs
    assert str(markupsafe.escape(HOSTILE)) in out
    assert HOSTILE not in out
    assert str(name) in doc.text_content()
    # the file name inside an attribute stays inside it
    hrefs = [a.get("href") for a in doc.xpath("//a")]
    assert all(h.startswith("#") for h in hrefs)


def test_large_run_split_into_pages(tmp_path):
    run = _run(*([SEED] * 5))
    out = tmp_path / "run.html"
    written = html_reporter.write(run, str(out), page_size=2)
    assert len(written) == 1 + 3
    doc = _doc(out.read_text(encoding="utf-8"))
    assert len(doc.xpath("//table[@id='reports']/tbody/tr")) == 5
    assert not doc.xpath("//section[@class='report']")
    links = [a.get("href") for a in doc.xpath("//table[@id='reports']//a")]
    assert links[0] == "run.pages/0001.html#r1" and links[4] == "run.pages/0003.html#r5"
    page = _doc((tmp_path / "run.pages" / "0003.html").read_text(encoding="utf-8"))
    assert [s.get("id") for s in page.xpath("//section[@class='report']")] == ["r5"]


def test_cli_html(tmp_path):
    from nianbao.cli import main

    out = tmp_path / "r.html"
    assert main(["check", str(SEED), "-f", "html", "-o", str(out)]) == 0
    assert "<svg" in out.read_text(encoding="utf-8")


def test_self_contained():
    out = html_reporter.render(_run(SEED, FIXTURES / "bad" / "empty.txt"))
    doc = _doc(out)
    assert not doc.xpath("//link | //script[@src] | //img | //iframe")
    assert "http://" not in out.replace("http://www.w3.org/2000/svg", "") and "https://" not in out


def test_year_over_year_side_by_side():
    cross = FIXTURES / "crossyear"
    run = _run(cross / "dongxiang-2021.txt", cross / "dongxiang-2022-mismatch.txt")
    doc = _doc(html_reporter.render(run))
    sections = doc.xpath("//section[@class='report']")
    assert not sections[0].xpath(".//table[contains(@class,'yoy')]")  # 2021 has no year before it here
    later = sections[1]
    assert "2021 → 2022" in later.xpath(".//h3[@class='yoy']")[0].text_content()
    pointer = f"{APPS}/carried_over/natural_person"
    now = run.results[1].report.get(pointer)
    old = run.results[0].report.get(pointer)
    td = later.xpath(f".//table[contains(@class,'yoy')]//td[@data-pointer='{pointer}']")[0]
    assert td.text_content().replace(" ", "").startswith(f"{old}→{now}")
    if now != old:
        assert "changed" in td.get("class") and td.xpath(".//span[@class='delta']")
    # the findings of the rules across years are listed with the comparison
    listed = later.xpath(".//ul[@class='yoy-findings']/li")
    x101 = [f for f in run.results[1].findings if f.rule == "X101"]
    assert x101 and len(listed) >= len(x101)
    assert any(x101[0].message in li.text_content() for li in listed)

"""Files that are not readable reports, end to end: each gives a ReadError with a message that
names the problem; in a run with a good report the run goes on, the bad file's result has
status "error", the exit status is 1 and every output format shows it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from nianbao import i18n
from nianbao.config import Config
from nianbao.engine import run
from nianbao.loader import load

#: the messages are asserted in English; their Chinese: tests/test_i18n.py
LANGUAGE = "en"

FIXTURES = Path(__file__).parent / "fixtures"
BAD = FIXTURES / "bad"
GOOD = FIXTURES / "docx" / "dongxiang-2021.docx"

#: file → (kind, words the message must contain)
CASES = {
    "scanned.pdf": ("scanned-pdf", ("no text layer", "OCR")),
    "truncated.pdf": ("corrupt", ("damaged or truncated",)),
    "encrypted.pdf": ("unsupported", ("password-protected",)),
    "not-a-docx.docx": ("corrupt", ("ZIP archive", "not a Word .docx")),
    "truncated.docx": ("corrupt", ("damaged or truncated",)),
    "empty.txt": ("empty", ("empty",)),
    "junk.pdf": ("binary", ("binary file",)),
    "old-word.doc": ("unsupported", ("Word 97-2003 .doc", "save it as .docx")),
    "rich-text.doc": ("unsupported", ("RTF", "save it as .docx")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_file_is_a_read_error_with_a_clear_message(name: str) -> None:
    kind, words = CASES[name]
    i18n.set_language("en")  # the words are the English messages
    loaded = load(str(BAD / name))
    assert loaded.report is None and loaded.error is not None
    assert loaded.error.kind == kind
    for word in words:
        assert word in loaded.error.message
    assert "Traceback" not in loaded.error.message


def test_format_is_found_by_content_not_by_name(tmp_path: Path) -> None:
    # a PDF named .txt, a .docx named .pdf, an old .doc named .docx
    pdf = tmp_path / "report.txt"
    shutil.copyfile(FIXTURES / "pdf" / "dongxiang-2021.pdf", pdf)
    docx = tmp_path / "report.pdf"
    shutil.copyfile(GOOD, docx)
    doc = tmp_path / "report.docx"
    shutil.copyfile(BAD / "old-word.doc", doc)
    assert load(str(pdf)).format == "pdf"
    assert load(str(docx)).format == "docx"
    error = load(str(doc)).error
    assert error is not None and "Word 97-2003 .doc" in error.message


def test_a_run_goes_on_past_bad_files() -> None:
    paths = [str(BAD / name) for name in sorted(CASES)] + [str(GOOD)]
    result = run([load(p) for p in paths], Config())
    by_uri = {r.uri: r for r in result.results}
    for name, (kind, _) in CASES.items():
        r = by_uri[str(BAD / name)]
        assert r.status == "error" and r.error is not None and r.error["kind"] == kind
        assert not r.findings and not r.passed
    good = by_uri[str(GOOD)]
    assert good.status == "checked" and good.passed
    assert result.failing()
    document = result.to_dict()
    statuses = {r["source"]["uri"]: r["status"] for r in document["reports"]}
    assert statuses == {p: ("checked" if p == str(GOOD) else "error") for p in paths}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nianbao.cli", "check", "--no-progress", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


BAD_DOC = str(BAD / "old-word.doc")
SCAN = str(BAD / "scanned.pdf")


def test_cli_exit_status_and_text_output_name_the_file() -> None:
    done = _cli(BAD_DOC, SCAN, str(GOOD), "--lang", "en")
    assert done.returncode == 1, done.stderr
    out = done.stdout + done.stderr
    assert f"{BAD_DOC}: " in out and "Word 97-2003 .doc" in out
    assert f"{SCAN}: " in out and "no text layer" in out
    assert "Traceback" not in out


def test_cli_json_shows_the_bad_file_as_error() -> None:
    done = _cli("--format", "json", BAD_DOC, str(GOOD))
    assert done.returncode == 1, done.stderr
    reports = {r["source"]["uri"]: r for r in json.loads(done.stdout)["reports"]}
    assert reports[BAD_DOC]["status"] == "error"
    assert reports[BAD_DOC]["error"]["kind"] == "unsupported"
    assert reports[str(GOOD)]["status"] == "checked"


def test_cli_junit_has_an_error_testcase_for_the_bad_file() -> None:
    done = _cli("--format", "junit", SCAN, str(GOOD), "--lang", "en")
    assert done.returncode == 1, done.stderr
    root = ET.fromstring(done.stdout)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    errors = suites[SCAN].findall("testcase/error")
    assert len(errors) == 1 and errors[0].get("type") == "scanned-pdf"
    assert "no text layer" in (errors[0].get("message") or "")
    assert not suites[str(GOOD)].findall("testcase/error")


def test_cli_sarif_has_a_tool_execution_notification_for_the_bad_file() -> None:
    done = _cli("--format", "sarif", BAD_DOC, str(GOOD))
    assert done.returncode == 1, done.stderr
    run_ = json.loads(done.stdout)["runs"][0]
    notes = [n for inv in run_["invocations"] for n in inv.get("toolExecutionNotifications", [])]
    # SARIF gives the uri relative to the source root
    uris = [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes]
    about = [n for n, uri in zip(notes, uris, strict=True) if uri.endswith("fixtures/bad/old-word.doc")]
    assert len(about) == 1 and about[0]["level"] == "error"
    assert "Word 97-2003 .doc" in about[0]["message"]["text"]


def test_a_docx_with_a_broken_part_is_corrupt(tmp_path: Path) -> None:
    # the real .docx with word/document.xml cut short: the archive is fine, the XML is not
    import zipfile

    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(GOOD) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    error = load(str(broken)).error
    assert error is not None and error.kind == "corrupt" and "damaged" in error.message


def test_an_xlsx_is_named_for_what_it_is(tmp_path: Path) -> None:
    import zipfile

    book = tmp_path / "report.docx"
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    error = load(str(book)).error
    assert error is not None and error.kind == "unsupported" and "Excel .xlsx" in error.message


def test_a_folder_walk_reads_a_converters_markdown_report(tmp_path: Path) -> None:
    # real reports come as a PDF-to-markdown converter's .md (tests/fixtures/real/shanghai-*.md)
    from nianbao.loader import expand

    (tmp_path / "report.md").write_text("# 一、总体情况\n", encoding="utf-8")
    (tmp_path / "notes.xyz").write_text("x", encoding="utf-8")
    assert [Path(p).name for p in expand([str(tmp_path)])] == ["report.md"]

"""Hostile and broken inputs end to end: odd file names, special files, links, duplicates,
limits, models that do not conform. Every input is accounted for in every output format, the
outputs stay well-formed, nothing is read that should not be."""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from nianbao.config import Config
from nianbao.engine import run
from nianbao.loader import expand, load
from nianbao.model import Report
from nianbao.readers.limits import Limits
from nianbao.reporters import render
from nianbao.textsafe import shown, shown_path, tree

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-dongxiang-2021.txt"
DOCX = FIXTURES / "docx" / "dongxiang-2021.docx"
POSIX = pytest.mark.skipif(os.name != "posix", reason="FIFOs, sockets and byte file names are POSIX")


@pytest.fixture(autouse=True)
def _english(_language: None) -> None:
    from nianbao import i18n

    i18n.set_language("en")  # the messages asserted on are the English ones


# --- shown text ---------------------------------------------------------------------------------


def test_shown_spells_out_what_no_output_should_carry() -> None:
    assert shown("a\x1b[31mb\x07") == "a\\x1b[31mb\\x07"
    assert shown("line\nnext\tcell") == "line\nnext\tcell"  # kept in messages
    assert shown_path("a\nb\tc") == "a\\x0ab\\x09c"  # not in a name
    assert shown_path(os.fsdecode(b"r\xff\xfe.txt")) == "r\\xff\\xfe.txt"
    assert shown("\u202eevil") == "\\u202eevil" and shown("\ud800") == "\\ud800"
    assert shown("东乡县 2021") == "东乡县 2021"
    assert tree({"k\x00": [float("nan"), float("inf"), 1.5, "\udcff"]}) == {"k\\x00": [None, None, 1.5, "\\xff"]}


# --- paths --------------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    shutil.copyfile(SEED, d / "good.txt")
    os.link(d / "good.txt", d / "hardlink.txt")
    os.symlink("good.txt", d / "symlink.txt")
    os.symlink("..", d / "sub" / "up")  # a loop back to the folder
    os.symlink("nowhere.txt", d / "dangling.txt")
    os.symlink("loop2.txt", d / "loop1.txt")
    os.symlink("loop1.txt", d / "loop2.txt")
    if os.name == "posix":
        os.mkfifo(d / "fifo.txt")
        (d / "ctl\x1b[31m\nname.txt").write_bytes(SEED.read_bytes())
        (Path(os.fsdecode(bytes(d)) + os.fsdecode(b"/bad\xff\xfe.txt"))).write_bytes(SEED.read_bytes())
    return d


@POSIX
def test_a_folder_walk_reads_each_file_once_and_reports_what_it_cannot_read(folder: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.txt"))
    try:
        paths = list(expand([str(folder), str(folder / "good.txt"), str(folder)]))
    finally:
        sock.close()
    names = [os.path.relpath(p, folder) for p in paths]
    # the same file by three paths (itself, a hard link, a symbolic link) once; the loop ends
    assert names.count("good.txt") == 1 and "hardlink.txt" not in names and "symlink.txt" not in names
    assert not any(n.startswith("sub") for n in names)
    assert {"dangling.txt", "fifo.txt", "loop1.txt", "loop2.txt", "sock.txt"} <= set(names)
    kinds = {n: (load(p).error.kind if load(p).error else "ok") for n, p in zip(names, paths, strict=True)}
    assert kinds["good.txt"] == "ok"
    assert kinds["fifo.txt"] == kinds["sock.txt"] == "not-a-file"
    assert kinds["loop1.txt"] == "symlink-loop" and kinds["dangling.txt"] == "not-found"


@POSIX
def test_a_fifo_and_a_device_are_refused_without_being_read() -> None:
    error = load("/dev/zero").error
    assert error is not None and error.kind == "not-a-file" and "character device" in error.message


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "nianbao.cli", "check", "--no-progress", "--lang", "en", *args],
        capture_output=True,
        timeout=120,
        cwd=cwd,
    )


@POSIX
@pytest.mark.parametrize("fmt", ["text", "json", "junit", "sarif"])
def test_every_input_is_in_every_format_and_the_output_is_valid(folder: Path, fmt: str) -> None:
    done = _cli("-f", fmt, "in", cwd=folder.parent)
    assert done.returncode == 1, done.stderr
    out = done.stdout.decode("utf-8")  # valid UTF-8 whatever the names were
    assert "\x1b" not in out and "Traceback" not in done.stderr.decode()
    expected = {
        "in/good.txt",
        "in/bad\\xff\\xfe.txt",
        "in/ctl\\x1b[31m\\x0aname.txt",
        "in/fifo.txt",
        "in/dangling.txt",
        "in/loop1.txt",
        "in/loop2.txt",
    }
    if fmt == "json":
        uris = {r["source"]["uri"] for r in json.loads(out)["reports"]}
    elif fmt == "junit":
        uris = {s.get("name") for s in ET.fromstring(done.stdout).iter("testsuite")}
        expected |= {"in/hardlink.txt", "in/symlink.txt", "in/sub/up"}  # the same file or folder: a skipped suite
    elif fmt == "sarif":
        from nianbao.reporters.sarif import artifact_location

        uris = {a["location"]["uri"] for a in json.loads(out)["runs"][0]["artifacts"]}
        assert "in/bad%FF%FE.txt" in uris  # the URI names the very bytes of the name
        expected = {artifact_location(u)["uri"] for u in expected}
    else:
        uris = {u for u in expected if u in out}
    assert uris == expected


@POSIX
def test_a_path_left_out_as_the_same_file_is_said_in_every_format(tmp_path: Path) -> None:
    """A hard link, a symbolic link, a file given twice, a folder given twice: each checked once
    (as ruff and pytest do), and each path left out named with the one it duplicates, in every
    format; not an error: the exit status is that of the files checked."""
    d = tmp_path / "in"
    d.mkdir()
    shutil.copyfile(SEED, d / "good.txt")
    os.link(d / "good.txt", d / "hard.txt")
    os.symlink("good.txt", d / "soft.txt")
    given = ("in", "in/good.txt", "in")
    left = [
        ("in/hard.txt", "in/good.txt"),
        ("in/soft.txt", "in/good.txt"),
        ("in/good.txt", "in/good.txt"),
        ("in", "in"),
    ]
    alone = _cli("-f", "json", "in/good.txt", cwd=tmp_path)
    assert "skipped_files" not in json.loads(alone.stdout)
    for fmt in ("text", "json", "junit", "sarif", "html"):
        out_file = tmp_path / f"out.{fmt}"
        done = _cli("-f", fmt, "-o", str(out_file), *given, cwd=tmp_path)
        assert done.returncode == alone.returncode, (fmt, done.stderr)
        out = out_file.read_text(encoding="utf-8")
        if fmt == "json":
            doc = json.loads(out)
            assert [r["source"]["uri"] for r in doc["reports"]] == ["in/good.txt"]
            assert [(s["uri"], s["same_as"], s["kind"]) for s in doc["skipped_files"]] == [
                (u, f, "duplicate") for u, f in left
            ]
            from jsonschema import Draft202012Validator

            schema = json.loads((Path(__file__).parents[1] / "schemas" / "findings.schema.json").read_text())
            assert list(Draft202012Validator(schema).iter_errors(doc)) == []
        elif fmt == "junit":
            suites = {s.get("name"): s for s in ET.fromstring(out.encode("utf-8")).iter("testsuite")}
            for uri, first in left:
                skipped = suites[uri].find("testcase/skipped")
                assert skipped is not None and first in skipped.get("message")
                assert suites[uri].get("failures") == "0" and suites[uri].get("errors") == "0"
        elif fmt == "sarif":
            notes = json.loads(out)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
            said = [n for n in notes if n.get("properties", {}).get("kind") == "duplicate"]
            assert [(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], n["properties"]["sameAs"])
                    for n in said] == left  # fmt: skip
            assert all(n["level"] == "note" for n in said)
        else:  # text and HTML name both paths on one line / row
            for uri, first in left:
                assert any(uri in line and first in line and ("same" in line or "twice" in line)
                           for line in out.splitlines()), (fmt, uri)  # fmt: skip
    assert "4 paths skipped" in done.stderr.decode()


def test_a_corpus_truth_file_in_a_folder_is_not_checked_and_is_said(tmp_path: Path) -> None:
    """tests/fixtures/real keeps each report beside its truth (*.truth.json) and transcript
    (*.transcript.json): checking the folder lists them as not reports, none is 'unreadable'."""
    d = tmp_path / "in"
    d.mkdir()
    shutil.copyfile(SEED, d / "r.txt")
    (d / "r.truth.json").write_text('{"cells": {}}', encoding="utf-8")
    (d / "r.transcript.json").write_text('{"rows": []}', encoding="utf-8")
    alone = _cli("-f", "json", "in/r.txt", cwd=tmp_path)
    done = _cli("-f", "json", "in", cwd=tmp_path)
    assert done.returncode == alone.returncode
    doc = json.loads(done.stdout)
    assert [r["source"]["uri"] for r in doc["reports"]] == ["in/r.txt"]
    assert [(s["uri"], s["kind"]) for s in doc["skipped_files"]] == [
        ("in/r.transcript.json", "truth"),
        ("in/r.truth.json", "truth"),
    ]
    assert all("not a report" in s["message"] for s in doc["skipped_files"])
    text = _cli("in", cwd=tmp_path).stdout.decode("utf-8")
    assert "in/r.truth.json: the truth file of a test corpus" in text and "2 paths skipped" in text
    named = _cli("-f", "json", "in/r.truth.json", cwd=tmp_path)  # named, a file is always read
    assert json.loads(named.stdout)["reports"][0]["status"] == "error"


def test_a_folder_without_report_files_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "notes.xyz").write_text("# not a report\n", encoding="utf-8")
    loaded = load(str(tmp_path))  # was 'the reader failed: IsADirectoryError: [Errno 21] …'
    assert loaded.error is not None and loaded.error.kind == "unreadable"
    assert loaded.error.message == "is a folder with no report files"
    assert list(expand([str(tmp_path)])) == [str(tmp_path)]


# --- limits -------------------------------------------------------------------------------------


def _bomb(tmp_path: Path) -> Path:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item), zipfile.ZIP_DEFLATED)
        dst.writestr("word/media/zeros.bin", b"\0" * (300 * 1024 * 1024), zipfile.ZIP_DEFLATED)
    return bomb


def test_a_docx_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    error = load(str(bomb)).error
    assert error is not None and error.kind == "too-large" and "docx_ratio" in error.message


def test_limits_are_configurable_and_each_error_names_its_limit(tmp_path: Path) -> None:
    assert load(str(SEED), Limits(file_size=100)).error.kind == "too-large"  # type: ignore[union-attr]
    error = load(str(SEED), Limits(text_chars=100)).error
    assert error is not None and "limits.text_chars" in error.message
    error = load(str(DOCX), Limits(table_cells=10)).error
    assert error is not None and "limits.table_cells" in error.message
    error = load(str(DOCX), Limits(xml_depth=4)).error
    assert error is not None and error.kind == "too-deep"
    error = load(str(FIXTURES / "pdf" / "dongxiang-2021.pdf"), Limits(pdf_pages=1)).error
    assert error is not None and "limits.pdf_pages" in error.message
    config = tmp_path / "nianbao.yaml"
    config.write_text("limits: {file_size: 100}\n", encoding="utf-8")
    from nianbao.config import ConfigError
    from nianbao.config import load as load_config

    assert load_config(str(config)).limits.file_size == 100
    config.write_text("limits: {file_sise: 100}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="file_sise"):
        load_config(str(config))


def test_a_page_nested_deeper_than_the_limit_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 5000 + "2021年度报告" + "</div>" * 5000 + "</body></html>")
    error = load(str(page)).error
    assert error is not None and error.kind == "too-deep"


# --- broken DOCX (fuzzer finds) -------------------------------------------------------------------


def _docx_with(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path / "edited.docx"
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, edit(data) if item.filename == "word/document.xml" else data)
    return out


def test_a_docx_without_a_body_is_corrupt(tmp_path: Path) -> None:
    path = _docx_with(tmp_path, lambda d: d.replace(b"w:body>", b"w:bodx>"))
    error = load(str(path)).error
    assert error is not None and error.kind == "corrupt" and "<w:body>" in error.message


def test_a_docx_with_a_gridspan_that_is_no_number_is_read(tmp_path: Path) -> None:
    path = _docx_with(tmp_path, lambda d: d.replace(b'w:gridSpan w:val="', b'w:gridSpan w:val="x'))
    assert load(str(path)).report is not None


def test_a_docx_in_a_zip_version_python_cannot_read_is_unsupported(tmp_path: Path) -> None:
    data = bytearray(DOCX.read_bytes())
    at = data.find(b"PK\x01\x02")
    data[at + 6 : at + 8] = (99).to_bytes(2, "little")  # version needed to extract: 9.9
    path = tmp_path / "v99.docx"
    path.write_bytes(bytes(data))
    error = load(str(path)).error
    assert error is not None and error.kind == "unsupported"


# --- report models ------------------------------------------------------------------------------


def _model(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "model.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e999", "9" * 400, "[" * 5000])
def test_a_model_with_numbers_json_has_not_is_refused(tmp_path: Path, token: str) -> None:
    error = load(str(_model(tmp_path, '{"model": "nianbao.report/1", "x": ' + token + "}"))).error
    assert error is not None and error.kind in ("corrupt", "too-deep")


def _seed_model() -> dict:  # type: ignore[type-arg]
    report = load(str(SEED)).report
    assert report is not None
    return json.loads(json.dumps(report.data))


def test_a_model_that_does_not_conform_gets_m001_and_no_other_rule(tmp_path: Path) -> None:
    data = _seed_model()
    data["tables"]["applications"]["new_received"]["total"] = "five"
    data["sections"] = {"not": "a list"}
    result = run([load(str(_model(tmp_path, json.dumps(data))))], Config()).results[0]
    assert result.failed == ["M001"] and result.passed == []
    assert {f.rule for f in result.findings} == {"M001"}
    assert all("M001" in why for rule, why in result.skipped.items())


def test_a_figure_beyond_any_report_is_a_schema_violation(tmp_path: Path) -> None:
    data = _seed_model()
    data["tables"]["applications"]["new_received"]["total"] = 10**20
    result = run([load(str(_model(tmp_path, json.dumps(data))))], Config()).results[0]
    assert result.failed == ["M001"] and "beyond" in result.findings[0].message


@pytest.mark.parametrize("figure", ["1" * 400, "1" * 400 + ".5", "-" + "9" * 31])
def test_a_printed_figure_of_400_digits_is_refused_at_its_cell(tmp_path: Path, figure: str) -> None:
    """Once read as infinity (or a 400-digit int no model holds) and stopped later by M001: the
    reader refuses it at the cell (blank, with a note), T001 names the cell, the other rules run."""
    path = tmp_path / "digits.txt"
    path.write_bytes(SEED.read_bytes().replace(b"\n5\n", b"\n" + figure.encode() + b"\n", 1))
    report = load(str(path)).report
    assert report is not None
    pointer = "/tables/applications/new_received/natural_person"
    assert report.data["tables"]["applications"]["new_received"]["natural_person"] is None
    assert report.raw(pointer) == figure
    assert any("more than 30 digits" in n for n in report.data.get("notes", [])), report.data.get("notes")
    result = run([load(str(path))], Config()).results[0]
    assert "M001" in result.passed and result.blocked is None
    [t001] = [f for f in result.findings if f.rule == "T001"]
    assert t001.pointers == [pointer] and "has more than 30 digits" in t001.message
    assert "自然人" in t001.message and t001.location is not None and t001.location["line"] == 132


def _no_constant(name: str) -> None:
    pytest.fail(f"{name} written into strict JSON")


def test_outputs_are_strict_whatever_a_plugin_or_model_put_in(tmp_path: Path) -> None:
    report = Report(_seed_model())
    report.data["source"]["uri"] = "bad\udcff\x1b.txt"
    from nianbao.loader import Loaded
    from nianbao.model import Finding, Fix

    outcome = run([Loaded("bad\udcff\x1b.txt", report=report, format="text")], Config())
    outcome.results[0].findings.append(Finding("NaN\x00\ud800", ["/x"], level="error", rule="M001"))
    outcome.results[0].findings[-1].fix = Fix("/x", float("nan"))
    for fmt in ("json", "sarif"):
        text = render(fmt, outcome)
        text.encode("utf-8")
        json.loads(text, parse_constant=_no_constant)
    ET.fromstring(render("junit", outcome).encode("utf-8"))
    assert "\x1b" not in render("text", outcome) and "\x00" not in render("text", outcome)
    io.StringIO().write(render("text", outcome))

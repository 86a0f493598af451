"""nianbao export: a row per report, a column per cell; read back by pandas and openpyxl, every
cell equal to what `nianbao parse` says."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from nianbao.cli import main
from nianbao.export import columns
from nianbao.model import Report
from nianbao.template import cell_values

FIXTURES = Path(__file__).parent / "fixtures"
MIXED = [
    FIXTURES / "seed-dongxiang-2021.txt",
    FIXTURES / "html" / "dongxiang-2021.html",
    FIXTURES / "pdf" / "dongxiang-2021.pdf",
    FIXTURES / "docx" / "dongxiang-2021.docx",
    FIXTURES / "corpus" / "shanghai-office-2019.html",
    FIXTURES / "corpus" / "huaian-2024.pdf",
    FIXTURES / "bad" / "empty.txt",
    FIXTURES / "bad" / "scanned.pdf",
]


def _parsed(path: Path, tmp_path: Path) -> dict | None:
    out = tmp_path / (path.name + ".json")
    if main(["parse", str(path), "-o", str(out)]) != 0:
        return None
    return json.loads(out.read_text(encoding="utf-8"))


def _same(exported, parsed) -> bool:
    if parsed is None:
        return exported is None or (isinstance(exported, float) and math.isnan(exported)) or exported == ""
    return (
        exported is not None
        and not (isinstance(exported, float) and math.isnan(exported))
        and float(exported) == float(parsed)
    )


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("parsed")
    return {str(p): _parsed(p, tmp) for p in MIXED}


def test_csv_every_cell_equals_parse(tmp_path, parsed):
    out = tmp_path / "corpus.csv"
    assert main(["export", *map(str, MIXED), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert len(frame) == len(MIXED)
    cols = columns()
    assert list(frame.columns) == [c.header for c in cols]
    # the headers carry key and printed label
    assert "applications/granted/total 表三 （一）予以公开 / 总计" in frame.columns
    by_key = {c.key: c.header for c in cols}
    checked = 0
    for _, row in frame.iterrows():
        model = parsed[row[by_key["uri"]]]
        if model is None:
            assert row[by_key["status"]] == "error" and isinstance(row[by_key["error_message"]], str)
            continue
        assert row[by_key["template"]] == int(model["template"])
        assert row[by_key["organ"]] == model["meta"]["organ"]
        cells = cell_values(Report(model))
        assert cells
        for c in cols:
            if not c.pointer:
                continue
            if c.pointer in cells:
                assert _same(row[c.header], cells[c.pointer]), (row[by_key["uri"]], c.key)
                checked += 1
            else:  # a cell of the other template
                assert math.isnan(row[c.header]), (row[by_key["uri"]], c.key)
    assert checked >= 5 * 198


def test_xlsx_read_back_by_openpyxl(tmp_path, parsed):
    from openpyxl import load_workbook

    out = tmp_path / "corpus.xlsx"
    some = [MIXED[0], MIXED[4], MIXED[6]]  # both templates and an unreadable file
    assert main(["export", *map(str, some), "-o", str(out)]) == 0
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["tables", "findings", "unreadable"]
    rows = list(book["tables"].iter_rows(values_only=True))
    keys, labels, data = rows[0], rows[1], rows[2:]
    assert keys[0] == "uri" and "applications/granted/total" in keys
    assert labels[keys.index("applications/granted/total")] == "表三 （一）予以公开 / 总计"
    assert len(data) == len(some)
    for values in data:
        values = (*values, *[None] * (len(keys) - len(values)))  # a sheet's row ends at its last value
        model = parsed[values[0]]
        if model is None:
            continue
        for pointer, value in cell_values(Report(model)).items():
            assert _same(values[keys.index(pointer[len("/tables/") :])], value), (values[0], pointer)
    unreadable = list(book["unreadable"].iter_rows(values_only=True))[1:]
    assert {u[0] for u in unreadable} == {str(p) for p in some if parsed[str(p)] is None}
    findings = list(book["findings"].iter_rows(values_only=True))
    assert findings[0][:3] == ("uri", "rule", "level") and len(findings) > 1


def test_jsonl_and_parquet(tmp_path, parsed):
    out = tmp_path / "corpus.jsonl"
    assert main(["export", *map(str, MIXED[:2]), "-o", str(out), "--jobs", "2"]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["uri"] for r in lines] == [str(p) for p in MIXED[:2]]  # in order, with workers too
    for record in lines:
        for pointer, value in cell_values(Report(parsed[record["uri"]])).items():
            assert record[pointer[len("/tables/") :]] == value
    # pyarrow is in the test extra: this part runs everywhere the suite does (no skip)
    out = tmp_path / "corpus.parquet"
    assert main(["export", str(MIXED[0]), str(MIXED[6]), "-o", str(out)]) == 0
    frame = pd.read_parquet(out)
    assert len(frame) == 2
    assert frame["applications/granted/total 表三 （一）予以公开 / 总计"][0] == lines[0]["applications/granted/total"]


def test_unknown_suffix_is_a_usage_error(tmp_path, capsys):
    assert main(["export", str(MIXED[0]), "-o", str(tmp_path / "x.ods")]) == 2
    assert "x.ods" in capsys.readouterr().err


def test_no_check_reads_only(tmp_path, parsed):
    out = tmp_path / "cells.jsonl"
    assert main(["export", str(MIXED[0]), "-o", str(out), "--no-check"]) == 0
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["error"] is None and record["warning"] is None
    for pointer, value in cell_values(Report(parsed[str(MIXED[0])])).items():
        assert record[pointer[len("/tables/") :]] == value

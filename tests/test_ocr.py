"""OCR of scans: the offline engine, the page geometry it gives the shared layout code, the
uncertain-cell rules O101/O102, --ocr, and the error without the extra.

The full measurement — every scan fixture (tests/fixtures/scans, made by make_scans.py from the
printed PDFs) read and compared cell by cell with the hand-made figures, ≥ 99.5% right and every
wrong cell flagged — OCRs 34 pages (minutes on one core), so it runs in CI (``CI`` set) or
with ``NIANBAO_OCR_TESTS=1``; the rest here is fast."""

from __future__ import annotations

import copy
import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from modelkit import build, run, set_cell
from nianbao.loader import load
from nianbao.readers import ocr
from printtruth import SCANS, expected, wrong_cells

FULL = bool(os.environ.get("CI") or os.environ.get("NIANBAO_OCR_TESTS"))
needs_ocr = pytest.mark.skipif(not ocr.available(), reason="the nianbao[ocr] extra is not installed")
SCAN = SCANS / "dongxiang-2021.chromium.scan.pdf"
TIFF = SCANS / "dongxiang-2021.libreoffice.scan.tiff"


# --- without the extra, and --ocr never ------------------------------------------------------


def test_a_scan_without_the_extra_is_an_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    for path in (SCAN, TIFF):
        loaded = load(str(path))
        assert loaded.report is None and loaded.error is not None
        assert loaded.error.kind == "scanned-pdf"
        assert "pip install 'nianbao[ocr]'" in loaded.error.message


def test_ocr_never_refuses_a_scan_and_an_image() -> None:
    for path in (SCAN, TIFF):
        loaded = load(str(path), ocr="never")
        assert loaded.error is not None and loaded.error.kind == "scanned-pdf"
        assert "--ocr never" in loaded.error.message


def test_a_coarse_scan_is_refused_not_guessed() -> None:
    # a 50 dpi image of a page: figures a few pixels high
    loaded = load(str(Path(__file__).parent / "fixtures" / "bad" / "scanned.pdf"))
    assert loaded.error is not None and loaded.error.kind == "scanned-pdf"
    assert "50 dpi" in loaded.error.message


def test_the_engine_loads_the_models_shipped_in_the_wheel_by_path() -> None:
    # offline by construction: every model is a file in the installed package, never fetched
    if not ocr.available():
        pytest.skip("the nianbao[ocr] extra is not installed")
    import rapidocr

    root = Path(rapidocr.__file__).parent / "models"
    assert all((root / name).is_file() for name in ocr.MODELS.values())
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from nianbao.readers import ocr\n"
        "ocr.engine()\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr


@pytest.mark.parametrize("runtime", ["openvino", "onnxruntime"])
def test_the_engine_runs_single_threaded_on_either_runtime(runtime: str) -> None:
    # OpenVINO when the extra brought it; ONNX Runtime when it is what is installed
    import importlib.util

    if not ocr.available() or importlib.util.find_spec(runtime) is None:
        pytest.skip(f"{runtime} is not installed")
    saved = ocr._ENGINE
    try:
        engine = ocr.engine(runtime)
        assert engine.nianbao_runtime == runtime and runtime in ocr.describe_engine()
        options = engine.cfg.EngineConfig[runtime]
        threads = options.inference_num_threads if runtime == "openvino" else options.intra_op_num_threads
        assert threads == 1
        result = engine(np_page(), use_det=True, use_cls=False, use_rec=True)
        assert "".join(result.txts or ()) == "2021"
    finally:
        ocr._ENGINE = saved


def np_page() -> Any:
    """A small white image with 2021 printed on it (by OpenCV's own font)."""
    import cv2
    import numpy as np

    image = np.full((80, 240, 3), 255, np.uint8)
    cv2.putText(image, "2021", (30, 58), cv2.FONT_HERSHEY_SIMPLEX, 1.6, (0, 0, 0), 3)
    return image


def test_ocr_is_not_imported_at_start_up() -> None:
    code = (
        "import sys, nianbao.cli, nianbao.loader\n"
        "print([m for m in ('cv2', 'rapidocr', 'onnxruntime', 'openvino') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr


# --- labels put right from the template ----------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "right"),
    [
        ("7.属于行政丸法案卷", "7.属于行政执法案卷"),  # 执 read as 丸 on a noisy scan
        ("（四）无法提洪", "（四）无法提供"),
        ("7.属于行政执法案卷", None),  # a label already
        ("0", None),  # not a label
        ("我县无其他需要报告的事项", None),  # near no label
    ],
)
def test_a_misread_label_is_put_right_only_when_it_is_near_one_label(read: str, right: str | None) -> None:
    assert ocr.corrected(read) == right


# --- O101 / O102 on a model read by OCR ------------------------------------------------------------


def _scanned(data: dict[str, Any]) -> dict[str, Any]:
    """The kit's model as if read by OCR from one page: every cell sure of itself."""
    data = copy.deepcopy(data)
    data["source"]["ocr"] = {"engine": "test", "pages": [1]}
    for pointer, entry in data["provenance"].items():
        entry["page"] = 1
        if pointer.startswith("/tables/"):
            entry["ocr"] = {"confidence": 0.999}
    return data


def _figures() -> dict[str, Any]:
    return build(
        applications={"granted": {"natural_person": 2}, "partially_granted": {"natural_person": 3}},
        review={"review": {"upheld": 1}},
    )


def test_o101_skips_a_report_not_read_by_ocr() -> None:
    result = run("O101", _figures())
    assert result.skipped == {"O101": "the report was not read by OCR"} or "O101" in result.skipped


def test_o101_passes_a_scan_read_with_confidence() -> None:
    assert run("O101", _scanned(_figures())).findings == []


def test_o101_flags_low_confidence_candidates_ink_and_missing_cells() -> None:
    data = _scanned(_figures())
    low = "/tables/applications/granted/natural_person"
    other = "/tables/applications/partially_granted/natural_person"
    ink = "/tables/applications/granted/commercial"
    gone = "/tables/applications/granted/research"
    data["provenance"][low]["ocr"] = {"confidence": 0.61}
    data["provenance"][other]["ocr"] = {"confidence": 0.97, "candidates": ["3", "8"]}
    data = set_cell(data, ink, None, raw="")
    data["provenance"][ink]["ocr"] = {"confidence": 0.0, "candidates": ["", "0"]}
    data = set_cell(data, gone, None, raw="")
    del data["provenance"][gone]["ocr"]
    findings = {f.pointers[0]: f for f in run("O101", data).findings}
    assert set(findings) == {low, other, ink, gone}
    assert all(f.level == "warning" for f in findings.values())
    assert "0.61" in findings[low].message
    assert "'8'" in findings[other].message
    assert "'0'" in findings[ink].message
    # the threshold is an option
    assert low not in {f.pointers[0] for f in run("O101", data, min_confidence=0.5).findings}


def test_o102_names_the_one_cell_and_the_reading_that_makes_table_three_hold() -> None:
    data = set_cell(_scanned(_figures()), "/tables/applications/granted/natural_person", 8, raw="8")
    data["provenance"]["/tables/applications/granted/natural_person"]["ocr"] = {"confidence": 0.99}
    findings = run("O102", data).findings
    assert [f.pointers for f in findings] == [["/tables/applications/granted/natural_person"]]
    assert "8" in findings[0].message and "2" in findings[0].message


def test_o102_flags_a_table_four_group_that_does_not_add_up() -> None:
    data = set_cell(_scanned(_figures()), "/tables/review_litigation/review/total", 7, raw="7")
    findings = run("O102", data).findings
    assert len(findings) == 1 and "/tables/review_litigation/review/total" in findings[0].pointers


def test_o102_is_quiet_when_the_identities_hold() -> None:
    assert run("O102", _scanned(_figures())).findings == []


# --- identity failures on scanned tables: an error only when every cell of it was read surely --------

MISREAD = "/tables/applications/granted/natural_person"
RECEIVED = "/tables/applications/new_received/natural_person"


@pytest.mark.parametrize(("rule_id", "pointer"), [("T301", RECEIVED), ("T302", MISREAD), ("T303", MISREAD)])
def test_an_identity_failure_from_a_cell_ocr_is_unsure_of_is_a_warning_naming_it(rule_id: str, pointer: str) -> None:
    # the scan printed 2 (5); OCR read 8 (9), unsure of it (a second look read what is printed):
    # table 三 fails in what was read, which is not what is printed: no error
    data = _scanned(_figures())
    printed = data["tables"]["applications"][pointer.split("/")[3]]["natural_person"]
    data = set_cell(data, pointer, printed + 6, raw=str(printed + 6))
    data["provenance"][pointer]["ocr"] = {"confidence": 0.71, "candidates": [str(printed + 6), str(printed)]}
    findings = run(rule_id, data).findings
    assert findings and all(f.level == "warning" for f in findings)
    assert all(pointer in f.pointers for f in findings)
    assert all("自然人" in f.message and repr(str(printed)) in f.message and "O101" in f.message for f in findings)
    # the same report with the cell read surely: the failure is in the report, an error
    data["provenance"][pointer]["ocr"] = {"confidence": 0.999}
    assert {f.level for f in run(rule_id, data).findings} == {"error"}


def test_a_table_four_failure_from_an_unsure_cell_is_a_warning_and_from_sure_cells_an_error() -> None:
    total = "/tables/review_litigation/review/total"
    data = set_cell(_scanned(_figures()), total, 7, raw="7")
    data["provenance"][total]["ocr"] = {"confidence": 0.62}
    [finding] = run("T401", data).findings
    assert finding.level == "warning" and "0.62" in finding.message
    data["provenance"][total]["ocr"] = {"confidence": 0.999}
    assert [f.level for f in run("T401", data).findings] == ["error"]


def test_an_identity_failure_in_a_report_not_read_by_ocr_stays_an_error() -> None:
    data = set_cell(_figures(), MISREAD, 8, raw="8")
    assert {f.level for f in run("T302", data).findings} == {"error"}


# --- a page image through the shared layout code -------------------------------------------------


@needs_ocr
def test_a_scanned_table_becomes_ruled_cells_with_confidence() -> None:
    """One page of a scan (rotated, noisy), cut to its top quarter (table 二's first block): its rules are found,
    its cells read, each with a confidence."""
    import numpy as np
    import pypdfium2 as pdfium
    from nianbao.readers.pdf_tokens import tokenize

    doc = pdfium.PdfDocument(SCAN)
    pixels = np.array(doc[2].render(scale=150 / 72, grayscale=True).to_numpy())
    doc.close()
    page = ocr.image_page(pixels[: pixels.shape[0] // 4], 3, 150.0)
    # its 4 horizontal and 6 vertical lines; the strokes of the text cut by the crop's edge are no rules
    assert sum(r.horizontal for r in page.rules) == 4 and sum(not r.horizontal for r in page.rules) == 6
    assert page.ocr is not None
    tokens, _hints = tokenize([page])
    cells = [t for t in tokens if t.kind == "cell"]
    texts = [t.text for t in cells]
    assert "行政规范性文件" in texts and "22" in texts and "7" in texts
    assert all(0.0 <= t.loc["ocr"]["confidence"] <= 1.0 for t in cells)


# --- the full measurement (CI) ---------------------------------------------------------------


SCANNED = sorted([*SCANS.glob("*.scan.pdf"), *SCANS.glob("*.scan.tiff")])


@pytest.fixture(scope="module")
def measured() -> dict[str, tuple[int, dict[str, Any], set[str], tuple[Any, Any], list[Any]]]:
    """Every scan: its cell count, its wrong cells, the cells O101/O102 flagged, the template and
    year read, and the error-level findings of every default rule."""
    from nianbao.config import Config
    from nianbao.engine import run as run_rules
    from nianbao.readers.limits import DEFAULT

    # the reading is measured, not the machine: on a loaded one a scan takes minutes of wall time
    unlimited = dataclasses.replace(DEFAULT, read_seconds=0)
    out = {}
    for path in SCANNED:
        loaded = load(str(path), unlimited)
        assert loaded.error is None, (path.name, loaded.error and loaded.error.message)
        _template, _year, cells = expected(path)
        wrong = wrong_cells(loaded.report, cells)
        result = run_rules([loaded], Config()).results[0]
        flagged = {p for f in result.findings if f.rule in ("O101", "O102") for p in f.pointers}
        errors = [f for f in result.findings if f.level == "error"]
        report = loaded.report
        out[path.name] = (len(cells), wrong, flagged, (report.template, report.meta["year"]), errors)
    return out


@needs_ocr
@pytest.mark.skipif(not FULL, reason="OCRs every scan fixture (minutes): set CI or NIANBAO_OCR_TESTS=1")
def test_scans_read_at_least_995_permille_of_cells(measured: dict[str, Any]) -> None:
    total = sum(m[0] for m in measured.values())
    wrong = sum(len(m[1]) for m in measured.values())
    assert len(measured) >= 6 and total >= 1000
    assert (total - wrong) / total >= 0.995, {k: m[1] for k, m in measured.items() if m[1]}


@needs_ocr
@pytest.mark.skipif(not FULL, reason="OCRs every scan fixture (minutes): set CI or NIANBAO_OCR_TESTS=1")
def test_every_wrong_scan_cell_is_flagged_as_uncertain(measured: dict[str, Any]) -> None:
    silent = {name: sorted(set(m[1]) - m[2]) for name, m in measured.items() if set(m[1]) - m[2]}
    assert silent == {}


@needs_ocr
@pytest.mark.skipif(not FULL, reason="OCRs every scan fixture (minutes): set CI or NIANBAO_OCR_TESTS=1")
def test_scans_keep_template_and_year(measured: dict[str, Any]) -> None:
    # the year from the title (a large bold one, whose strokes are not taken for a table's rules)
    # or, in LibreOffice's print of the Word page, which has no title, from the statistics period
    for name, m in measured.items():
        template, year, _cells = expected(SCANS / name)
        assert m[3] == (template, year), name


@needs_ocr
@pytest.mark.skipif(not FULL, reason="OCRs every scan fixture (minutes): set CI or NIANBAO_OCR_TESTS=1")
def test_a_scan_raises_no_error_its_print_does_not(measured: dict[str, Any]) -> None:
    # the printed PDFs raise no error (test_printed_pdfs): an error on their scans would come from
    # the OCR, and a misread cell's failing identity is a warning naming it (O101), not an error
    errors = {name: [(f.rule, f.message) for f in m[4]] for name, m in measured.items() if m[4]}
    assert errors == {}

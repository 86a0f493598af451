"""How sure a reading of a cell is, from the model alone: a report read by OCR names its scanned
pages in ``source.ocr`` and keeps each OCR'd cell's ``ocr`` block in its provenance (confidence,
candidates; report-model.md). One place decides which cells are uncertain readings: O101 reports
them, and the identity rules (T301-T303, T401) report a failure that such a cell may explain at
warning level instead of as an error (the identity fails in what was read, but what was read
may not be what is printed)."""

from __future__ import annotations

from dataclasses import dataclass

from nianbao import Report, derived
from nianbao.i18n import _
from nianbao.template import TABLES, cell_values, describe

#: a cell read with less confidence than this is uncertain (the recogniser's score, 0-1)
MIN_CONFIDENCE = 0.9


@dataclass(frozen=True)
class Doubt:
    """Why a cell's reading is uncertain: ``missing`` (not found on a scanned page), ``ink`` (read
    as blank with ink in the cell), ``candidates`` (a second reading differs), ``low`` (a low score)."""

    kind: str
    raw: str
    confidence: float
    candidates: tuple[str, ...]


def scanned_pages(report: Report) -> set[int] | None:
    """The pages read by OCR, or None when the report was not read by OCR."""
    ocr = report.data.get("source", {}).get("ocr")
    if not ocr:
        return None
    return set(ocr.get("pages") or [])


def read_by_ocr(report: Report, pointer: str, pages: set[int]) -> bool:
    entry = report.provenance.get(pointer) or {}
    return "ocr" in entry or entry.get("page") in pages


def doubt(report: Report, pointer: str, pages: set[int], threshold: float = MIN_CONFIDENCE) -> Doubt | None:
    """Why the reading of the cell at ``pointer`` is uncertain, or None when it was read surely
    (or not by OCR)."""
    if not read_by_ocr(report, pointer, pages):
        return None
    entry = report.provenance.get(pointer) or {}
    raw = str(entry.get("raw", ""))
    ocr = entry.get("ocr")
    if not isinstance(ocr, dict):
        return Doubt("missing", raw, 0.0, ())
    confidence = float(ocr.get("confidence", 1.0))
    candidates = tuple(str(c) for c in ocr.get("candidates", []) if c != raw)
    if not raw and confidence < threshold:
        return Doubt("ink", raw, confidence, candidates)
    if candidates:
        return Doubt("candidates", raw, confidence, candidates)
    if confidence < threshold:
        return Doubt("low", raw, confidence, candidates)
    return None


@derived
def uncertain_cells(report: Report) -> dict[str, Doubt]:
    """Every described cell whose OCR reading is uncertain (at :data:`MIN_CONFIDENCE`); empty
    for a report not read by OCR."""
    pages = scanned_pages(report)
    if pages is None:
        return {}
    out = {}
    for pointer in cell_values(report):
        found = doubt(report, pointer, pages)
        if found is not None:
            out[pointer] = found
    return out


@derived
def cell_labels(report: Report) -> dict[str, str]:
    """Each described cell's name as printed: 表三 （四）无法提供 1.本机关不掌握相关政府信息 / 自然人."""
    out = {}
    for key in TABLES:
        shape = report.table_template(key)
        if key not in report.tables or shape not in ("2021", "2019"):
            continue
        table = describe(shape).tables[key]
        for row, column in table.cells():
            label = f"{row.group} {row.label}" if row.group else row.label
            out[row.cell(column.key)] = f"表{table.number} {label} / {column.label}"
    return out


def unsure_reading(report: Report, pointers: list[str]) -> str | None:
    """For a failed identity over ``pointers``: None when every cell of it was read surely (the
    failure is in the report), else a sentence naming the cells read without certainty, to add
    to the finding, which is then a warning: the failure may be a misreading."""
    unsure = uncertain_cells(report)
    cells = [p for p in pointers if p in unsure]
    if not cells:
        return None
    labels = cell_labels(report)
    shown = ", ".join(_("{cell} ({why})", cell=labels.get(p, p), why=_describe(unsure[p])) for p in cells)
    return _(
        "but OCR read {cells} without certainty, so the failure may be a misreading (see O101, O102): "
        "check the scan before correcting the report",
        cells=shown,
    )


def _describe(d: Doubt) -> str:
    shown = "%.2f" % d.confidence  # noqa: UP031 - the catalogue's extractor reads f-strings as msgids
    if d.kind == "missing":
        return _("not found on the scanned page")
    if d.kind == "ink":
        return _("read as blank, with ink in the cell")
    if d.kind == "candidates":
        return _(
            "read {raw}, another reading gives {others}",
            raw=repr(d.raw),
            others=", ".join(repr(c) for c in d.candidates),
        )
    return _("read {raw} with confidence {confidence}", raw=repr(d.raw), confidence=shown)

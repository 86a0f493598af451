"""O101, O102: figures read by OCR are never trusted silently. O101 reports every cell the OCR is
unsure of (its confidence in provenance, a second reading that differs, ink in a cell read as
blank, a cell not found on a scanned page); O102 reports the cells of a scanned table whose
identities fail, with the reading that would make them hold as a candidate."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nianbao import Finding, Report, Skip, hookimpl, rule
from nianbao.i18n import _
from nianbao.rule import Rule, RuleContext
from nianbao.rules import _identities as ids
from nianbao.rules._readings import MIN_CONFIDENCE, cell_labels, doubt, read_by_ocr, scanned_pages
from nianbao.rules.localise import single_cells
from nianbao.template import cell_values

#: table 四's groups and the parts that add up to each group's 总计
REVIEW_GROUPS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_PARTS = ("upheld", "corrected", "other", "pending")


def _scanned_pages(report: Report) -> set[int]:
    pages = scanned_pages(report)
    if pages is None:
        raise Skip(_("the report was not read by OCR"))
    return pages


@rule(
    "O101",
    "ocr-uncertain-cell",
    "warning",
    "A figure read by OCR that the OCR is unsure of is reported, with the candidate readings.",
    """
    A scanned report (an image-only PDF page, a PNG/JPEG/TIFF) is read by OCR, and every cell it
    reads keeps the recogniser's confidence in the model's provenance (``ocr.confidence``, the
    score of its least sure character). A cell is reported as uncertain when that confidence is
    below ``min_confidence`` (0.9), when a second reading of the cell's crop gives another text
    (the candidates are listed, the first is the one kept), when a cell read as blank has ink in
    it (a figure the OCR missed), or when a cell of a scanned table was not found at all. Check
    each against the scan; the identities of table 三 and 四 are checked by O102.
    """,
    "",
    options={"min_confidence": MIN_CONFIDENCE},
)
def uncertain_cell(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    pages = _scanned_pages(report)
    threshold = float(ctx.option("min_confidence", MIN_CONFIDENCE))
    labels = cell_labels(report)
    values = cell_values(report)
    for pointer in values:
        d = doubt(report, pointer, pages, threshold)
        if d is None:
            continue
        where = labels.get(pointer, pointer)
        shown = "%.2f" % d.confidence  # noqa: UP031 - the catalogue's extractor reads f-strings as msgids
        if d.kind == "missing":
            yield Finding(_("{cell}: not found on the scanned page; check it against the scan", cell=where), [pointer])
        elif d.kind == "ink" and d.candidates:
            yield Finding(
                _(
                    "{cell}: read as blank, but there is ink in the cell, which a second reading gives as "
                    "{others}; check it against the scan",
                    cell=where,
                    others=", ".join(repr(c) for c in d.candidates),
                ),
                [pointer],
            )
        elif d.kind == "ink":
            yield Finding(
                _("{cell}: read as blank, but there is ink in the cell; check it against the scan", cell=where),
                [pointer],
            )
        elif d.kind == "candidates":
            yield Finding(
                _(
                    "{cell}: OCR read {raw} (confidence {confidence}); another reading gives {others}; "
                    "check it against the scan",
                    cell=where,
                    raw=repr(d.raw),
                    confidence=shown,
                    others=", ".join(repr(c) for c in d.candidates),
                ),
                [pointer],
            )
        else:
            yield Finding(
                _(
                    "{cell}: OCR read {raw} with confidence {confidence} only; check it against the scan",
                    cell=where,
                    raw=repr(d.raw),
                    confidence=shown,
                ),
                [pointer],
            )


@rule(
    "O102",
    "ocr-identity-contradiction",
    "warning",
    "In a table read by OCR, the cells of a failing identity are reported as uncertain readings.",
    """
    When the identities of table 三 (一+二 = （七）总计+四 per column, （七）总计 = the outcome rows,
    总计 = the six applicant columns) or of table 四 (结果维持+结果纠正+其他结果+尚未审结 = 总计)
    fail on figures read by OCR, a figure may have been misread rather than misprinted. When one
    cell alone explains the failures (as T310 finds it), that cell is reported with the reading
    that makes every identity hold as a candidate; otherwise every scanned cell of the failing
    identities is reported. The identity rules (T301–T303, T401) still report the failure itself:
    as an error when every cell of it was read surely, as a warning naming the uncertain cells
    when one was not (the failure may then be a misreading).
    """,
    "",
)
def identity_contradiction(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    pages = _scanned_pages(report)
    labels = cell_labels(report)
    yield from _applications(report, pages, labels)
    yield from _review(report, pages, labels)


def _applications(report: Report, pages: set[int], labels: dict[str, str]) -> Iterator[Finding]:
    template = report.table_template(ids.TABLE)
    if template not in ("2019", "2021") or not report.tables.get(ids.TABLE):
        return
    held = cell_values(report)
    values = {p: held.get(p) for p in ids.cells(template)}
    checked = [e for e in ids.applications(template) if e.residual(values) is not None]
    residuals = {e: e.residual(values) or 0 for e in checked}
    failing = [e for e in checked if residuals[e]]
    if not failing:
        return
    broken = "; ".join(e.explain(values) for e in failing)
    singles = [c for c in single_cells(checked, residuals, values) if read_by_ocr(report, c.pointer, pages)]
    if len(singles) == 1:
        c = singles[0]
        yield Finding(
            _(
                "{cell}: OCR read {old}, and {new} would make table 三's identities hold: a misreading is "
                "likely (candidate readings: {old}, {new}); check it against the scan. Failing: {broken}",
                cell=labels.get(c.pointer, c.pointer),
                old=_fmt(c.old),
                new=_fmt(c.new),
                broken=broken,
            ),
            [c.pointer],
        )
        return
    scanned = [p for p in dict.fromkeys(p for e in failing for p in e.pointers) if read_by_ocr(report, p, pages)]
    if scanned:
        yield Finding(
            _(
                "table 三's identities fail on figures read by OCR, so one of these cells may be misread; "
                "check them against the scan. Failing: {broken}",
                broken=broken,
            ),
            scanned,
        )


def _review(report: Report, pages: set[int], labels: dict[str, str]) -> Iterator[Finding]:
    table = report.tables.get("review_litigation")
    if not isinstance(table, dict):
        return
    for group in REVIEW_GROUPS:
        row = table.get(group)
        if not isinstance(row, dict):
            continue
        figures = [row.get(k) for k in (*REVIEW_PARTS, "total")]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in figures):
            continue
        parts, total = sum(figures[:-1]), figures[-1]
        if parts == total:
            continue
        pointers = [f"/tables/review_litigation/{group}/{k}" for k in (*REVIEW_PARTS, "total")]
        scanned = [p for p in pointers if read_by_ocr(report, p, pages)]
        if scanned:
            yield Finding(
                _(
                    "{cell}: the parts read by OCR add up to {parts}, the 总计 reads {total}: one of these "
                    "cells may be misread (the 总计 would read {parts}); check them against the scan",
                    cell=labels.get(pointers[-1], group),
                    parts=_fmt(parts),
                    total=_fmt(total),
                ),
                scanned,
            )


def _fmt(v: Any) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


@hookimpl
def nianbao_rules() -> list[Rule]:
    return [uncertain_cell, identity_contradiction]

"""The figures of the seed report (seed-dongxiang-2021.txt), for the readers' fixtures that
carry them (the seed as .docx, printed to PDF): every other cell of the three tables is 0."""

from __future__ import annotations

from pathlib import Path

from nianbao.loader import load
from nianbao.model import Report

SEED = Path(__file__).parent / "fixtures" / "seed-dongxiang-2021.txt"
#: the six sections in the template's order, as report-model.md names them
SECTION_KEYS = ["overview", "active_disclosure", "applications", "review_litigation", "problems", "other"]

NONZERO = {
    "/tables/active_disclosure/normative_documents/issued": 7,
    "/tables/active_disclosure/normative_documents/in_force": 22,
    "/tables/active_disclosure/licensing/decisions": 302,
    "/tables/active_disclosure/penalty/decisions": 205,
    "/tables/active_disclosure/coercion/decisions": 18,
    "/tables/active_disclosure/fees/amount": 84.67,
    "/tables/applications/new_received/natural_person": 5,
    "/tables/applications/new_received/total": 5,
    "/tables/applications/granted/natural_person": 2,
    "/tables/applications/granted/total": 2,
    "/tables/applications/partially_granted/natural_person": 3,
    "/tables/applications/partially_granted/total": 3,
    "/tables/applications/handled_total/natural_person": 5,
    "/tables/applications/handled_total/total": 5,
}


def check(report: Report) -> None:
    """All 200 cells are the seed's: the figures above, 0 elsewhere, and the same as the
    text reader reads from the seed itself."""
    cells = dict(report.cells())
    assert len(cells) == 200
    assert {p: v for p, v in cells.items() if v != 0} == NONZERO
    seed = load(str(SEED)).report
    assert seed is not None and dict(seed.cells()) == cells

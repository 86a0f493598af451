"""What the printed and scanned fixtures (tests/fixtures/printed, tests/fixtures/scans) must read
as: the figures of their source report, by hand — the seed's figures (seedfigures.NONZERO, every
other cell 0) for the Dongxiang pages, the hand-checked truth file for the Shanghai page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import seedfigures
from nianbao.template import describe

FIXTURES = Path(__file__).parent / "fixtures"
PRINTED = FIXTURES / "printed"
SCANS = FIXTURES / "scans"
SHANGHAI_TRUTH = FIXTURES / "corpus" / "shanghai-office-2019.truth.json"


def _leaves(node: Any, prefix: str) -> dict[str, Any]:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for k, v in node.items():
            out.update(_leaves(v, f"{prefix}/{k}"))
        return out
    return {prefix: node}


def expected(path: Path) -> tuple[str, int, dict[str, Any]]:
    """(template, year, every cell pointer → value) for a printed or scanned fixture."""
    if path.name.startswith("shanghai-office-2019"):
        truth = json.loads(SHANGHAI_TRUTH.read_text(encoding="utf-8"))
        return truth["template"], truth["meta"]["year"], _leaves(truth["tables"], "/tables")
    pointers = [row.cell(c.key) for t in describe("2021").tables.values() for row in t.rows for c in row.columns]
    return "2021", 2021, {p: seedfigures.NONZERO.get(p, 0) for p in pointers}


def wrong_cells(report: Any, cells: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """pointer → (read, expected) for every cell read otherwise than printed."""
    out = {}
    for pointer, value in cells.items():
        got = report.get(pointer)
        if got != value or type(got) is not type(value):
            out[pointer] = (got, value)
    return out

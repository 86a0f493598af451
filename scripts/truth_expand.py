"""Expand a hand transcription of a real report into its truth file (tests/fixtures/real/*.truth.json).

The transcription is what a person typed while reading the document (the rendered PDF pages,
the HTML page in a browser, the text file): the meta, the section headings as printed, and the
figures of tables 二, 三 and 四 row by row in the template's order. This script only lays
those figures out under the model's JSON pointers, lists blanks and unreadable cells, and
recomputes the printed identities from the typed figures. It deliberately imports nothing of
nianbao: a truth file must not depend on the reader it judges.

    python scripts/truth_expand.py tests/fixtures/real/NAME.transcript.json

In the ``t2``/``t3``/``t4`` rows: a number is a printed figure, ``null`` a cell printed blank
(""/"/"/"-"/"—"/"无"), ``"?"`` a cell that cannot be read unambiguously from the source (left
out of ``tables``, so it is not scored, and listed in ``unreadable``).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"

COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")
ROWS_2021 = (
    "new_received",
    "carried_over",
    "granted",
    "partially_granted",
    *(
        f"denied/{k}"
        for k in (
            "state_secret",
            "prohibited_by_law",
            "security_stability",
            "third_party_rights",
            "internal_affairs",
            "process_information",
            "enforcement_files",
            "query_matters",
        )
    ),
    "unavailable/not_held",
    "unavailable/needs_creation",
    "unavailable/still_unclear",
    *(f"not_processed/{k}" for k in ("complaint", "duplicate", "publication", "excessive", "confirmation")),
    "other/no_correction",
    "other/fee_unpaid",
    "other/other",
    "handled_total",
    "carried_forward",
)
ROWS_2019 = (*ROWS_2021[:20], "other", *ROWS_2021[23:])
T2_2021 = {
    "regulations": ("issued", "repealed", "in_force"),
    "normative_documents": ("issued", "repealed", "in_force"),
    "licensing": ("decisions",),
    "penalty": ("decisions",),
    "coercion": ("decisions",),
    "fees": ("amount",),
}
T2_2019 = {
    "regulations": ("produced", "published", "public_total"),
    "normative_documents": ("produced", "published", "public_total"),
    "licensing": ("items_prior", "items_change", "decisions"),
    "other_services": ("items_prior", "items_change", "decisions"),
    "penalty": ("items_prior", "items_change", "decisions"),
    "coercion": ("items_prior", "items_change", "decisions"),
    "fees": ("items_prior", "items_change"),
    "procurement": ("items", "amount_yuan"),
}
T4_ROWS = ("review", "litigation_direct", "litigation_after_review")
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")


def _set(tables: dict[str, Any], pointer: str, value: Any) -> None:
    parts = pointer.strip("/").split("/")[1:]  # drop "tables"
    node = tables
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def expand(transcript: dict[str, Any]) -> dict[str, Any]:
    t2_shape = transcript.get("table_templates", {}).get("active_disclosure", transcript["template"])
    t3_shape = transcript.get("table_templates", {}).get("applications", transcript["template"])
    cells: dict[str, Any] = {}
    t2 = T2_2021 if t2_shape == "2021" else T2_2019
    for row, fields in t2.items():
        values = transcript["t2"][row]
        assert len(values) == len(fields), (row, values)
        for f, v in zip(fields, values, strict=True):
            cells[f"/tables/active_disclosure/{row}/{f}"] = v
    rows = ROWS_2021 if t3_shape == "2021" else ROWS_2019
    assert len(transcript["t3"]) == len(rows), (len(transcript["t3"]), len(rows))
    for row, values in zip(rows, transcript["t3"], strict=True):
        assert len(values) == 7, (row, values)
        for c, v in zip(COLUMNS, values, strict=True):
            cells[f"/tables/applications/{row}/{c}"] = v
    assert len(transcript["t4"]) == 15
    for n, v in enumerate(transcript["t4"]):
        cells[f"/tables/review_litigation/{T4_ROWS[n // 5]}/{T4_COLUMNS[n % 5]}"] = v

    tables: dict[str, Any] = {}
    blank, unreadable = [], []
    for pointer, v in cells.items():
        if v == "?":
            unreadable.append(pointer)
            continue
        if v is None:
            blank.append(pointer)
        _set(tables, pointer, v)

    checks = _identities(cells, rows)
    source = FIXTURES / transcript["file"]
    truth = {
        "model": "nianbao.report/1",
        "template": transcript["template"],
        **({"table_templates": transcript["table_templates"]} if "table_templates" in transcript else {}),
        "source": {
            "uri": transcript["file"],
            "format": transcript["format"],
            "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
        },
        "meta": transcript["meta"],
        "sections": [key for key, _ in transcript["sections"]],
        "section_details": [{"key": key, "heading": heading} for key, heading in transcript["sections"]],
        "tables": tables,
        "blank_cells": blank,
        "unreadable": unreadable,
        "known_defects": transcript.get("known_defects", []),
        "notes": transcript.get("notes", ""),
        "identity_checks": checks,
        "cell_counts": {
            "recorded_with_value": sum(1 for v in cells.values() if v not in (None, "?")),
            "recorded_blank": len(blank),
            "unreadable": len(unreadable),
            "recorded_total": len(cells) - len(unreadable),
        },
        "transcript": {k: transcript[k] for k in ("t2", "t3", "t4")},
    }
    return truth


def _identities(cells: dict[str, Any], rows: tuple[str, ...]) -> dict[str, list[str]]:
    """The printed identities recomputed from the typed figures (blank read as 0; a check with an
    unreadable cell is not checkable)."""
    holds: list[str] = []
    fails: list[str] = []
    not_checkable: list[str] = []

    def v(pointer: str) -> int | float | None:
        x = cells[pointer]
        return None if x == "?" else (x or 0)

    def check(name: str, left: list[str], right: list[str]) -> None:
        lv, rv = [v(p) for p in left], [v(p) for p in right]
        if None in lv or None in rv:
            not_checkable.append(name)
            return
        a, b = sum(lv), sum(rv)  # type: ignore[arg-type]
        (holds if abs(a - b) < 1e-9 else fails).append(f"{name}: {a} vs {b}")

    a = "/tables/applications/"
    outcomes = [r for r in rows if r not in ("new_received", "carried_over", "handled_total", "carried_forward")]
    for c in COLUMNS:
        check(
            f"T301 {c}: 一+二 = （七）+四",
            [f"{a}new_received/{c}", f"{a}carried_over/{c}"],
            [f"{a}handled_total/{c}", f"{a}carried_forward/{c}"],
        )
        check(f"T302 {c}: （七） = Σ outcomes", [f"{a}handled_total/{c}"], [f"{a}{r}/{c}" for r in outcomes])
    for r in rows:
        check(f"T303 {r}: 总计 = Σ columns", [f"{a}{r}/total"], [f"{a}{r}/{c}" for c in COLUMNS[:-1]])
    for r in T4_ROWS:
        b = f"/tables/review_litigation/{r}/"
        check(f"T401 {r}: Σ = 总计", [f"{b}total"], [f"{b}{c}" for c in T4_COLUMNS[:-1]])
    return {"holds": holds, "fails": fails, "not_checkable": not_checkable}


def main(argv: list[str]) -> int:
    for name in argv:
        path = Path(name)
        transcript = json.loads(path.read_text(encoding="utf-8"))
        truth = expand(transcript)
        out = path.with_name(path.name.replace(".transcript.json", ".truth.json"))
        out.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        fails = truth["identity_checks"]["fails"]
        print(f"{out.name}: {truth['cell_counts']}; identities failing: {fails}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

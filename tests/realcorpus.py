"""The real corpus against its hand-transcribed truth: shared by tests/test_real_corpus.py and
scripts/corpus_table.py.

A truth file (``tests/fixtures/real/*.truth.json``, ``tests/fixtures/corpus/*.truth.json``)
names its source file (``source.uri``, relative to tests/fixtures), and gives every table cell
as printed (null for a blank), the template, the meta, the section headings as printed and
the defects the document really has (``known_defects``: rule id, level, what, pointers).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from nianbao import engine
from nianbao.loader import Loaded, load
from nianbao.model import Finding, Report

FIXTURES = Path(__file__).parent / "fixtures"
_SPACE = re.compile(r"\s+")


def truth_files() -> list[Path]:
    return sorted((FIXTURES / "real").glob("*.truth.json")) + sorted((FIXTURES / "corpus").glob("*.truth.json"))


def leaves(node: dict[str, Any], prefix: str = "/tables") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "extras":
            continue
        if isinstance(value, dict):
            out.update(leaves(value, f"{prefix}/{key}"))
        else:
            out[f"{prefix}/{key}"] = value
    return out


def same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) < 1e-6
    return a == b


def fold(text: str | None) -> str | None:
    return None if text is None else _SPACE.sub("", text)


@dataclass
class Outcome:
    truth_path: Path
    truth: dict[str, Any]
    loaded: Loaded
    findings: list[Finding] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.truth_path.name.removesuffix(".truth.json")

    @property
    def report(self) -> Report:
        assert self.loaded.report is not None, self.loaded.error and self.loaded.error.message
        return self.loaded.report

    def wrong_cells(self) -> dict[str, tuple[Any, Any]]:
        """pointer → (truth, read) for every cell read otherwise than printed."""
        want = leaves(self.truth["tables"])
        if self.loaded.report is None:
            return {p: (v, None) for p, v in want.items()}
        return {p: (v, self.report.get(p)) for p, v in want.items() if not same(v, self.report.get(p))}

    def cell_count(self) -> int:
        return len(leaves(self.truth["tables"]))

    def meta_mismatches(self) -> dict[str, tuple[Any, Any]]:
        out: dict[str, tuple[Any, Any]] = {}
        if self.loaded.report is None:
            return {"report": ("readable", self.loaded.error and self.loaded.error.message)}
        got = self.report.data
        if got.get("template") != self.truth["template"]:
            out["template"] = (self.truth["template"], got.get("template"))
        for table, shape in self.truth.get("table_templates", {}).items():
            if got.get("table_templates", {}).get(table) != shape:
                out[f"table_templates/{table}"] = (shape, got.get("table_templates", {}).get(table))
        for key, want in self.truth["meta"].items():
            have = got["meta"].get(key)
            if key == "title":
                want, have = fold(want), fold(have)
            if want != have:
                out[f"meta/{key}"] = (want, have)
        sections = [(s["key"], fold(s["heading"])) for s in got.get("sections", [])]
        wanted = [(d["key"], fold(d["heading"])) for d in self.truth["section_details"]]
        if sections != wanted:
            out["sections"] = (wanted, sections)
        return out

    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    def explained(self, finding: Finding) -> bool:
        """Whether a finding is one of the document's known defects (same rule; and one of the
        defect's pointers among the finding's, when the defect names pointers)."""
        for defect in self.truth.get("known_defects", []):
            if defect["rule"] != finding.rule:
                continue
            wanted = defect.get("pointers") or []
            if not wanted or any(p.startswith(w) or w.startswith(p) for p in finding.pointers for w in wanted):
                return True
        return False

    def unexplained_errors(self) -> list[Finding]:
        return [f for f in self.errors() if not self.explained(f)]

    def defects_found(self) -> list[tuple[dict[str, Any], bool]]:
        found = []
        for defect in self.truth.get("known_defects", []):
            wanted = defect.get("pointers") or []
            hit = any(
                f.rule == defect["rule"]
                and (not wanted or any(p.startswith(w) or w.startswith(p) for p in f.pointers for w in wanted))
                for f in self.findings
            )
            found.append((defect, hit))
        return found


@cache
def outcomes() -> tuple[Outcome, ...]:
    """Every truth file's report read and checked, in one run (so that the cross-year rules see
    an organ's consecutive reports)."""
    items: list[Outcome] = []
    for path in truth_files():
        truth = json.loads(path.read_text(encoding="utf-8"))
        items.append(Outcome(path, truth, load(str(FIXTURES / truth["source"]["uri"]))))
    run = engine.run([o.loaded for o in items])
    for outcome, result in zip(items, run.results, strict=True):
        outcome.findings = list(result.findings)
    return tuple(items)

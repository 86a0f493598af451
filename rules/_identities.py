"""The identities of table 三 as linear equations over cell pointers, derived from the template
description (:func:`nianbao.template.describe`), so that the 2019 and 2021 shapes, and any later
one described the same way, get theirs without a label list in code.

Per column: 一 + 二 = （七）总计 + 四 (the identity the form prints), and （七）总计 = the sum of the
outcome rows (every row printed between 二 and （七）). Per row: 总计 = the sum of the six applicant
columns. Row and column roles come from the model's fixed keys (report-model.md), labels from the
template description.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from nianbao.i18n import _, pgettext
from nianbao.model import Report, derived
from nianbao.template import Row, Table, cell_values, describe, ordinal

TABLE = "applications"
#: report-model.md keys: the rows and the column that the identities give a role
INTAKE = ("new_received", "carried_over")
HANDLED = "handled_total"
FORWARD = "carried_forward"
TOTAL = "total"

Number = int | float


@dataclass(frozen=True, eq=False)  # hashed by identity: they are made once per template and used as keys
class Identity:
    """``Σ lhs = Σ rhs``; ``residual`` is Σ lhs − Σ rhs (0 when it holds)."""

    kind: str  # "column" (一+二 = （七）+四), "outcome" (（七） = Σ outcomes), "row" (总计 = Σ columns)
    scope: str  # the printed column or row it is about
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    lhs_label: str
    rhs_label: str
    #: how the right-hand side is shown: its cells summed by these parts (the groups of the label)
    rhs_parts: tuple[tuple[str, ...], ...] = ()

    @property
    def pointers(self) -> tuple[str, ...]:
        return self.lhs + self.rhs

    def coefficient(self, pointer: str) -> int:
        """+1 for a left-hand cell, −1 for a right-hand one, 0 for a cell not in the identity."""
        return self.lhs.count(pointer) - self.rhs.count(pointer)

    @property
    def name(self) -> str:
        return f"{self.lhs_label} = {self.rhs_label} ({self.scope})"

    def residual(self, values: Mapping[str, Any]) -> Number | None:
        """Σ lhs − Σ rhs, or None when a cell is blank (a blank is unknown, never 0)."""
        for p in self.pointers:
            v = values.get(p)
            kind = type(v)
            if kind is not int and kind is not float and not _is_number(v):
                return None
        return sum(values[p] for p in self.lhs) - sum(values[p] for p in self.rhs)

    def explain(self, values: Mapping[str, Any], scope: str | None = None) -> str:
        """The identity with its figures, as printed, e.g. ``一+二 = 5+0 = 5 but （七）总计+四 = 4+0 = 4 (自然人)``
        (表三“自然人”列：一+二 = 5+0 = 5，但（七）总计+四 = 4+0 = 4); ``scope`` names the column or row in
        place of :attr:`scope`."""
        fields = {
            "lhs": self.lhs_label,
            "left": self._side(tuple((p,) for p in self.lhs), values),
            "rhs": self.rhs_label,
            "right": self._side(self.rhs_parts or tuple((p,) for p in self.rhs), values),
            "scope": self.scope if scope is None else scope,
        }
        holds = self.residual(values) == 0
        if self.kind == "row":
            if holds:
                return pgettext("table 三 row", "{lhs} = {left} = {rhs} = {right} ({scope})", **fields)
            return pgettext("table 三 row", "{lhs} = {left} but {rhs} = {right} ({scope})", **fields)
        if holds:
            return pgettext("table 三 column", "{lhs} = {left} = {rhs} = {right} ({scope})", **fields)
        return pgettext("table 三 column", "{lhs} = {left} but {rhs} = {right} ({scope})", **fields)

    @staticmethod
    def _side(parts: tuple[tuple[str, ...], ...], values: Mapping[str, Any]) -> str:
        figures = [_sum([values.get(p) for p in part]) for part in parts]
        shown = "+".join(_("空") if v is None else _fmt(v) for v in figures)
        if len(figures) == 1:
            return shown
        if any(v is None for v in figures):
            return shown
        # rounded so that 0.1+0.2 style float noise never shows in a sum of whole counts
        return f"{shown} = {_fmt(round(sum(figures), 6))}"


def _sum(figures: list[Any]) -> Number | None:
    """The sum of a part, None (shown 空) when a cell in it is blank."""
    if any(not _is_number(v) for v in figures):
        return None
    return sum(figures)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _fmt(v: Number) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def row_label(row: Row) -> str:
    """The row's label as printed, with its group's ordinal when it sits in a group."""
    return row.printed


def row_short(row: Row) -> str:
    """A short name for a row in a formula: "一", "（七）总计", "（三）1"."""
    if row.group:
        return f"{ordinal(row.group)}{ordinal(row.label)}"
    short = ordinal(row.label)
    # （七）总计 reads better than a bare （七）: the form's own identity names it so
    return row.label if short != row.label and len(row.label) <= 6 else short


def cell_label(table: Table, pointer: str) -> str:
    """``row / column`` as printed, e.g. "（三）1.属于国家秘密 / 自然人"."""
    for row in table.rows:
        for column in row.columns:
            if row.cell(column.key) == pointer:
                return f"{row_label(row)} / {column.label}"
    return pointer


def _outcomes(table: Table) -> tuple[list[Row], list[tuple[str, list[Row]]]]:
    """The outcome rows (between 二 and （七）) and, for the formula, the same rows by group
    (a stand-alone row is its own group)."""
    keys = [r.path[0] for r in table.rows]
    start = max(keys.index(k) for k in INTAKE) + 1
    stop = keys.index(HANDLED)
    rows = list(table.rows[start:stop])
    grouped: list[tuple[str, list[Row]]] = []
    for row in rows:
        name = ordinal(row.group) if row.group else ordinal(row.label)
        if grouped and row.group and grouped[-1][0] == name:
            grouped[-1][1].append(row)
        else:
            grouped.append((name, [row]))
    return rows, grouped


@cache
def applications(template: str) -> tuple[Identity, ...]:
    """Every identity of table 三 in template ``template``: per column the printed one and the
    outcome sum, then per row the total."""
    table = describe(template).tables[TABLE]
    by_key = {r.path: r for r in table.rows}
    received, carried = (by_key[(k,)] for k in INTAKE)
    handled, forward = by_key[(HANDLED,)], by_key[(FORWARD,)]
    outcomes, grouped = _outcomes(table)
    columns = handled.columns
    out: list[Identity] = []
    for col in columns:
        c = col.key
        out.append(
            Identity(
                "column",
                col.label,
                (received.cell(c), carried.cell(c)),
                (handled.cell(c), forward.cell(c)),
                f"{row_short(received)}+{row_short(carried)}",
                f"{row_short(handled)}+{row_short(forward)}",
            )
        )
        # a group of rows (（三）1…8) is named by its ordinal and shown as its sum
        parts = "+".join(name for name, _ in grouped)
        out.append(
            Identity(
                "outcome",
                col.label,
                (handled.cell(c),),
                tuple(r.cell(c) for r in outcomes),
                row_short(handled),
                parts,
                tuple(tuple(r.cell(c) for r in rows) for _, rows in grouped),
            )
        )
    total = next(col for col in columns if col.key == TOTAL)
    parts = [col for col in columns if col.key != TOTAL]
    for row in table.rows:
        out.append(
            Identity(
                "row",
                row_label(row),
                (row.cell(total.key),),
                tuple(row.cell(col.key) for col in parts),
                total.label,
                "+".join(col.label for col in parts),
            )
        )
    return tuple(out)


@cache
def cells(template: str) -> tuple[str, ...]:
    """Every cell pointer of table 三, in printed order."""
    table = describe(template).tables[TABLE]
    return tuple(row.cell(col.key) for row in table.rows for col in row.columns)


@derived  # T301-T303 and T310 read the same figures: evaluated once per report
def evaluated(report: Report) -> tuple[dict[str, Any], dict[Identity, Number | None]] | None:
    """Table 三's cells (pointer → value, None when blank or absent) and each identity of its
    template with its residual (None when an operand is blank); None without a table 三 in a
    recognised template."""
    shape = report.table_template(TABLE)
    if shape not in ("2021", "2019"):
        return None
    held = cell_values(report)
    values = {p: held.get(p) for p in cells(shape)}
    if set(map(type, values.values())) == {int}:
        # every cell a whole count (the common table): each residual is its sums, with no
        # operand to test first (an identity's cells are all among the table's)
        get = values.__getitem__
        return values, {i: sum(map(get, i.lhs)) - sum(map(get, i.rhs)) for i in applications(shape)}
    return values, {identity: identity.residual(values) for identity in applications(shape)}

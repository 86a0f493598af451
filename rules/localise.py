"""T310: when the identities of table 三 fail, find the smallest set of cells whose change makes
every identity hold, and name the cell and its value when that set is one cell and only one."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nianbao import Finding, Fix, Report, Skip, hookimpl, rule
from nianbao.i18n import _, ngettext
from nianbao.rule import Rule, RuleContext
from nianbao.rules import _identities as ids
from nianbao.template import describe

if TYPE_CHECKING:
    from fractions import Fraction

#: how many alternative explanations a message lists before "and N more"
SHOWN = 6


@dataclass(frozen=True)
class Change:
    pointer: str
    old: int | float
    new: int | float


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _div(n: Any, d: int) -> Any:
    """n / d, kept an int when it divides (the usual case: coefficients are ±1, ±2); exact otherwise."""
    if isinstance(n, int) and n % d == 0:
        return n // d
    from fractions import Fraction  # here: a report whose table 三 adds up never needs it

    return Fraction(n) / d


def _corrected(old: int | float, delta: Fraction) -> int | float | None:
    """The value after the change, or None when it cannot be a count (negative, or a fraction of
    an application where the table holds whole numbers)."""
    from fractions import Fraction

    new = Fraction(old) + delta
    if new < 0:
        return None
    if isinstance(old, int) or new.denominator == 1:
        return int(new) if new.denominator == 1 else None
    return float(new)


def membership(identities: Sequence[ids.Identity]) -> dict[str, dict[ids.Identity, int]]:
    """For each cell, the identities it is in with its coefficient there (the equations' columns)."""
    out: dict[str, dict[ids.Identity, int]] = {}
    for e in identities:
        for pointer in e.pointers:
            out.setdefault(pointer, {})[e] = e.coefficient(pointer)
    return out


def single_cells(
    identities: Sequence[ids.Identity], residuals: Mapping[ids.Identity, Any], values: Mapping[str, Any]
) -> list[Change]:
    """Every cell whose change alone makes every checked identity hold.

    Changing cell c by Δ moves the residual of each identity e by coef(e, c)·Δ. So c explains the
    failures iff every failing identity contains c, and one Δ zeroes the residual of every checked
    identity containing c: an identity with c that holds now would break (Δ ≠ 0), so it rules c out.
    """
    failing = [e for e in identities if residuals[e]]
    member = membership(identities)
    found: list[Change] = []
    for pointer in dict.fromkeys(failing[0].pointers):
        mine = member[pointer]
        if not _number(values.get(pointer)) or any(f not in mine for f in failing):
            continue
        deltas = {_div(-residuals[e], coef) for e, coef in mine.items()}
        if len(deltas) != 1:
            continue
        new = _corrected(values[pointer], deltas.pop())
        if new is not None:
            found.append(Change(pointer, values[pointer], new))
    return found


def _solve2(rows: list[tuple[int, int, Any]]) -> tuple[Any, Any] | None:
    """(Δ1, Δ2) with a1·Δ1 + a2·Δ2 = r for every (a1, a2, r), or None when there is none or the
    rows do not pin a single solution down."""
    for i, (a1, a2, r) in enumerate(rows):
        for b1, b2, s in rows[i + 1 :]:
            det = a1 * b2 - a2 * b1
            if det:
                d1 = _div(r * b2 - a2 * s, det)
                d2 = _div(a1 * s - r * b1, det)
                if all(x1 * d1 + x2 * d2 == t for x1, x2, t in rows):
                    return d1, d2
                return None
    return None


def pairs(
    identities: Sequence[ids.Identity], residuals: Mapping[ids.Identity, Any], values: Mapping[str, Any]
) -> list[tuple[Change, Change]]:
    """Every pair of cells whose change together makes every checked identity hold, neither
    change being zero. One of the two (p1) is in the first failing identity. The other (p2) must
    be in every failing identity p1 is not in; if p1 is in all of them, p2 must share an identity
    with p1 (else p2's identities all hold and its change would have to be zero). That bounds the
    search to a few hundred pairs."""
    failing = {e for e in identities if residuals[e]}
    first = next(e for e in identities if residuals[e])
    member = membership(identities)
    seen: set[tuple[str, str]] = set()
    found: list[tuple[Change, Change]] = []
    for p1 in dict.fromkeys(first.pointers):
        if not _number(values.get(p1)):
            continue
        m1 = member[p1]
        required = failing - m1.keys()
        around = next(iter(required)).pointers if required else [p for e in m1 for p in e.pointers]
        for p2 in dict.fromkeys(around):
            pair = (p1, p2) if p1 < p2 else (p2, p1)
            if p1 == p2 or pair in seen or not _number(values.get(p2)):
                continue
            seen.add(pair)
            m2 = member[p2]
            if not required <= m2.keys():
                continue
            touched = dict.fromkeys([*m1, *m2])
            solved = _solve2([(m1.get(e, 0), m2.get(e, 0), -residuals[e]) for e in touched])
            if solved is None or not all(solved):
                continue
            new1, new2 = _corrected(values[p1], solved[0]), _corrected(values[p2], solved[1])
            if new1 is not None and new2 is not None:
                found.append((Change(p1, values[p1], new1), Change(p2, values[p2], new2)))
    return found


def _fmt(v: int | float) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def _more(items: list[str]) -> str:
    shown = _("; ").join(items[:SHOWN])
    return shown + (_("; and {n} more", n=len(items) - SHOWN) if len(items) > SHOWN else "")


@rule(
    "T310",
    "applications-cell-fix",
    "error",
    "When table 三's identities fail, the one cell (if there is exactly one) whose correction makes them all hold.",
    """
    Table 三 obeys three sets of identities: per column 一+二 = （七）总计+四 and （七）总计 = the sum
    of the outcome rows, per row 总计 = the sum of the six applicant columns. A single mistyped cell
    breaks its row identity and its column identity, which cross at it. The rule treats the
    identities as linear equations and tries every cell: a cell explains the failures when one
    corrected value makes every identity hold. When exactly one cell does, the finding names it
    and the value (the finding's ``fix``). When several cells fit equally, or no single cell fits and
    the smallest explanation is two cells (or more), the finding says so at level note and proposes
    no fix: picking one would be a guess. A blank cell is unknown, never 0: identities involving
    one are not used, and the message says how many were left out.
    """,
    "国办公开办函〔2021〕30号 (table 三: 本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)",
    options={"pairs": True},
)
def applications_cell_fix(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    template = report.table_template(ids.TABLE)
    if template not in ("2019", "2021") or not report.tables.get(ids.TABLE):
        raise Skip(_("the report has no table 三 in a recognised template"))
    evaluated = ids.evaluated(report)
    assert evaluated is not None
    values, residual = evaluated
    identities = ids.applications(template)
    checked = [e for e in identities if residual[e] is not None]
    if not checked:
        raise Skip(_("every identity of table 三 involves a blank cell, so none can be checked"))
    # residuals stay ints for count cells: exact, and much faster than Fraction in the pair search
    residuals = {e: residual[e] or 0 for e in checked}
    failing = [e for e in checked if residuals[e]]
    if not failing:
        return
    table = describe(template).tables[ids.TABLE]
    label = lambda p: ids.cell_label(table, p)  # noqa: E731 - a local shorthand
    unchecked = len(identities) - len(checked)
    tail = _(" ({n} identities involving blank cells not checked)", n=unchecked) if unchecked else ""
    broken = _("; ").join(e.explain(values) for e in failing)
    n = len(failing)

    singles = single_cells(checked, residuals, values)
    if len(singles) == 1:
        c = singles[0]
        yield Finding(
            ngettext(
                "{cell} reads {old}; {new} would make the failing identity hold: {broken}{tail}",
                "{cell} reads {old}; {new} would make all {n} failing identities hold: {broken}{tail}",
                n,
                cell=label(c.pointer),
                old=_fmt(c.old),
                new=_fmt(c.new),
                broken=broken,
                tail=tail,
            ),
            [c.pointer],
            fix=Fix(c.pointer, c.new),
        )
        return
    if singles:
        options = [f"{label(c.pointer)} {_fmt(c.old)} → {_fmt(c.new)}" for c in singles]
        yield Finding(
            ngettext(
                "{cells} cells each explain the failing identity equally, so none is named: {options}. "
                "Failing: {broken}{tail}",
                "{cells} cells each explain the {n} failing identities equally, so none is named: {options}. "
                "Failing: {broken}{tail}",
                n,
                cells=len(singles),
                options=_more(options),
                broken=broken,
                tail=tail,
            ),
            [c.pointer for c in singles],
            level="note",
        )
        return
    search = bool(ctx.option("pairs", True))
    found = pairs(checked, residuals, values) if search else []
    if not found:
        if search:
            text = ngettext(
                "neither a single cell nor a pair of cells explains the failing identity; "
                "at least 3 figures are wrong. Failing: {broken}{tail}",
                "neither a single cell nor a pair of cells explains the {n} failing identities; "
                "at least 3 figures are wrong. Failing: {broken}{tail}",
                n,
                broken=broken,
                tail=tail,
            )
        else:
            text = ngettext(
                "no single cell explains the failing identity; at least 2 figures are wrong. Failing: {broken}{tail}",
                "no single cell explains the {n} failing identities; at least 2 figures are wrong. "
                "Failing: {broken}{tail}",
                n,
                broken=broken,
                tail=tail,
            )
        yield Finding(
            text,
            list(dict.fromkeys(p for e in failing for p in e.pointers)),
            level="note",
        )
        return
    options = [
        _(
            "{a} {a_old} → {a_new} with {b} {b_old} → {b_new}",
            a=label(a.pointer),
            a_old=_fmt(a.old),
            a_new=_fmt(a.new),
            b=label(b.pointer),
            b_old=_fmt(b.old),
            b_new=_fmt(b.new),
        )
        for a, b in found
    ]
    fields = {"pairs": len(found), "options": _more(options), "broken": broken, "tail": tail}
    if len(found) == 1:
        text = ngettext(
            "no single cell explains the failing identity; the smallest explanation is two cells: "
            "{options}. Failing: {broken}{tail}",
            "no single cell explains the {n} failing identities; the smallest explanation is two cells: "
            "{options}. Failing: {broken}{tail}",
            n,
            **fields,
        )
    else:
        text = ngettext(
            "no single cell explains the failing identity; {pairs} pairs of cells explain them equally, "
            "so none is named: {options}. Failing: {broken}{tail}",
            "no single cell explains the {n} failing identities; {pairs} pairs of cells explain them equally, "
            "so none is named: {options}. Failing: {broken}{tail}",
            n,
            **fields,
        )
    yield Finding(
        text,
        list(dict.fromkeys(p for a, b in found for p in (a.pointer, b.pointer))),
        level="note",
    )


@hookimpl
def nianbao_rules() -> list[Rule]:
    return [applications_cell_fix]

"""T301-T303: the identities of table 三 (收到和处理政府信息公开申请情况).

Every identity of the table is evaluated once (:func:`identities`); a failed one becomes a
finding of its rule. Pointer order: a cell that sits in more failed identities of the table is
more likely the wrong one (a single typo breaks its row and its column), so each finding lists
its cells by that count, most failures first; ties keep the printed order with the derived
cell (（七）总计 / 总计) first, since totals are typed by hand after the figures they sum.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from nianbao import Finding, Report, Skip, hookimpl, rule
from nianbao.rule import Rule, RuleContext
from nianbao.template import Row, Table, describe

TABLE = "applications"
#: rows that are not outcomes (三、本年度办理结果 sums all others into （七）总计)
_NOT_OUTCOMES = ("new_received", "carried_over", "handled_total", "carried_forward")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+(?=、)|[（(][一二三四五六七八九十]+[）)])")


@dataclass
class Identity:
    """``lhs`` (terms) = ``rhs`` (terms); terms are (short label, pointer, value)."""

    rule: str
    lhs: list[tuple[str, str, float]]
    rhs: list[tuple[str, str, float]]
    context: str  # the printed label of the column or row it runs along

    @property
    def holds(self) -> bool:
        return _total(self.lhs) == _total(self.rhs)

    def pointers(self) -> list[str]:
        return [p for _, p, _ in self.lhs + self.rhs]


def _num(value: object) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _total(terms: list[tuple[str, str, float]]) -> float:
    # rounded so that 0.1+0.2 style float noise never breaks an identity of whole counts
    return round(sum(v for _, _, v in terms), 6)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def short(label: str) -> str:
    """一、本年新收… → 一; （一）予以公开 → （一）; （七）总计 stays (too short to shorten)."""
    if len(label) <= 5:
        return label
    m = _ORDINAL.match(label)
    return m.group(0) if m else label


def side(terms: list[tuple[str, str, float]]) -> str:
    labels = "+".join(t[0] for t in terms)
    if len(terms) == 1:
        return f"{labels} = {_fmt(terms[0][2])}"
    return f"{labels} = {'+'.join(_fmt(v) for _, _, v in terms)} = {_fmt(_total(terms))}"


def _rows(table: Table, name: str) -> list[Row]:
    return [r for r in table.rows if r.path[0] == name]


def identities(report: Report) -> tuple[Table, list[Identity], Counter[str]]:
    """The table's description, every checkable identity, and how many of each rule were not
    checkable (an operand blank or missing). Raises Skip when the table is absent or unrecognised."""
    shape = report.table_template(TABLE)
    if TABLE not in report.tables or shape not in ("2021", "2019"):
        raise Skip("table 三 (收到和处理政府信息公开申请情况) was not found in the report")
    table = describe(shape).tables[TABLE]
    found: list[Identity] = []
    unknown: Counter[str] = Counter()

    def term(label: str, row: Row, column: str) -> tuple[str, str, float] | None:
        pointer = row.cell(column)
        value = _num(report.get(pointer))
        return None if value is None else (label, pointer, value)

    new, carried = _rows(table, "new_received")[0], _rows(table, "carried_over")[0]
    handled, forward = _rows(table, "handled_total")[0], _rows(table, "carried_forward")[0]
    outcome_rows = [r for r in table.rows if r.path[0] not in _NOT_OUTCOMES]
    groups: dict[str, list[Row]] = {}
    for row in outcome_rows:
        groups.setdefault(row.path[0], []).append(row)

    for column in handled.columns:
        # T301: 一 + 二 = （七）总计 + 四, the identity the form prints under the table
        parts = [
            term(short(new.label), new, column.key),
            term(short(carried.label), carried, column.key),
            term(short(handled.label), handled, column.key),
            term(short(forward.label), forward, column.key),
        ]
        if all(parts):
            found.append(Identity("T301", parts[:2], parts[2:], column.label))  # type: ignore[arg-type]
        else:
            unknown["T301"] += 1
        # T302: （七）总计 = （一）+（二）+Σ（三）+Σ（四）+Σ（五）+Σ（六）, a group shown as its sum
        total = term(short(handled.label), handled, column.key)
        summands: list[tuple[str, str, float]] = []
        complete = total is not None
        for rows in groups.values():
            cells = [term("", r, column.key) for r in rows]
            if not all(cells):
                complete = False
                break
            label = short(rows[0].group or rows[0].label)
            summands.extend((label, p, v) for _, p, v in cells)  # type: ignore[misc]
        if complete:
            found.append(Identity("T302", [total], summands, column.label))  # type: ignore[list-item]
        else:
            unknown["T302"] += 1

    for row in table.rows:
        # T303: 总计 = 自然人 + the five 法人或其他组织 columns
        label = f"{row.group} {row.label}" if row.group else row.label
        total_column = next(c for c in row.columns if c.key == "total")
        stated = term(total_column.label, row, total_column.key)
        cells = [term(c.label, row, c.key) for c in row.columns if c.key != "total"]
        if stated and all(cells):
            found.append(Identity("T303", [stated], cells, label))  # type: ignore[arg-type]
        else:
            unknown["T303"] += 1
    return table, found, unknown


def _grouped(terms: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    """Consecutive terms of one group (（三）1…8) summed, for a readable message."""
    out: list[tuple[str, str, float]] = []
    for label, pointer, value in terms:
        if out and out[-1][0] == label:
            out[-1] = (label, out[-1][1], out[-1][2] + value)
        else:
            out.append((label, pointer, value))
    return out


def _findings(report: Report, rule_id: str) -> Iterator[Finding]:
    _, found, unknown = identities(report)
    mine = [i for i in found if i.rule == rule_id]
    if not mine:
        raise Skip(
            f"no {rule_id} identity of table 三 could be checked: {unknown[rule_id]} had a blank or missing cell (T002)"
        )
    suspicion = Counter(p for i in found if not i.holds for p in i.pointers())
    for identity in mine:
        if identity.holds:
            continue
        # derived cell first (lhs for T302/T303; rhs （七）总计 for T301), then by failures
        if rule_id == "T301":
            ordered = identity.rhs[:1] + identity.lhs + identity.rhs[1:]
        else:
            ordered = identity.lhs + identity.rhs
        pointers = [p for _, p, _ in ordered]
        pointers.sort(key=lambda p: -suspicion[p])
        if rule_id == "T302":
            lhs, rhs = side(identity.lhs), side(_grouped(identity.rhs))
        else:
            lhs, rhs = side(identity.lhs), side(identity.rhs)
        yield Finding(f"{lhs} but {rhs} ({identity.context})", pointers)


@rule(
    "T301",
    "applications-column-identity",
    "error",
    "Table 三, per column: 一 + 二 = （七）总计 + 四.",
    """
    The form prints this identity under table 三: "第一项加第二项之和，等于第三项加第四项之和".
    Applications received this year (一) plus those carried over (二) are either handled this
    year (三（七）总计) or carried forward (四). Checked for every applicant column; a column with
    a blank operand is not checked (T002 reports the blank). Correct the figure that was typed
    wrong; the first pointer is the cell that breaks the most identities of the table.
    """,
    "国办公开办函〔2021〕30号 表三 勾稽关系",
)
def column_identity(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    yield from _findings(report, "T301")


@rule(
    "T302",
    "applications-outcome-sum",
    "error",
    "Table 三, per column: （七）总计 = （一）+（二）+Σ（三）+Σ（四）+Σ（五）+Σ（六）.",
    """
    Each application is counted under exactly one outcome, so （七）总计 is the sum of （一）予以公开,
    （二）部分公开 and every sub-row of （三）不予公开, （四）无法提供, （五）不予处理 and （六）其他处理
    (three sub-rows in the 2021 template, one row in 2019). The message shows each group's sum.
    A column with a blank operand is not checked (T002 reports it).
    """,
    "国办公开办函〔2021〕30号 表三 (各项办理结果之和为总计)",
)
def outcome_sum(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    yield from _findings(report, "T302")


@rule(
    "T303",
    "applications-row-total",
    "error",
    "Table 三, per row: 总计 = 自然人 + the five 法人或其他组织 columns.",
    """
    The 总计 column adds up the applicants: 自然人 and the five kinds of 法人或其他组织 (商业企业,
    科研机构, 社会公益组织, 法律服务机构, 其他). Checked for every row with figures; a row with a
    blank cell is not checked (T002 reports it).
    """,
    "国办公开办函〔2021〕30号 表三 (申请人情况 总计)",
)
def row_total(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    yield from _findings(report, "T303")


@hookimpl
def nianbao_rules() -> list[Rule]:
    return [column_identity, outcome_sum, row_total]

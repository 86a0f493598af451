"""The table figures a narrative sentence can be held against, named by subject
(received, carried_over, granted …), each with the printed label and the cells it comes from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from nianbao.i18n import _
from nianbao.model import Report, derived
from nianbao.template import Row, describe


@dataclass(frozen=True)
class TableFigure:
    """A table figure: ``value`` None when a cell it needs is missing; ``at_least`` when blank
    cells were left out of a sum (the true figure can only be larger)."""

    label: str
    value: Decimal | None
    pointers: tuple[str, ...]
    at_least: bool = False

    def agrees(self, stated: Decimal) -> bool | None:
        """True / False, or None when the table cannot tell."""
        if self.value is None:
            return None
        if self.at_least:
            return None if stated >= self.value else False
        return stated == self.value


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return Decimal(str(value))


def _rows(report: Report, table: str, *path: str) -> tuple[_Cells, ...]:
    shape = report.table_template(table)
    if shape not in ("2021", "2019") or table not in report.tables:
        return ()
    return _described_rows(shape, table, path)


@dataclass(frozen=True)
class _Cells:
    """A row of the template with the pointers of its 总计 and of its other cells."""

    row: Row
    total: str
    parts: tuple[str, ...]


@cache
def _described_rows(shape: str, table: str, path: tuple[str, ...]) -> tuple[_Cells, ...]:
    # the template's rows under ``path``: the same for every report of the shape
    rows = [r for r in describe(shape).tables[table].rows if r.path[: len(path)] == path]
    return tuple(_Cells(r, r.cell("total"), tuple(r.cell(c.key) for c in r.columns if c.key != "total")) for r in rows)


def _row_value(report: Report, cells: _Cells) -> tuple[Decimal | None, bool, tuple[str, ...]]:
    """(value, at_least, pointers) of a row's 总计; a blank 总计 is the sum of the row's other cells
    (a lower bound when some of them are blank too), as a reader adding up the row would."""
    total = cells.total
    value = _number(report.get(total))
    if value is not None:
        return value, False, (total,)
    parts = list(cells.parts)
    known = [v for v in (_number(report.get(p)) for p in parts) if v is not None]
    if not known:
        return None, False, (total,)
    return sum(known, Decimal(0)), len(known) < len(parts), (total, *parts)


def _total(report: Report, table: str, number: str, label: str, *path: str) -> TableFigure | None:
    """The 总计 of one row, or the sum of a group's rows (blank cells as a lower bound)."""
    rows = _rows(report, table, *path)
    if not rows:
        return None
    read = [_row_value(report, r) for r in rows]
    pointers = tuple(p for _, _, ptrs in read for p in ptrs)
    known = [v for v, _, _ in read if v is not None]
    at_least = len(known) < len(read) or any(low for _, low, _ in read)
    from_cells = any(len(ptrs) > 1 for _, _, ptrs in read)
    if len(rows) == 1:
        row = rows[0].row
        name = label or row.label
        if name.endswith("总计"):
            text = _("table {number} {name}", number=number, name=name)
        else:
            text = _("table {number} {name} 总计", number=number, name=name)
        if from_cells:
            text = _("table {number} {name}: the sum of its columns (总计 blank)", number=number, name=name)
        return TableFigure(text, read[0][0], pointers, at_least=at_least and read[0][0] is not None)
    group = rows[0].row.group or label
    text = _("table {number} {group}: the sum of its totals", number=number, group=group)
    if not known:
        return TableFigure(text, None, pointers)
    return TableFigure(text, sum(known, Decimal(0)), pointers, at_least=at_least)


def _app(report: Report, label: str, *path: str) -> TableFigure | None:
    return _read(report, "applications", "三", label, path)


def _review(report: Report, label: str, *path: str) -> TableFigure | None:
    return _read(report, "review_litigation", "四", label, path)


def _read(report: Report, table: str, number: str, label: str, path: tuple[str, ...]) -> TableFigure | None:
    # several subjects name the same rows (本年新收 for 收到 and for 办理): each read once
    memo = _totals(report)
    key = (table, label, path)
    if key not in memo:
        memo[key] = _total(report, table, number, label, *path)
    return memo[key]


@derived
def _totals(report: Report) -> dict[tuple[str, str, tuple[str, ...]], TableFigure | None]:
    return {}


def _plus(label: str, *parts: TableFigure | None) -> TableFigure | None:
    if any(p is None for p in parts):
        return None
    items = [p for p in parts if p is not None]
    pointers = tuple(ptr for p in items for ptr in p.pointers)
    if any(p.value is None for p in items):
        return TableFigure(label, None, pointers)
    value = sum((p.value for p in items if p.value is not None), Decimal(0))
    return TableFigure(label, value, pointers, at_least=any(p.at_least for p in items))


def expected(report: Report, subject: str) -> list[TableFigure]:
    """The figures a statement about ``subject`` may equal; the first is the one named in a
    message. Where real reports count a subject two ways (收到 with or without 上年结转), each
    way is accepted. Read from the tables when a rule first asks, once per report."""
    memo = _expected(report)
    found = memo.get(subject)
    if found is None:
        build = _CHOICES.get(subject)
        found = memo[subject] = [] if build is None else [f for f in build(report) if f is not None]
    return found


@derived
def _expected(report: Report) -> dict[str, list[TableFigure]]:
    return {}


def _new(report: Report) -> TableFigure | None:
    return _app(report, "", "new_received")


def _with_carried(report: Report) -> TableFigure | None:
    return _plus(_("table 三 一、本年新收 + 二、上年结转 总计"), _new(report), _app(report, "", "carried_over"))


#: every subject's table figures, in the order they are tried
_CHOICES: dict[str, Callable[[Report], list[TableFigure | None]]] = {
    "received": lambda r: [_new(r), _with_carried(r)],
    "processed": lambda r: [_new(r), _with_carried(r), _app(r, "", "handled_total")],
    "carried_over": lambda r: [_app(r, "", "carried_over")],
    "carried_forward": lambda r: [_app(r, "", "carried_forward")],
    "handled": lambda r: [_app(r, "", "handled_total")],
    "granted": lambda r: [_app(r, "", "granted")],
    "granted_or_partial": lambda r: [
        _plus(
            _("table 三 （一）予以公开 + （二）部分公开"),
            _app(r, "（一）予以公开", "granted"),
            _app(r, "（二）部分公开", "partially_granted"),
        )
    ],
    "partially_granted": lambda r: [_app(r, "（二）部分公开", "partially_granted")],
    "denied": lambda r: [_app(r, "", "denied")],
    "unavailable": lambda r: [_app(r, "", "unavailable")],
    "not_processed": lambda r: [_app(r, "", "not_processed")],
    "other_processing": lambda r: [_app(r, "", "other")],
    "review": lambda r: [_review(r, "行政复议", "review")],
    "litigation": lambda r: [
        _plus(
            _("table 四 行政诉讼 未经复议直接起诉 总计 + 复议后起诉 总计"),
            _review(r, "", "litigation_direct"),
            _review(r, "", "litigation_after_review"),
        ),
        _review(r, "行政诉讼 未经复议直接起诉", "litigation_direct"),
        _review(r, "行政诉讼 复议后起诉", "litigation_after_review"),
    ],
    "litigation_direct": lambda r: [_review(r, "行政诉讼 未经复议直接起诉", "litigation_direct")],
    "litigation_after_review": lambda r: [_review(r, "行政诉讼 复议后起诉", "litigation_after_review")],
}

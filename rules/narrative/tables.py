"""The table figures a narrative sentence can be held against, named by subject
(received, carried_over, granted …), each with the printed label and the cells it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

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


def _rows(report: Report, table: str, *path: str) -> list[Row]:
    shape = report.table_template(table)
    if shape not in ("2021", "2019") or table not in report.tables:
        return []
    described = describe(shape).tables[table]
    return [r for r in described.rows if r.path[: len(path)] == path]


def _row_value(report: Report, row: Row) -> tuple[Decimal | None, bool, tuple[str, ...]]:
    """(value, at_least, pointers) of a row's 总计; a blank 总计 is the sum of the row's other cells
    (a lower bound when some of them are blank too), as a reader adding up the row would."""
    total = row.cell("total")
    value = _number(report.get(total))
    if value is not None:
        return value, False, (total,)
    parts = [row.cell(c.key) for c in row.columns if c.key != "total"]
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
        row = rows[0]
        name = label or row.label
        if name.endswith("总计"):
            text = _("table {number} {name}", number=number, name=name)
        else:
            text = _("table {number} {name} 总计", number=number, name=name)
        if from_cells:
            text = _("table {number} {name}: the sum of its columns (总计 blank)", number=number, name=name)
        return TableFigure(text, read[0][0], pointers, at_least=at_least and read[0][0] is not None)
    group = rows[0].group or label
    text = _("table {number} {group}: the sum of its totals", number=number, group=group)
    if not known:
        return TableFigure(text, None, pointers)
    return TableFigure(text, sum(known, Decimal(0)), pointers, at_least=at_least)


def _app(report: Report, label: str, *path: str) -> TableFigure | None:
    return _total(report, "applications", "三", label, *path)


def _review(report: Report, label: str, *path: str) -> TableFigure | None:
    return _total(report, "review_litigation", "四", label, *path)


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
    way is accepted."""
    return _choices(report).get(subject, [])


@derived
def _choices(report: Report) -> dict[str, list[TableFigure]]:
    """Every subject's table figures, read once per report."""
    new = _app(report, "", "new_received")
    carried = _app(report, "", "carried_over")
    handled = _app(report, "", "handled_total")
    forward = _app(report, "", "carried_forward")
    with_carried = _plus(_("table 三 一、本年新收 + 二、上年结转 总计"), new, carried)
    choices: dict[str, list[TableFigure | None]] = {
        "received": [new, with_carried],
        "processed": [new, with_carried, handled],
        "carried_over": [carried],
        "carried_forward": [forward],
        "handled": [handled],
        "granted": [_app(report, "", "granted")],
        "granted_or_partial": [
            _plus(
                _("table 三 （一）予以公开 + （二）部分公开"),
                _app(report, "（一）予以公开", "granted"),
                _app(report, "（二）部分公开", "partially_granted"),
            )
        ],
        "partially_granted": [_app(report, "（二）部分公开", "partially_granted")],
        "denied": [_app(report, "", "denied")],
        "unavailable": [_app(report, "", "unavailable")],
        "not_processed": [_app(report, "", "not_processed")],
        "other_processing": [_app(report, "", "other")],
        "review": [_review(report, "行政复议", "review")],
        "litigation": [
            _plus(
                _("table 四 行政诉讼 未经复议直接起诉 总计 + 复议后起诉 总计"),
                _review(report, "", "litigation_direct"),
                _review(report, "", "litigation_after_review"),
            ),
            _review(report, "行政诉讼 未经复议直接起诉", "litigation_direct"),
            _review(report, "行政诉讼 复议后起诉", "litigation_after_review"),
        ],
        "litigation_direct": [_review(report, "行政诉讼 未经复议直接起诉", "litigation_direct")],
        "litigation_after_review": [_review(report, "行政诉讼 复议后起诉", "litigation_after_review")],
    }
    return {name: [f for f in figs if f is not None] for name, figs in choices.items()}

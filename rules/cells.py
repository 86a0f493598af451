"""T001, T002: what a single cell may hold, whatever the identities between cells."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from nianbao import Finding, Report, Skip, hookimpl, rule
from nianbao.i18n import _
from nianbao.normalize import MAX_DIGITS, is_blank, parse_number
from nianbao.rule import Rule, RuleContext
from nianbao.template import TABLES, Column, Row, Table, cell_values, describe


def described_tables(report: Report) -> Iterator[Table]:
    """The description of every table the report has, in the shape that table shows."""
    for key in TABLES:
        shape = report.table_template(key)
        if key in report.tables and shape in ("2021", "2019"):
            yield describe(shape).tables[key]


#: below this an int is a float exactly (float(v) == int(v)), as the whole-number test asks
_EXACT = 2**53


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _shown(report: Report, pointer: str, value: object) -> str:
    raw = report.raw(pointer)
    return repr(raw) if raw is not None else repr(value)


@rule(
    "T001",
    "counts-whole",
    "error",
    "Counts are whole numbers ≥ 0; 本年增/减 may be negative; amounts are ≥ 0.",
    """
    Every cell of tables 二, 三 and 四 counts documents, decisions or applications, so it must be
    a whole number and cannot be negative. The one exception is 本年增/减 in the 2019 table 二,
    a change that may be negative (but is still whole). Amounts (本年收费金额 in 万元, 采购总金额)
    may carry decimals but cannot be negative. A fraction or a negative count is a typing
    mistake (a stray sign, a decimal point, a figure in the wrong column): correct the cell.
    A cell whose text is not a number at all is reported here too.
    """,
    "国办公开办函〔2021〕30号 / 国办公开办函〔2019〕60号 附件 统计表填报说明",
)
def counts_whole(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    tables = list(described_tables(report))
    if not tables:
        raise Skip(_("no table of the template was recognised, so there is no cell to check"))
    values = cell_values(report)
    if _all_plain_counts(values.values()):
        return  # every cell a whole count ≥ 0, as most reports print them: none to report
    for table in tables:
        for row, column, pointer in _pointed(table):
            if pointer not in values:
                continue
            value = values[pointer]
            if type(value) is int and 0 <= value < _EXACT:
                continue  # the common cell: a whole count every kind of column takes
            if value is None:
                raw = report.raw(pointer)
                # a blank is T002's; text that is neither blank nor a figure is an unreadable cell
                if raw is None or is_blank(raw):
                    continue
                number = parse_number(raw)
                if number.huge:  # read as blank by the reader, which cannot hold it
                    shown = raw[:12] + "…" if len(raw) > 16 else raw
                    yield Finding(
                        _(
                            "{cell}: {text!r} has more than {n} digits, beyond any figure of a report",
                            cell=_where(table, row, column),
                            text=shown,
                            n=MAX_DIGITS,
                        ),
                        [pointer],
                    )
                elif not number.ok:
                    yield Finding(
                        _("{cell}: {text!r} is not a number", cell=_where(table, row, column), text=raw), [pointer]
                    )
                continue
            if not _is_number(value):
                yield Finding(
                    _("{cell}: {text!r} is not a number", cell=_where(table, row, column), text=value), [pointer]
                )
            elif column.kind in ("count", "signed") and float(value) != int(value):
                shown = _shown(report, pointer, value)
                yield Finding(
                    _("{cell}: {value} is not a whole number", cell=_where(table, row, column), value=shown), [pointer]
                )
            elif column.kind != "signed" and value < 0:
                shown = _shown(report, pointer, value)
                yield Finding(_("{cell}: {value} is negative", cell=_where(table, row, column), value=shown), [pointer])


def _all_plain_counts(values: Collection[object]) -> bool:
    """Is every value an int in [0, 2**53) (the cells :func:`counts_whole` passes at once)? In C
    calls (the types of all, then their least and greatest), not a test per cell."""
    if not values or set(map(type, values)) != {int}:
        return not values
    return min(values) >= 0 and max(values) < _EXACT  # type: ignore[call-overload]


#: each described table's cells with their pointers, by the table's identity (the descriptions
#: live as long as the process, and the table is kept with its cells)
_POINTED: dict[int, tuple[Table, tuple[tuple[Row, Column, str], ...]]] = {}


def _pointed(table: Table) -> tuple[tuple[Row, Column, str], ...]:
    found = _POINTED.get(id(table))
    if found is None or found[0] is not table:
        found = _POINTED[id(table)] = (table, tuple((r, c, r.cell(c.key)) for r, c in table.cells()))
    return found[1]


def _where(table: Table, row: Row, column: Column) -> str:
    # made only for a finding: most cells have none
    return _("table {number} {row} / {column}", number=table.number, row=row.label, column=column.label)


@rule(
    "T002",
    "blank-cell",
    "warning",
    'A cell the form expects a figure in is blank ("", /, -, —, 无).',
    """
    The statistical tables have a figure in every cell: 0 when there is nothing to count. A blank
    cell (empty, "/", "-", "—", "无") is read as unknown, never as 0, so the identities that
    involve it cannot be checked. One finding per table row lists the blank columns with the text
    printed in each. Print 0 where the count is zero.
    """,
    "国办公开办函〔2021〕30号 附件 统计表",
)
def blank_cell(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    tables = list(described_tables(report))
    if not tables:
        raise Skip(_("no table of the template was recognised, so there is no cell to check"))
    values = cell_values(report)
    blank = {pointer for pointer, value in values.items() if value is None}
    if not blank:
        return
    for table in tables:
        for row in table.rows:
            blanks = [c for c in row.columns if row.cell(c.key) in blank]
            raw_ok = [c for c in blanks if _blank_raw(report, row.cell(c.key))]
            if not raw_ok:
                continue
            label = f"{row.group} {row.label}" if row.group else row.label
            texts = [_raw_text(report, row.cell(c.key)) for c in raw_ok]
            if len(set(texts)) == 1:
                cells = _("all cells") if len(raw_ok) == len(row.columns) else "、".join(c.label for c in raw_ok)
                shown = _("{cells} ({text})", cells=cells, text=texts[0])
            else:
                shown = "、".join(
                    _("{cells} ({text})", cells=c.label, text=t) for c, t in zip(raw_ok, texts, strict=True)
                )
            yield Finding(
                _(
                    "table {number} {row}: blank {cells}; read as unknown, not 0",
                    number=table.number,
                    row=label,
                    cells=shown,
                ),
                [row.cell(c.key) for c in raw_ok],
            )


def _blank_raw(report: Report, pointer: str) -> bool:
    """Null because blank (not because the text was unreadable, which is T001's)."""
    raw = report.raw(pointer)
    return raw is None or is_blank(raw)


def _raw_text(report: Report, pointer: str) -> str:
    raw = report.raw(pointer)
    if raw is None:
        return _("no text")
    return _("printed {text!r}", text=raw) if raw.strip() else _("empty")


@hookimpl
def nianbao_rules() -> list[Rule]:
    return [counts_whole, blank_cell]

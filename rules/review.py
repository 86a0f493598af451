"""T401: the group totals of table 四 (行政复议、行政诉讼)."""

from __future__ import annotations

from collections.abc import Iterator

from nianbao import Finding, Report, Skip, hookimpl, rule
from nianbao.i18n import _
from nianbao.rule import Rule, RuleContext
from nianbao.rules._readings import unsure_reading
from nianbao.template import describe

TABLE = "review_litigation"


def _num(value: object) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@rule(
    "T401",
    "review-litigation-totals",
    "error",
    "Table 四, per group: 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计.",
    """
    Each case of 行政复议, of 未经复议直接起诉 and of 复议后起诉 ends in one of 结果维持, 结果纠正,
    其他结果 or is 尚未审结, so these four add up to the group's 总计. A group with a blank cell
    is not checked (T002 reports it). The 总计 cell is pointed at first: with no other identity
    crossing it, the typed total is the usual culprit; check the four figures as well. On a
    scanned table, a failure with a cell that OCR read without certainty (O101) is a warning that
    names it: the figure may be misread rather than misprinted.
    """,
    "国办公开办函〔2021〕30号 表四",
)
def review_totals(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    shape = report.table_template(TABLE)
    if TABLE not in report.tables or shape not in ("2021", "2019"):
        raise Skip(_("table 四 (行政复议、行政诉讼情况) was not found in the report"))
    checked = 0
    for row in describe(shape).tables[TABLE].rows:
        *parts, total = row.columns
        values = [_num(report.get(row.cell(c.key))) for c in row.columns]
        if any(v is None for v in values):
            continue
        checked += 1
        *addends, stated = values
        computed = round(sum(addends), 6)  # type: ignore[arg-type]
        if computed == stated:
            continue
        label = f"{row.group} {row.label}" if row.group else row.label
        failure = _(
            "{total} = {stated} but {parts} = {addends} = {computed} ({group})",
            total=total.label,
            stated=_fmt(stated),  # type: ignore[arg-type]
            parts="+".join(c.label for c in parts),
            addends="+".join(_fmt(v) for v in addends),  # type: ignore[arg-type]
            computed=_fmt(computed),
            group=label,
        )
        pointers = [row.cell(total.key)] + [row.cell(c.key) for c in parts]
        doubt = unsure_reading(report, pointers)
        if doubt is None:
            yield Finding(failure, pointers)
        else:  # a cell read by OCR without certainty: the failure may be a misreading
            yield Finding(_("{failure}; {doubt}", failure=failure, doubt=doubt), pointers, level="warning")
    if not checked:
        raise Skip(_("every group of table 四 has a blank or missing cell (T002), so no total could be checked"))


@hookimpl
def nianbao_rules() -> list[Rule]:
    return [review_totals]

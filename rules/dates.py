"""D101-D104: the report's year, statistics period, publication date and template."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import cache

from nianbao import Finding, Report, Skip, hookimpl, rule
from nianbao.i18n import N_, _, translate
from nianbao.model import join
from nianbao.normalize import year_in
from nianbao.rule import Rule, RuleContext
from nianbao.template import TABLES, Table, describe

#: what a body of each kind must publish by (MM-DD of year N+1), 条例 第四十九条
_DEADLINES = {"department": "01-31", "government": "03-31"}
_KIND_NAMES = {
    "department": N_("a department of a people's government"),
    "government": N_("a people's government"),
    "township": N_("a township / street office"),
    "other": N_("a body other than a government or its department"),
}


def title_year(title: str) -> int | None:
    """The report year in a title: 2021年 or 二〇二一年 (the first one)."""
    return year_in(title)


def _date(text: object) -> date | None:
    try:
        return date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _period(report: Report) -> tuple[date, date] | None:
    period = report.meta.get("period") or {}
    start, end = _date(period.get("start")), _date(period.get("end"))
    return (start, end) if start and end else None


@rule(
    "D101",
    "year-consistency",
    "error",
    "The year in the title, the statistics period and the report's year agree.",
    """
    A report covers one year N: its title names N (…2021年政府信息公开工作年度报告) and its
    statistics period is N. A title and period that disagree usually mean last year's report was
    copied and only partly updated. The message names each source and its year; correct the
    one that is wrong. Whether the period is a whole calendar year is D102's.
    """,
    "《政府信息公开条例》第四十九条、第五十条",
)
def year_consistency(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    sources: list[tuple[str, str, int]] = []  # (what, pointer, year)
    title = report.meta.get("title")
    if title and (y := title_year(title)) is not None:
        sources.append((_("the title ({title})", title=title), "/meta/title", y))
    if period := _period(report):
        shown = _("the statistics period ({start}…{end})", start=period[0], end=period[1])
        sources.append((shown, "/meta/period", period[0].year))
    if not sources:
        raise Skip(_("neither the title nor the statistics period states a year"))
    if report.year is None and len(sources) < 2:
        raise Skip(_("the report's year is unknown and only one of title and statistics period states one"))
    year = report.year if report.year is not None else sources[0][2]
    wrong = [s for s in sources if s[2] != year]
    if not wrong:
        return
    right = [s for s in sources if s[2] == year]
    said = _("; ").join(_("{source} says {year}", source=what, year=y) for what, _p, y in wrong)
    basis = _(", ").join(what for what, _p, _y in right) or "meta.year"
    yield Finding(
        _("{said}, but the report is for {year} ({basis})", said=said, year=year, basis=basis),
        [p for _, p, _ in wrong] + [p for _, p, _ in right],
    )


@rule(
    "D102",
    "statistics-period",
    "error",
    "The stated statistics period is one whole calendar year, N-01-01 … N-12-31.",
    """
    The statistics of the report cover the calendar year N, 1 January to 31 December (the
    opening paragraph usually says 数据统计期限为2021年1月1日至2021年12月31日). A period that
    starts late, ends early or spans two years makes the figures incomparable with other reports.
    Skipped when the report states no period. That the period's year is the report's year is
    D101's.
    """,
    "《政府信息公开条例》第四十九条 (上一年度)",
)
def statistics_period(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    period = _period(report)
    if period is None:
        raise Skip(_("the report states no statistics period (数据统计期限)"))
    start, end = period
    want = (date(start.year, 1, 1), date(start.year, 12, 31))
    if (start, end) != want:
        yield Finding(
            _(
                "statistics period {start}…{end} is not the calendar year {first}…{last}",
                start=start,
                end=end,
                first=want[0],
                last=want[1],
            ),
            ["/meta/period"],
        )


def _deadline(kind: str, year: int, ctx: RuleContext) -> date:
    month_day = _DEADLINES.get(kind) or str(ctx.option("township_deadline", "03-31"))
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})", month_day.strip())
    try:
        if not m:
            raise ValueError
        return date(year + 1, int(m.group(1)), int(m.group(2)))
    except ValueError:
        raise Skip(_('option township_deadline {value!r} is not a month-day like "03-31"', value=month_day)) from None


@rule(
    "D103",
    "publication-deadline",
    "error",
    "Published after year N ended and by the Art. 49 deadline for the body's kind.",
    """
    条例 第四十九条: departments of people's governments at county level and above publish the
    report for year N by 31 January of N+1; county-level-and-above people's governments by
    31 March. Townships, street offices and other bodies have no national date: local notices set
    one (often earlier), so it is the option township_deadline ("MM-DD" of year N+1, default
    "03-31"). A report dated before 1 January of N+1 cannot cover the whole year. Skipped when the
    file states no publication date or the kind of body is unknown.
    """,
    "《政府信息公开条例》第四十九条",
    options={"township_deadline": "03-31"},
)
def publication_deadline(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    published = _date(report.meta.get("published"))
    if published is None:
        raise Skip(_("the file states no publication date (发布时间/发布日期)"))
    year = report.year
    if year is None:
        raise Skip(_("the report's year is unknown, so its deadline is too"))
    kind = report.meta.get("organ_kind")
    if kind not in _KIND_NAMES:
        organ = report.meta.get("organ") or _("the organ")
        raise Skip(
            _(
                "the kind of body ({organ}: government, department or township) is unknown, so is its deadline",
                organ=organ,
            )
        )
    deadline = _deadline(kind, year, ctx)
    earliest = date(year + 1, 1, 1)
    if published < earliest:
        yield Finding(
            _(
                "published {published}, before {year} ended ({earliest}): the report cannot cover the whole year",
                published=published,
                year=year,
                earliest=earliest,
            ),
            ["/meta/published"],
        )
    elif published > deadline:
        late = (published - deadline).days
        yield Finding(
            _(
                "published {published}, {late} days after the deadline {deadline} for {kind}",
                published=published,
                late=late,
                deadline=deadline,
                kind=translate(_KIND_NAMES[kind]),
            ),
            ["/meta/published"],
        )


@cache
def _distinct_tables() -> tuple[str, ...]:
    """Tables whose shape differs between the templates (table 四 does not)."""

    def shape(t: Table) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        return [(r.path, tuple(c.key for c in r.columns)) for r in t.rows]

    return tuple(k for k in TABLES if shape(describe("2021").tables[k]) != shape(describe("2019").tables[k]))


def _telltale(table: str, shape: str) -> str:
    """What in the table shows its shape: the first row the other template lacks."""
    other = describe("2019" if shape == "2021" else "2021").tables[table]
    theirs = {(r.path, tuple(c.key for c in r.columns)) for r in other.rows}
    for row in describe(shape).tables[table].rows:
        if (row.path, tuple(c.key for c in row.columns)) in theirs:
            continue
        label = f"{row.group} {row.label}" if row.group else row.label
        if any(r.path == row.path for r in other.rows):
            return f"{label}: {'/'.join(c.label for c in row.columns)}"
        return _("row {row}", row=label)
    return _("its rows")


def first_cell(report: Report, table: str, shape: str) -> str:
    """The first cell of a table that has a place in the file (else the first present)."""
    cells = [r.cell(c.key) for r, c in describe(shape).tables[table].cells()]
    for pointer in cells:
        if pointer in report.provenance:
            return pointer
    return next((p for p in cells if report.has(p)), join("tables", table))


@rule(
    "D104",
    "template-year",
    "error",
    "The tables use the template of the report's year (2021 from year 2021), in one shape.",
    """
    Reports for 2021 and later use the 2021 template (国办公开办函〔2021〕30号): table 二 with
    本年制发件数/本年废止件数/现行有效件数 and table 三 with （六）其他处理 in three rows. Using the 2019
    trial template for those years is an error. Reports for 2019 and 2020 use the 2019 template; a
    2021 shape there is a warning. Tables of one report that show different templates are reported
    too (each table's shape is read separately). Skipped for years before 2019 (free form).
    """,
    "国办公开办函〔2021〕30号; 国办公开办函〔2019〕60号",
)
def template_year(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    declared = report.data.get("table_templates") or {}
    shapes = {
        t: declared.get(t, report.template)
        for t in _distinct_tables()
        if t in report.tables and declared.get(t, report.template) in ("2021", "2019")
    }
    if not shapes:
        raise Skip(_("no table whose shape tells the template (二, 三) was recognised"))
    year = report.year
    if year is not None and year < 2019:
        raise Skip(_("{year} predates the national templates (free form until 2018)", year=year))
    numbers = {t: describe(s).tables[t].number for t, s in shapes.items()}
    mixed = len(set(shapes.values())) > 1

    def others(table: str) -> str:
        rest = [_("table {number} shows {shape}", number=numbers[t], shape=s) for t, s in shapes.items() if t != table]
        return _("; ") + _(", ").join(rest) if mixed and rest else ""

    if year is None:
        if not mixed:
            raise Skip(_("the report's year is unknown"))
        # the odd one out is the table that does not show the report's template (2021 when any does)
        odd = next((t for t in shapes if shapes[t] != report.template), next(iter(shapes)))
        yield Finding(
            _(
                "table {number} shows the {shape} template ({telltale}){others}",
                number=numbers[odd],
                shape=shapes[odd],
                telltale=_telltale(odd, shapes[odd]),
                others=others(odd),
            ),
            [first_cell(report, odd, shapes[odd])],
            level="warning",
        )
        return
    want = "2021" if year >= 2021 else "2019"
    for table, shape in shapes.items():
        if shape == want:
            continue
        yield Finding(
            _(
                "table {number} shows the {shape} template ({telltale}), "
                "but a report for {year} uses the {want} template{others}",
                number=numbers[table],
                shape=shape,
                telltale=_telltale(table, shape),
                year=year,
                want=want,
                others=others(table),
            ),
            [first_cell(report, table, shape)],
            level="error" if year >= 2021 else "warning",
        )


@hookimpl
def nianbao_rules() -> list[Rule]:
    return [year_consistency, statistics_period, publication_deadline, template_year]

"""X1xx: one organ's report for year N against its report for N−1, when both are in the run.

Reports are linked by organ name (:func:`organ_key`) and year. A report whose organ has no N−1
report in the run is skipped with the reason. The N−1 report is only the reference: findings go
to the year-N report, whose figures refer back to it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence

from nianbao import CrossRule, Finding, Report, Skip, hookimpl, rule
from nianbao.i18n import _
from nianbao.model import join
from nianbao.normalize import key, organ_key
from nianbao.rule import RuleContext
from nianbao.template import describe

#: a 人民政府 written in full or short after the name of its division (东乡县人民政府 = 东乡县政府
#: = 东乡县): the title often drops it in one year and not the next. 办公室/办公厅 are NOT folded
#: into their government: they publish their own department report as well.

#: a check of year N (first) against N−1 (second)
Check = Callable[[Report, Report], Iterable[Finding]]


def _organs(reports: Sequence[Report]) -> tuple[dict[str, dict[int, list[Report]]], list[tuple[Report, Skip]]]:
    """The reports by organ key and year (run order kept), and those that cannot be linked."""
    organs: dict[str, dict[int, list[Report]]] = defaultdict(lambda: defaultdict(list))
    unlinked: list[tuple[Report, Skip]] = []
    for report in reports:
        organ, year = report.meta.get("organ"), report.year
        if not organ or not isinstance(organ, str) or not key(organ):
            unlinked.append(
                (report, Skip(_("the report does not state its organ, so it cannot be linked to other years")))
            )
        elif not isinstance(year, int):
            unlinked.append((report, Skip(_("the report's year is unknown, so it cannot be linked to other years"))))
        else:
            organs[organ_key(organ)][year].append(report)
    return organs, unlinked


def link(reports: Sequence[Report]) -> Iterator[tuple[Report, Report | Skip]]:
    """Each report with its organ's report for the year before, or the reason it has none. When
    the run holds that year twice (a duplicate, which X104 reports), the first in run order is
    the one compared with, so the work stays linear however often a year is repeated."""
    organs, unlinked = _organs(reports)
    yield from unlinked
    for by_year in organs.values():
        years = sorted(by_year)
        for year, group in by_year.items():
            before = by_year.get(year - 1)
            for report in group:
                if before:
                    yield report, before[0]
                elif len(years) == 1:
                    yield (
                        report,
                        Skip(
                            _(
                                "{organ}: no report of another year of this organ in the run "
                                "(only {year}), so there is nothing to compare with",
                                organ=report.meta["organ"],
                                year=year,
                            )
                        ),
                    )
                else:
                    present = "、".join(str(y) for y in years)
                    yield (
                        report,
                        Skip(
                            _(
                                "{organ}: no {year} report of this organ in the run "
                                "(years present: {present}), so this one has no previous year to compare with",
                                organ=report.meta["organ"],
                                year=year - 1,
                                present=present,
                            )
                        ),
                    )


def _who(prev: Report) -> str:
    return _(
        "{organ}'s {year} report ({file})",
        organ=prev.meta.get("organ"),
        year=prev.year,
        file=prev.uri or _("no file name"),
    )


def _number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _fmt(v: float) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def _pairs(reports: Iterable[Report], check: Check) -> Iterator[tuple[Report, Finding | Skip]]:
    """Run ``check(report, prev)`` over every linked pair; a Skip it raises is the report's."""
    for report, prev in link(list(reports)):
        if isinstance(prev, Skip):
            yield report, prev
            continue
        try:
            for finding in check(report, prev):
                yield report, finding
        except Skip as skip:
            yield report, skip


# --- X101 carry-over -------------------------------------------------------------------------

APPLICATIONS = "applications"
CARRIED_OVER, CARRIED_FORWARD = "carried_over", "carried_forward"


def _carry_over(report: Report, prev: Report) -> Iterator[Finding]:
    template, before = report.table_template(APPLICATIONS), prev.table_template(APPLICATIONS)
    if template not in ("2019", "2021") or before not in ("2019", "2021"):
        raise Skip(_("table 三 is missing from this report or from {other}", other=_who(prev)))
    table = describe(template).tables[APPLICATIONS]
    now_row, prev_row = table.row(CARRIED_OVER), describe(before).tables[APPLICATIONS].row(CARRIED_FORWARD)
    compared = 0
    for column in now_row.columns:
        here, there = now_row.cell(column.key), prev_row.cell(column.key)
        a, b = report.get(here), prev.get(there)
        if not (_number(a) and _number(b)):
            continue  # a blank is T002's finding; it is no figure to compare
        compared += 1
        if a != b:
            yield Finding(
                _(
                    "{row} / {column} = {value} but {other} has {prev_row} / {column} = {prev_value}",
                    row=now_row.label,
                    column=column.label,
                    value=_fmt(a),
                    other=_who(prev),
                    prev_row=prev_row.label,
                    prev_value=_fmt(b),
                ),
                [here],
                key=f"{here}<{prev.uri}#{there}",
            )
    if not compared:
        raise Skip(_("上年结转 here or 结转下年度 in {other} is blank in every column", other=_who(prev)))


@rule(
    "X101",
    "carry-over-matches-previous-year",
    "error",
    "Table 三 二、上年结转 (year N) equals 四、结转下年度继续办理 of the same organ's N−1 report, per column.",
    """
    The applications a body carries into year N are the ones it reported as carried forward at the
    end of N−1. Reports are linked by organ name (width and punctuation folded, 人民政府/政府 after a
    division name dropped) and year, among the reports of one run. A report without an N−1 report of
    its organ in the run is skipped, saying so. Blank cells are not compared. A body that was renamed
    or merged may legitimately differ; nianbao cannot know of renames, so the level stays error
    (lower it in the configuration, or ignore the finding, for such a body).
    """,
    "国办公开办函〔2021〕30号 (table 三 rows 二 and 四)",
    cross=True,
)
def carry_over(reports: Sequence[Report], ctx: RuleContext) -> Iterator[tuple[Report, Finding | Skip]]:
    yield from _pairs(reports, _carry_over)


# --- X102 stock of documents -----------------------------------------------------------------

DISCLOSURE = "active_disclosure"
STOCK = ("issued", "repealed", "in_force")


def _stock(tolerance: float) -> Check:
    def check(report: Report, prev: Report) -> Iterator[Finding]:
        shapes = (report.table_template(DISCLOSURE), prev.table_template(DISCLOSURE))
        if shapes != ("2021", "2021"):
            raise Skip(
                _(
                    "table 二 needs the 2021 columns (本年制发/本年废止/现行有效件数) in both years; "
                    "this report shows {shape}, {other} {other_shape}",
                    shape=shapes[0] or _("none"),
                    other=_who(prev),
                    other_shape=shapes[1] or _("none"),
                )
            )
        table = describe("2021").tables[DISCLOSURE]
        rows = [r for r in table.rows if {c.key for c in r.columns} >= set(STOCK)]
        compared = 0
        for row in rows:
            issued, repealed, now = (report.get(row.cell(c)) for c in STOCK)
            before = prev.get(row.cell("in_force"))
            if not all(_number(v) for v in (issued, repealed, now, before)):
                continue
            compared += 1
            expected = before + issued - repealed
            if abs(now - expected) > tolerance:
                label = {c.key: c.label for c in row.columns}
                yield Finding(
                    _(
                        "{row}: {in_force} = {now} but {other} has {in_force} {before}, and "
                        "{before} + {issued} {issued_n} − {repealed} {repealed_n} = {expected}",
                        row=row.label,
                        in_force=label["in_force"],
                        now=_fmt(now),
                        other=_who(prev),
                        before=_fmt(before),
                        issued=label["issued"],
                        issued_n=_fmt(issued),
                        repealed=label["repealed"],
                        repealed_n=_fmt(repealed),
                        expected=_fmt(expected),
                    ),
                    [row.cell("in_force"), row.cell("issued"), row.cell("repealed")],
                    key=f"{row.cell('in_force')}<{prev.uri}",
                )
        if not compared:
            raise Skip(_("the stock rows of table 二 are blank here or in {other}", other=_who(prev)))

    return check


@rule(
    "X102",
    "document-stock-follows-previous-year",
    "warning",
    "Table 二: 现行有效件数(N) ≈ 现行有效件数(N−1) + 本年制发件数(N) − 本年废止件数(N), for 规章 and 行政规范性文件.",
    """
    The documents in force at the end of year N are those in force a year before, plus those issued,
    minus those repealed in N. Documents also lapse without being repealed (a fixed term runs out),
    so a difference is a strong hint, not proof: warning. Only the 2021 columns allow the check (the
    2019 对外公开总数量 counts something else). Option ``tolerance`` (default 0) accepts a difference
    up to that many documents.
    """,
    "国办公开办函〔2021〕30号 (table 二, 第二十条第（一）项)",
    options={"tolerance": 0},
    cross=True,
)
def document_stock(reports: Sequence[Report], ctx: RuleContext) -> Iterator[tuple[Report, Finding | Skip]]:
    yield from _pairs(reports, _stock(float(ctx.option("tolerance", 0))))


# --- X103 copied text ------------------------------------------------------------------------

NARRATIVE = ("overview", "problems")
_FIGURES = re.compile(r"\d+(?:\.\d+)?")


def shingles(text: str, size: int) -> set[str]:
    """Character ``size``-grams of the text with width, white space and punctuation folded and
    every figure replaced by one mark: a copy that only updates the year and the counts is a copy."""
    folded = _FIGURES.sub("#", key(text))
    return {folded[i : i + size] for i in range(max(len(folded) - size + 1, 0))}


def jaccard(a: set[str], b: set[str]) -> float:
    """The share of the shingles of either that both have (0 … 1; 0 when one is empty)."""
    return len(a & b) / len(a | b) if a and b else 0.0


def similarity(a: str, b: str, size: int = 4) -> float:
    """Jaccard similarity of the two texts' shingle sets (0 … 1). Linear in the text length,
    unlike difflib's ratio, so a corpus of long reports stays fast."""
    return jaccard(shingles(a, size), shingles(b, size))


def _narrative(report: Report) -> tuple[str, list[int], list[str]]:
    text, where, headings = [], [], []
    for index, section in enumerate(report.sections):
        if section.get("key") in NARRATIVE and section.get("text"):
            text.append(section["text"])
            where.append(index)
            headings.append(section.get("heading") or section["key"])
    return "\n".join(text), where, headings


def _copying(threshold: float, min_chars: int, size: int) -> Check:
    def check(report: Report, prev: Report) -> Iterator[Finding]:
        text, where, headings = _narrative(report)
        before, _where, _headings = _narrative(prev)
        shortest = min(len(key(text)), len(key(before)))
        if shortest < min_chars:
            raise Skip(
                _(
                    "too little narrative to compare (总体情况 and 存在的主要问题: {shortest} characters here or "
                    "in {other}, fewer than {min_chars})",
                    shortest=shortest,
                    other=_who(prev),
                    min_chars=min_chars,
                )
            )
        score = similarity(text, before, size)
        if score >= threshold:
            yield Finding(
                _(
                    "{sections}: the text is {score:.0%} the same as {other} "
                    "({size}-character shingle Jaccard {score:.2f} ≥ {threshold:.2f}, figures ignored)",
                    sections=_(" and ").join(headings),
                    score=score,
                    other=_who(prev),
                    size=size,
                    threshold=threshold,
                ),
                [join("sections", i) for i in where],
                key=f"/sections<{prev.uri}",
            )

    return check


@rule(
    "X103",
    "text-copied-from-previous-year",
    "note",
    "The narrative (总体情况, 存在的主要问题及改进情况) is nearly identical to the same organ's N−1 report.",
    """
    Supervisors may hold staff accountable for copied or perfunctory reports (条例 Art. 47). The
    narrative sections of year N are compared with those of N−1 as sets of 4-character shingles
    (white space, punctuation and width folded, figures masked so that updating the year and the
    counts does not hide a copy); the Jaccard similarity is stated. Options: ``threshold`` (default
    0.85), ``min_chars`` (default 200: shorter narratives are skipped), ``shingle`` (default 4).
    """,
    "《中华人民共和国政府信息公开条例》第四十七条",
    options={"threshold": 0.85, "min_chars": 200, "shingle": 4},
    cross=True,
)
def copied_text(reports: Sequence[Report], ctx: RuleContext) -> Iterator[tuple[Report, Finding | Skip]]:
    check = _copying(
        float(ctx.option("threshold", 0.85)), int(ctx.option("min_chars", 200)), int(ctx.option("shingle", 4))
    )
    yield from _pairs(reports, check)


# --- X104 duplicate organ-year ---------------------------------------------------------------


@rule(
    "X104",
    "one-report-per-organ-year",
    "warning",
    "The run holds one report per organ and year.",
    """
    Two files of the run are reports of the same organ for the same year (the organ's name folded
    as for X101): a copy saved twice, a corrected version beside the original, or two bodies whose
    names fold to one. The comparisons with the year before and after use the first of them in run
    order; each duplicate is reported, naming the others, so that the corpus can be cleaned.
    """,
    "",
    cross=True,
)
def duplicate_organ_year(reports: Sequence[Report], ctx: RuleContext) -> Iterator[tuple[Report, Finding | Skip]]:
    organs, unlinked = _organs(reports)
    yield from unlinked
    for by_year in organs.values():
        for year, group in by_year.items():
            if len(group) < 2:
                continue
            for n, report in enumerate(group):
                others = [r for r in group[:3] if r is not report][:2]
                names = "、".join(r.uri or "?" for r in others)
                more = len(group) - 1 - len(others)
                if more:
                    names = _("{names} and {n} more", names=names, n=more)
                message = _(
                    "{organ}: {count} reports for {year} in the run; also {names}",
                    organ=report.meta.get("organ"),
                    count=len(group),
                    year=year,
                    names=names,
                )
                if n:
                    message += _(" (the year's comparisons use {first})", first=group[0].uri or "?")
                yield (
                    report,
                    Finding(
                        message,
                        ["/meta/organ", "/meta/year"],
                        key=f"{organ_key(str(report.meta.get('organ')))}/{year}",
                    ),
                )


@hookimpl
def nianbao_cross_report_rules() -> list[CrossRule]:
    return [carry_over, document_stock, copied_text, duplicate_organ_year]  # type: ignore[list-item]  # rule(cross=True) makes CrossRules

"""Pack ``suqian`` (江苏 · 宿迁): the annual-report items of the city's government-affairs
disclosure monitoring indicators.

Source: the rule packs ``rulepacks/suqian_dept_v1/rules.csv`` (indicator SQ-DEP-A-005) and
``rulepacks/suqian_zhidugongkai/rules.json`` (item A1-4) of the public repository
zxj6827111-blip/GovOpen-AutoAudit, which cite 《2026年宿迁市政务公开监测指标（部门）》; the
indicator text itself was not found online, so this pack follows the two rule packs. [R]

What is uncertain, and how the rules read it:
- "published after 03-31: −1 point" is the city-level scheme; the department indicator says only
  "in time", which for a department is the national 01-31 (rule D103 checks that). SQ101 holds
  every report to 03-31 of year N+1; the option ``deadline`` changes the date.
- "more than 50% repeated from the previous year's report": the schemes say neither how the share
  is measured nor of what. SQ102 measures the share of year N's prose (all sections) that also
  stands in the same organ's N−1 report: 4-character shingles with white space, punctuation and
  figures folded (as X103 does), share = |N ∩ N−1| / |N|. The schemes mark it for manual review;
  so is this a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date

from nianbao import CrossRule, Finding, Option, Pack, Report, Rule, Skip, hookimpl, rule
from nianbao.i18n import N_, _
from nianbao.model import join
from nianbao.plugins import prose
from nianbao.rule import RuleContext
from nianbao.rules.crossyear import link, shingles

NIANBAO_API = 2
SOURCE = (
    "《2026年宿迁市政务公开监测指标（部门）》 SQ-DEP-A-005 and the city scheme's item A1-4, as encoded in "
    "github.com/zxj6827111-blip/GovOpen-AutoAudit (rulepacks/suqian_dept_v1, rulepacks/suqian_zhidugongkai)"
)
URL = "https://github.com/zxj6827111-blip/GovOpen-AutoAudit"
BASIS = "《2026年宿迁市政务公开监测指标（部门）》SQ-DEP-A-005；宿迁市政务公开监测指标 A1-4"


@hookimpl
def nianbao_pack() -> Pack:
    return Pack(
        name="suqian",
        region="江苏·宿迁",
        source=SOURCE,
        url=URL,
        description=N_("Publication by 03-31 of the next year; more than half of the text repeated from last year."),
    )


def _published(report: Report) -> date | None:
    value = report.meta.get("published")
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


@rule(
    id="SQ101",
    name="published-by-march-31",
    level="warning",
    summary="The report for year N is published by 31 March of N+1 (宿迁 monitoring indicators).",
    explanation="""
    宿迁's monitoring scheme deducts a point when the annual report is published after 31 March of
    the following year. The date is the one the report or its page states (发布日期); a report that
    states none is skipped. Option ``deadline`` ("MM-DD" of year N+1, default "03-31").
    """,
    legal_basis=BASIS,
    help_uri=URL,
    options={"deadline": Option(str, "03-31", "the latest publication date, MM-DD of year N+1")},
    since="0.1.0",
    example="published 2025-04-08, 8 days after 2025-03-31 (宿迁 monitoring indicator: −1 point)",
)
def published_by_march_31(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    published, year = _published(report), report.year
    if published is None:
        raise Skip(_("the file states no publication date (发布时间/发布日期)"))
    if year is None:
        raise Skip(_("the report's year is unknown, so its deadline is too"))
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})", str(ctx.option("deadline")).strip())
    try:
        deadline = date(year + 1, int(m.group(1)), int(m.group(2))) if m else None
    except ValueError:
        deadline = None
    if deadline is None:
        raise Skip(_('option deadline {value!r} is not a month-day like "03-31"', value=ctx.option("deadline")))
    if published > deadline:
        yield Finding(
            _(
                "published {published}, {days} days after {deadline} (宿迁 monitoring indicator: −1 point)",
                published=published.isoformat(),
                days=(published - deadline).days,
                deadline=deadline.isoformat(),
            ),
            ["/meta/published"],
        )


def repeated_share(report: Report, prev: Report, size: int = 4) -> tuple[float, int]:
    """The share of ``report``'s prose shingles that also stand in ``prev``'s, and their number."""
    mine, theirs = shingles(prose(report), size), shingles(prose(prev), size)
    if not mine:
        return 0.0, 0
    return len(mine & theirs) / len(mine), len(mine)


@rule(
    id="SQ102",
    name="repeated-from-previous-year",
    level="warning",
    summary="No more than half of the report's text is repeated from the same organ's N−1 report (宿迁).",
    explanation="""
    宿迁's monitoring scheme deducts half a point when more than 50% of the annual report repeats
    the previous year's, for review by hand. The share is that of year N's prose (every section)
    that also stands in the same organ's N−1 report, compared as 4-character shingles with white
    space, punctuation and figures folded, so updating the year and the counts does not hide a
    repeated text. Reports are linked by organ and year among the reports of one run, as for X101.
    Options: ``threshold`` (default 0.5), ``min_chars`` (default 200: shorter texts are skipped).
    """,
    legal_basis=BASIS,
    help_uri=URL,
    options={
        "threshold": Option(float, 0.5, "the largest share of repeated text allowed"),
        "min_chars": Option(int, 200, "texts shorter than this are not compared"),
    },
    since="0.1.0",
    example="62% of this report's text repeats 东乡县's 2021 report (宿迁: more than 50%, −0.5 point, review by hand)",
    cross=True,
)
def repeated_from_previous_year(reports: Sequence[Report], ctx: RuleContext) -> Iterator[tuple[Report, Finding | Skip]]:
    threshold, min_chars = float(ctx.option("threshold")), int(ctx.option("min_chars"))
    for report, prev in link(reports):
        if isinstance(prev, Skip):
            yield report, prev
            continue
        share, size = repeated_share(report, prev)
        if size < min_chars:
            yield report, Skip(_("too little text to compare ({n} shingles, fewer than {min})", n=size, min=min_chars))
        elif share > threshold:
            message = _(
                "{share:.0%} of this report's text repeats {organ}'s {year} report ({uri}) "
                "(宿迁: more than {limit:.0%}, −0.5 point, review by hand)",
                share=share,
                organ=prev.meta.get("organ"),
                year=prev.year,
                uri=prev.uri,
                limit=threshold,
            )
            pointers = [join("sections", i) for i in range(len(report.sections))]
            yield report, Finding(message, pointers, key=f"/sections<{prev.meta.get('organ')}/{prev.year}")


@hookimpl
def nianbao_rules() -> list[Rule]:
    return [published_by_march_31]


@hookimpl
def nianbao_cross_report_rules() -> list[CrossRule]:
    return [repeated_from_previous_year]  # type: ignore[list-item]

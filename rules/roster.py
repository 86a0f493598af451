"""Who has not reported: the run's reports against the roster of bodies expected to publish
(``roster:`` in the configuration or ``--roster FILE``; see :mod:`nianbao.roster`).

R101 finds each body on the roster with no report for a year the run expects; the finding is on
the roster itself, at the body's line, since there is no report file to point at. R102 finds
reports of bodies the roster does not list. R103 compares a parent's figures with the sum of its
children's, as a plausibility note only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence

from nianbao import CrossRule, Finding, Report, Skip, hookimpl, rule
from nianbao.i18n import _
from nianbao.roster import Index
from nianbao.rule import RuleContext
from nianbao.template import describe


def _no_roster() -> str:
    return _("no roster is given (roster: in the configuration, or --roster FILE)")


Pairs = Iterator[tuple[Report, Finding | Skip]]


def _with_roster(check: Callable[[Sequence[Report], RuleContext, Index], Pairs]) -> Callable[..., Pairs]:
    """A roster rule's check, given the roster's index; without a roster every report is skipped,
    saying why (the same for each rule)."""

    @functools.wraps(check)
    def checked(reports: Sequence[Report], ctx: RuleContext) -> Pairs:
        roster = ctx.document("roster")
        if roster is None:
            for r in reports:
                yield r, Skip(_no_roster())
            return
        yield from check(reports, ctx, Index(roster))

    return checked


def _by_body(index: Index, reports: Sequence[Report]) -> dict[tuple[int, int], list[Report]]:
    found: dict[tuple[int, int], list[Report]] = {}
    for r in reports:
        body = index.body_of(r)
        if body is not None and isinstance(r.year, int):
            found.setdefault((body, r.year), []).append(r)
    return found


@rule(
    "R101",
    "roster-missing-report",
    "error",
    "Every body on the roster has a report for each year the run expects.",
    """
    A body on the roster (the list of bodies that must publish, given by roster: in the
    configuration or --roster FILE) for which the run holds no report of year N. The years
    expected are the roster's years: list, else every year the run's reports cover. A report
    is a body's when its organ (or the start of its title) is the body's name or one of its
    aliases. The finding is on the roster file, at the body's line: there is no report file to
    point at.
    """,
    "《中华人民共和国政府信息公开条例》第四十九条、第五十条",
    cross=True,
)
@_with_roster
def missing_report(reports: Sequence[Report], ctx: RuleContext, index: Index) -> Pairs:
    have = _by_body(index, reports)
    for year in index.expected_years(list(reports)):
        for i, body in enumerate(index.bodies):
            if (i, year) not in have:
                yield (
                    index.roster,
                    Finding(
                        _("{body}: no report for {year} in this run", body=body["name"], year=year),
                        [f"/bodies/{i}"],
                        key=f"{i}/{year}",
                    ),
                )


@rule(
    "R102",
    "roster-unknown-body",
    "warning",
    "The body a report is of is on the roster.",
    """
    A report whose body (its organ, or the start of its title) is neither a name nor an alias on
    the roster: a body the roster forgot, a new name, or a report that does not belong to the
    run. Add the body (or the name as an alias) to the roster.
    """,
    "",
    cross=True,
)
@_with_roster
def unknown_body(reports: Sequence[Report], ctx: RuleContext, index: Index) -> Pairs:
    for r in reports:
        if not r.meta.get("organ") and not r.meta.get("title"):
            yield r, Skip(_("the report names no body"))
        elif index.body_of(r) is None:
            name = r.meta.get("organ") or r.meta.get("title")
            yield r, Finding(_("{body} is not on the roster {file}", body=name, file=index.roster.uri), ["/meta/organ"])


#: the figures a parent's report and its children's are compared on (totals of tables 三 and 四)
SUMMED = (
    "/tables/applications/new_received/total",
    "/tables/applications/handled_total/total",
    "/tables/applications/carried_forward/total",
    "/tables/review_litigation/review/total",
    "/tables/review_litigation/litigation_direct/total",
    "/tables/review_litigation/litigation_after_review/total",
)


@rule(
    "R103",
    "roster-parent-sum",
    "note",
    "A parent's totals of tables 三 and 四 and the sum of its children's (a plausibility check only).",
    """
    Where the roster gives parents (a county and its departments and townships, say), and the
    run holds the parent's report and every child's for the same year, the parent's totals of
    table 三 (一、本年新收, （七）总计, 四、结转下年度) and table 四 (the 总计 of each group) are
    compared with the sums of its children's. The template does not require a parent's report
    to consolidate its children's (a county government's report usually covers its own office),
    so a difference is a note to look at, never an error.
    """,
    "",
    cross=True,
)
@_with_roster
def parent_sum(reports: Sequence[Report], ctx: RuleContext, index: Index) -> Pairs:
    have = _by_body(index, reports)
    for (body, year), found in have.items():
        children = index.children(body)
        if not children:
            continue
        parent = found[0]
        kids = [have.get((c, year)) for c in children]
        if any(k is None for k in kids):
            yield (
                parent,
                Skip(
                    _("not every child of {body} has a report for {year}", body=index.bodies[body]["name"], year=year)
                ),
            )
            continue
        template = describe(parent.template) if parent.template in ("2021", "2019") else None
        for pointer in SUMMED:
            mine = parent.get(pointer)
            theirs = [k[0].get(pointer) for k in kids if k]
            if not isinstance(mine, (int, float)) or not all(isinstance(v, (int, float)) for v in theirs):
                continue
            total = sum(theirs)
            if mine != total:
                label = template.label(pointer) if template else pointer
                yield (
                    parent,
                    Finding(
                        _(
                            "{label} = {mine}, the sum over its {n} children on the roster is {total}",
                            label=label,
                            mine=_plain(mine),
                            n=len(theirs),
                            total=_plain(total),
                        ),
                        [pointer],
                    ),
                )


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@hookimpl
def nianbao_cross_report_rules() -> list[CrossRule]:
    return [missing_report, unknown_body, parent_sum]  # type: ignore[list-item]  # rule(cross=True) makes CrossRules

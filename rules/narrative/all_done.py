"""N105: the narrative claims every application was completed while table 三 carries some forward."""

from __future__ import annotations

from collections.abc import Iterator

from nianbao import Finding, Report, Skip, rule
from nianbao.i18n import _
from nianbao.rule import RuleContext

from . import phrases
from .common import LEGAL, finding, foreign_year, narrative, needs_tables, quote
from .count import table_text
from .tables import expected


@rule(
    "N105",
    "narrative-all-done",
    "warning",
    "The narrative claims every application was completed while table 三 carries some forward.",
    """
    全部办结, 均已答复 or 办结率100% said of 政府信息公开申请 contradict table 三 四、结转下年度继续办理
    when its 总计 is above 0. A sentence that itself mentions the applications carried forward
    (结转, 顺延, 除…外) or only claims timeliness (均在法定期限内答复) is not a claim that all were done.
    """,
    LEGAL,
)
def narrative_all_done(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    walked = narrative(report)
    needs_tables(report)
    forward = expected(report, "carried_forward")
    if not forward or forward[0].value is None:
        raise Skip(_("table 三 四、结转下年度继续办理 总计 is not available"))
    carried = forward[0]
    assert carried.value is not None
    if carried.value <= 0:
        return
    all_done = phrases.pattern("all_done")
    not_all_done = phrases.pattern("not_all_done")
    anywhere = phrases.anywhere("all_done")
    for w in walked:
        s = w.sentence
        if not anywhere(s.text) or foreign_year(s, report.year) or not_all_done.search(s.text):
            continue
        for clause, topic in w.clauses:
            if topic != "applications":
                continue
            if all_done.search(clause.text):
                yield finding(
                    s,
                    _(
                        'the text "{quote}" says every application was completed, but {table}',
                        quote=quote(clause.text),
                        table=table_text(carried),
                    ),
                    carried.pointers,
                    key="N105",
                )
                break

"""N104: a stated daily (or monthly) average agrees with the stated yearly total."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from nianbao import Finding, Report, rule
from nianbao.i18n import _
from nianbao.rule import RuleContext

from . import phrases
from .common import finding, foreign_year, narrative, quote
from .text import Figure, Sentence, shown

_VISITS = ("人次", "次")


def _average() -> re.Pattern[str]:
    periods = phrases.data()["average_periods"]
    return phrases.regex(
        "(?P<per>" + phrases.alternation([*periods["daily"], *periods["monthly"]]) + ")"
        r"(?P<noun>[^，,。；;\d]{0,6}?)(?:为|达|达到|约|超过|近)?$"
    )


def _total() -> re.Pattern[str]:
    return phrases.regex("(?P<noun>" + phrases.words("visit_nouns") + r")[^，,。；;\d]{0,6}?$")


def _averages(s: Sentence) -> Iterator[tuple[Figure, Figure, int, str, str]]:
    text = s.text
    if "次" not in text:
        return  # an average and its total are visits (人次, 次): none in this sentence
    figs = s.figures()
    average = phrases.compiled("N104.average", _average)
    total_re = phrases.compiled("N104.total", _total)
    monthly = phrases.pattern("average_periods.monthly")
    visits = phrases.pattern("visit_nouns")
    cumulative = phrases.pattern("cumulative")
    for i, avg in enumerate(figs):
        if avg.unit not in _VISITS:
            continue
        m = average.search(text[max(0, avg.start - 16) : avg.start])
        if not m:
            continue
        months = 12 if monthly.fullmatch(m.group("per")) else 0
        for total in reversed(figs[:i]):
            if total.unit not in _VISITS:
                continue
            t = total_re.search(text[max(0, total.start - 12) : total.start])
            clause_start = max(text.rfind(c, 0, total.start) for c in "，,；;。")
            if not t or cumulative.search(text[clause_start + 1 : total.start]):
                break
            noun = m.group("noun")
            if noun and not visits.search(noun):
                break
            if noun and t.group("noun") not in noun:
                break
            yield avg, total, months, m.group("per"), text[clause_start + 1 : avg.end]
            break


@rule(
    "N104",
    "narrative-average",
    "note",
    "A stated daily (or monthly) average agrees with the stated yearly total.",
    """
    网站访问量368万人次 with 日均访问量3320人次: 3320 × 365 = 121万, a third of the total, so one
    of the two figures is wrong (or they cover different periods, which the text should then say).
    Flagged when average × days of the report's year differs from the total by more than the
    tolerance (10% of the total by default) and by more than the total's printed precision.
    Cumulative totals (累计, 上线以来) and partial periods are not compared.
    """,
    "",
    options={"tolerance": 0.10},
)
def narrative_average(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    tolerance = Decimal(str(ctx.option("tolerance", 0.10)))
    year = report.year
    for w in narrative(report):
        s = w.sentence
        if "次" not in s.text or foreign_year(s, year):
            continue  # (an average and its total are visits: _averages reads none without 次)
        for avg, total, months, per, quoted in _averages(s):
            if months:
                periods, unit = months, _("months")
            elif year:
                # calendar.isleap's rule, written out: importing calendar brings locale and more into every start
                leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
                periods, unit = (366 if leap else 365), _("days")
            else:
                continue
            product = avg.value * periods
            off = abs(product - total.value)
            # 日均3000余人次, 近400万: a printed approximation earns twice the room
            room = tolerance * (2 if avg.approx or total.approx else 1)
            if off <= room * total.value or off <= total.precision:
                continue
            yield finding(
                s,
                _(
                    'the text "{quote}": {per} {average} × {periods} {unit} = {product}{average_unit}, '
                    "{off}% off the total {total}",
                    quote=quote(quoted),
                    per=per,
                    average=avg.text,
                    periods=periods,
                    unit=unit,
                    product=shown(product),
                    average_unit=avg.unit,
                    total=total.text,
                    off=(off / total.value * 100).quantize(Decimal(1)),
                ),
                key=f"N104:{avg.value}:{total.value}",
            )

"""N102: a stated rate or share equals count / total at the printed precision."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from nianbao import Finding, Report, rule
from nianbao.i18n import _
from nianbao.rule import RuleContext

from . import phrases
from .breakdown import breakdowns
from .common import LEGAL, finding, foreign_year, narrative, quote
from .text import Clause, Figure, Sentence, round_half_up, shown

_NUMERATOR = {
    "办结": r"办结|办理完毕|处理完毕",
    "答复": r"答复|回复",
    "回复": r"回复|答复",
    "办理": r"办理|办结",
    "处理": r"处理|办结",
}
_NUMERATORS = {kind: phrases.regex(p) for kind, p in _NUMERATOR.items()}
_SHARE = phrases.regex(r"占(?:比|[^，,。；;\d%]{0,12})?(?:为|达)?$")
_NOT_COUNTS = frozenset({"年", "月", "日", "号", ""})


def _rate() -> re.Pattern[str]:
    return phrases.regex(
        "(?P<prefix>" + phrases.words("rate_prefixes") + r")?(?P<kind>办结|答复|回复|办理|处理)率(?:为|达|达到|是)?$"
    )


def _only_count(clause: Clause, end: int | None = None) -> Figure | None:
    counts = [f for f in clause.figures() if f.unit not in _NOT_COUNTS and (end is None or f.end <= end)]
    return counts[0] if len(counts) == 1 and counts[0].is_count else None


def rate_agrees(printed: Figure, num: Decimal, den: Decimal) -> tuple[bool, Decimal]:
    exact = num / den * 100
    if (printed.value == 100 and num != den) or (printed.value == 0 and num != 0):
        return False, exact  # 100% is a claim that every one was done
    step = Decimal(1).scaleb(-printed.decimals)
    allowed = {
        round_half_up(exact, printed.decimals),
        exact.quantize(step, rounding=ROUND_FLOOR),
        exact.quantize(step, rounding=ROUND_CEILING),
    }
    if printed.value == 100 or printed.value == 0:
        return True, exact
    return printed.value in allowed, exact


def _segments(s: Sentence) -> list[list[Clause]]:
    """The sentence's clauses cut at ；(a rate only looks back within its segment)."""
    segments: list[list[Clause]] = [[]]
    for clause in s.clauses():
        before = s.text[clause.start - 1 : clause.start] if clause.start else ""
        if before in "；;" and before and segments[-1]:
            segments.append([])
        segments[-1].append(clause)
    return segments


def rates(s: Sentence) -> Iterator[tuple[Figure, Figure, Figure, str, str]]:
    """(printed %, numerator, denominator, quoted text, rate word) for every 办结率 whose counts
    are both stated before it in the same sentence segment."""
    rate = phrases.compiled("N102.rate", _rate)
    denominator = phrases.pattern("rate_denominators")
    qualified = phrases.pattern("rate_qualifiers")
    for clauses in _segments(s):
        for i, clause in enumerate(clauses):
            for pct in (f for f in clause.figures() if f.unit == "%"):
                m = rate.search(clause.text[: pct.start])
                if not m or m.group("prefix"):
                    continue
                num_re = _NUMERATORS[m.group("kind")]
                num = den = None
                den_at = 0
                j = i
                for j in range(i, -1, -1):
                    text = clauses[j].text if j < i else clause.text[: m.start()]
                    if num_re.search(text) and not denominator.search(text):
                        # 按时办结320件 is the on-time part, not what 办结率 divides
                        num = None if qualified.search(text) else _only_count(clauses[j], None if j < i else m.start())
                        break
                if num is None:
                    continue
                for k in range(j - 1, -1, -1):
                    if denominator.search(clauses[k].text):
                        den = _only_count(clauses[k])
                        den_at = clauses[k].start
                        break
                if den is None or den.unit != num.unit or den.value == 0 or num.value > den.value:
                    continue
                yield pct, num, den, s.text[den_at : clause.start + pct.end], m.group("kind") + "率"


def _shares(s: Sentence) -> Iterator[tuple[Figure, Figure, Figure, str]]:
    """(printed %, part, whole, quoted) for 占X% that follows a part of a 其中 breakdown."""
    for b in breakdowns(s):
        for part_clause, part, share_clause in b.shares:
            if share_clause is None:
                continue
            for pct in (f for f in share_clause.figures() if f.unit == "%"):
                if _SHARE.search(share_clause.text[: pct.start]):
                    yield pct, part, b.whole, f"{b.whole_clause.text}…{part_clause.text}，{share_clause.text}"


@rule(
    "N102",
    "narrative-percentage",
    "warning",
    "A stated rate or share equals count / total at the printed precision.",
    """
    办结率99.42% must be 办结 / 收到 (340 / 342 = 99.415… → 99.42%), and 占40% after a part of a
    其中 breakdown must be that part over the whole. Only percentages whose two counts are stated in
    the same sentence are checked; the printed value may be rounded half up, truncated or rounded
    up at its printed precision, but 100% needs every one and 0% none. Rates with a qualifier
    (按时办结率, 满意率) and shares whose total is not stated are not checked.
    """,
    LEGAL,
)
def narrative_percentage(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    for w in narrative(report):
        s = w.sentence
        # a rate and a share are both printed with %: a sentence without one has neither
        if "%" not in s.text or foreign_year(s, report.year):
            continue
        for pct, num, den, quoted, word in rates(s):
            ok, exact = rate_agrees(pct, num.value, den.value)
            if not ok:
                yield finding(
                    s,
                    _(
                        'the text "{quote}": {word} {rate} but {count} / {total} = {exact}%',
                        quote=quote(quoted),
                        word=word,
                        rate=pct.text,
                        count=num.text,
                        total=den.text,
                        exact=shown(round_half_up(exact, max(pct.decimals, 2))),
                    ),
                    key=f"N102:{word}:{pct.value}",
                )
        for pct, part, whole, quoted in _shares(s):
            if part.value > whole.value or whole.value == 0:
                continue
            ok, exact = rate_agrees(pct, part.value, whole.value)
            if not ok:
                yield finding(
                    s,
                    _(
                        'the text "{quote}": a share of {rate} but {part} / {whole} = {exact}%',
                        quote=quote(quoted),
                        rate=pct.text,
                        part=part.text,
                        whole=whole.text,
                        exact=shown(round_half_up(exact, max(pct.decimals, 2))),
                    ),
                    key=f"N102:share:{pct.value}",
                )

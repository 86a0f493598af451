"""N103: the parts of a "其中 a、b、c" breakdown add up to their whole."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from nianbao import Finding, Report, rule
from nianbao.i18n import _
from nianbao.rule import RuleContext

from . import phrases
from .common import LEGAL, finding, narrative, quote
from .text import Clause, Figure, Sentence, shown

#: categories whose parts are the whole: listing fewer than the whole is itself a mistake
_EXHAUSTIVE = frozenset({"channel", "platform", "review_outcome"})
_DATES = frozenset({"年", "月", "日", "号"})


def _categories() -> list[tuple[str, re.Pattern[str]]]:
    groups = phrases.data()["breakdown_categories"]
    return [(name, phrases.regex(phrases.alternation(alts))) for name, alts in groups.items()]


def _category(text: str) -> str | None:
    for name, pattern in phrases.compiled("N103.categories", _categories):
        if pattern.search(text):
            return name
    return None


class Breakdown:
    """A whole (共35个) and the parts that follow its 其中, all in one unit and one category."""

    def __init__(self, whole: Figure, whole_clause: Clause) -> None:
        self.whole = whole
        self.whole_clause = whole_clause
        self.parts: list[tuple[Clause, Figure]] = []
        self.category: str | None = None
        self.hedged = False
        #: the list ended at a clause with no figure in the whole's unit (not cut short by one)
        self.complete = True
        #: (part clause, part, the clause after it when it states a share)
        self.shares: list[tuple[Clause, Figure, Clause | None]] = []


def breakdowns(s: Sentence) -> list[Breakdown]:
    """Every 其中 breakdown of the sentence (read once, shared by N102 and N103)."""
    return s.derived(_breakdowns)


def _breakdowns(s: Sentence) -> list[Breakdown]:
    found: list[Breakdown] = []
    if "其中" not in s.text:
        return found  # every breakdown opens with 其中
    clauses = s.clauses()
    for i, clause in enumerate(clauses):
        at = clause.text.find("其中")
        if at < 0:
            continue
        # the whole: the last count before 其中, in this clause or the one before it
        before = [f for f in clause.figures() if f.unit and f.end <= at]
        whole_clause = clause
        if not before and i > 0 and s.text[clause.start - 1] in "，,":
            whole_clause = clauses[i - 1]
            before = [f for f in whole_clause.figures() if f.unit]
        if not before or not before[-1].is_count:
            continue
        b = Breakdown(before[-1], whole_clause)
        tail = [Clause(clause.text[at + 2 :], clause.start + at + 2), *clauses[i + 1 :]]
        for j, part_clause in enumerate(tail):
            if j and s.text[part_clause.start - 1] in "；;":
                break
            if not part_clause.text:
                continue  # 其中：
            if s.text[part_clause.start - 1] in "（(" or part_clause.text.startswith(("含", "包括", "包含")):
                continue  # 微信公众号22个（含视频号3个）: a part of a part
            figs = [f for f in part_clause.figures() if f.unit not in _DATES]
            if not figs:
                break
            if all(f.unit == "%" for f in figs):
                continue  # 占40%: belongs to the part before
            if "其中" in part_clause.text or len(figs) != 1 or figs[0].unit != b.whole.unit:
                b.complete = not any(f.unit == b.whole.unit for f in figs)
                break
            category = _category(part_clause.text)
            if b.parts and category != b.category:
                b.complete = False  # 其他方式2件: a part the list does not name
                break
            b.category = category
            b.parts.append((part_clause, figs[0]))
            after = tail[j + 1] if j + 1 < len(tail) else None
            share = after if after is not None and "占" in after.text else None
            b.shares.append((part_clause, figs[0], share))
        b.hedged = bool(phrases.pattern("hedges").search("".join(c.text for c, _ in b.parts)))
        found.append(b)
    return found


@rule(
    "N103",
    "narrative-breakdown",
    "warning",
    'The parts of a "其中 a、b、c" breakdown add up to their whole.',
    """
    共收到申请5件，其中网络申请2件、信函申请3件: the parts must sum to the whole. A breakdown is
    checked when it lists at least two parts of one kind (application channels, 政务新媒体
    platforms, review results, applicant types) in the whole's unit. Parts that add up to more than
    the whole are always wrong; fewer is reported only for kinds that partition the whole (channels,
    platforms, review results) and when the list is not hedged (等, 主要).
    """,
    LEGAL,
)
def narrative_breakdown(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    for w in narrative(report):
        s = w.sentence
        if "其中" not in s.text:
            continue  # every breakdown opens with 其中 (none is read here)
        for b in breakdowns(s):
            if len(b.parts) < 2 or b.category in (None, "outcome", "handling") or b.whole.approx:
                continue
            if any(not f.is_count for _, f in b.parts):
                continue
            total = sum((f.value for _, f in b.parts), Decimal(0))
            if total == b.whole.value:
                continue
            if total < b.whole.value and (b.category not in _EXHAUSTIVE or b.hedged or not b.complete):
                continue
            terms = "+".join(shown(f.value) for _, f in b.parts)
            quoted = f"{b.whole_clause.text}，其中{b.parts[0][0].text.removeprefix('其中')}…"
            yield finding(
                s,
                _(
                    'the text "{quote}": its parts {terms} = {total}, not the whole {whole}',
                    quote=quote(quoted),
                    terms=terms,
                    total=shown(total),
                    whole=shown(b.whole.value),
                ),
                key=f"N103:{b.whole.value}:{total}",
            )

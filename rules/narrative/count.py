"""N101: a count the narrative states equals the figure in table 三 or 四."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from itertools import pairwise

from nianbao import Finding, Report, rule
from nianbao.i18n import _
from nianbao.rule import RuleContext

from . import phrases
from .common import LEGAL, finding, foreign_year, narrative, needs_tables, quote
from .tables import TableFigure, expected
from .text import COUNT_PRINTED, Clause, Figure, prints_count, shown
from .topics import REVIEW_SUBJECTS, Label, Walked, labels, sentence_labels

_NOT_COUNTS = frozenset({"%", "‰", "年", "月", "日", "号"})


def pairs(clause: Clause) -> list[tuple[Label, Figure]]:
    """(subject, figure) pairs of a clause whose reading is unambiguous."""
    if not prints_count(clause.text):
        return []  # most clauses: no count printed (what follows would find none)
    figs = [f for f in clause.figures() if f.unit not in _NOT_COUNTS]
    if not figs or any(not f.is_count for f in figs):
        return []  # most clauses: no count, nothing to pair (or a figure that is no exact count)
    found: list[Label] = []
    for lab in clause.derived(labels):
        # one subject named twice with no figure between (受理…收到) is still one subject
        if found and found[-1].subject == lab.subject and not any(found[-1].end <= f.start < lab.start for f in figs):
            continue
        found.append(lab)
    if any(lab.subject in REVIEW_SUBJECTS for lab in found):
        # 收到行政复议申请1件: the verb governs the review, not table 三
        found = [lab for lab in found if lab.subject not in ("received", "processed", "handled")]
    if not found:
        return []
    # 因本机关不掌握等原因无法提供265件: the reason is an example, the figure is the whole group's
    exemplary = phrases.pattern("exemplary")
    found = [lab for lab in found if lab.subject != "detail" or not exemplary.match(clause.text, lab.end)]
    if any(lab.subject == "detail" for lab in found):
        return []
    # 行政复议和行政诉讼各1件: one figure for each subject named before it
    each = len(figs) == 1 and clause.text[figs[0].start - 1 : figs[0].start] == "各"
    if each and len(found) > 1 and all(lab.subject in REVIEW_SUBJECTS and lab.end <= figs[0].start for lab in found):
        return [(lab, figs[0]) for lab in found]
    if len(found) != len(figs):
        return []
    marks = sorted(
        [(lab.start, "L", i) for i, lab in enumerate(found)] + [(f.start, "F", i) for i, f in enumerate(figs)]
    )
    kinds = [k for _, k, _ in marks]
    if any(a == b for a, b in pairwise(kinds)):
        return []  # two labels or two figures in a row: which goes with which is a guess
    out = []
    for a, b in zip(marks[::2], marks[1::2], strict=False):
        lab, fig = (a, b) if a[1] == "L" else (b, a)
        out.append((found[lab[2]], figs[fig[2]]))
    return out


_OUTCOMES = frozenset(
    {"granted", "granted_or_partial", "partially_granted", "denied", "unavailable", "not_processed", "other_processing"}
)
_ITEMS = phrases.regex(r"的?(?:政府)?信息|类")


def _review_in_scope(w: Walked, topic: str | None = None) -> bool:
    """A sentence about 行政复议/行政诉讼 of information disclosure (not the body's work as a
    复议机关): in section 四, naming 信息公开, or in a passage about applications."""
    return (
        w.sentence.section_key == "review_litigation"
        or bool(phrases.pattern("disclosure").search(w.sentence.text))
        or topic == "applications"
        or (topic is None and w.context == "applications")
    )


def _in_scope(w: Walked, topic: str | None, subject: str) -> bool:
    if subject in REVIEW_SUBJECTS:
        return _review_in_scope(w, topic)
    return topic == "applications"


def disagreement(report: Report, subject: str, stated: Decimal, *, strict: bool = False) -> TableFigure | None:
    """The table figure a stated count contradicts, or None when it agrees or cannot be told.
    ``strict``: only the subject's main reading counts (a claim of none is about all of them)."""
    choices = expected(report, subject)[:1] if strict else expected(report, subject)
    if not choices:
        return None
    verdicts = [c.agrees(stated) for c in choices]
    if any(v is not False for v in verdicts):
        return None
    return choices[0]


def table_text(fig: TableFigure) -> str:
    assert fig.value is not None
    sign = "≥" if fig.at_least else "="
    return f"{fig.label} {sign} {shown(fig.value)}"


def _zero_review() -> re.Pattern[str]:
    w = phrases.words
    return phrases.regex(
        "(?:" + w("zero_verbs") + w("zero_objects") + r"|(?:^|[，,])无(?=因|涉及|政府信息公开|行政复议|行政诉讼))"
        r"[^，,。；;\d]{0,25}?(?P<a>行政复议|行政诉讼)"
        r"(?:(?:、|和|及|或|与|以及|或者)(?:被)?(?:提起)?(?P<b>行政复议|行政诉讼))?"
        # 未发生…行政复议纠错的情况 is about results, not a claim of no cases
        r"(?![^，,。；;]{0,4}?" + w("review_results") + ")"
        r"|(?P<c>行政复议)(?:、|和|及|与)(?:提起)?(?P<d>行政诉讼)(?:案件)?(?:数量|情况)?(?:均为?(?:0|零)|均无|均未发生)"
    )


def _zero_apps() -> re.Pattern[str]:
    w = phrases.words
    gap = r"[^，,。；;\d]{0,12}?"
    return phrases.regex(w("zero_verbs") + w("zero_application_objects") + gap + w("application_nouns"))


def _zero_claims(w: Walked) -> Iterator[tuple[str, str]]:
    """(subject, quoted text) for every 未收到…行政复议、行政诉讼 style claim of zero."""
    text = w.sentence.text
    # every claim names 行政复议 or 行政诉讼 (group a or c): a sentence naming neither has none
    if "行政复议" in text or "行政诉讼" in text:
        for m in phrases.compiled("N101.zero_review", _zero_review).finditer(text):
            for name in ("a", "b", "c", "d"):
                word = m.group(name)
                if word:
                    yield ("review" if word == "行政复议" else "litigation"), m.group(0)
    # a claim of no applications names them (application_nouns)
    if not phrases.pattern("application_nouns").search(text):
        return
    zero_apps = list(phrases.compiled("N101.zero_apps", _zero_apps).finditer(text))
    if zero_apps and not any(lab.subject in REVIEW_SUBJECTS for lab in w.sentence.derived(sentence_labels)):
        for m in zero_apps:
            yield "received", m.group(0)


_GROUPS = {"review": ("review",), "litigation": ("litigation_direct", "litigation_after_review")}
_GROUP_NAMES = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼 未经复议直接起诉",
    "litigation_after_review": "行政诉讼 复议后起诉",
}
_RESULT_NAMES = {"corrected": "结果纠正", "pending": "尚未审结"}


def _outcome_claims(report: Report, w: Walked) -> Iterator[tuple[str, TableFigure]]:
    """(quoted claim, the table 四 figure it contradicts) for 行政复议…均获维持 (nothing corrected,
    nothing pending) and 零败诉 (nothing corrected), said of the groups the sentence names."""
    text = w.sentence.text
    if not (phrases.pattern("all_upheld").search(text) or phrases.pattern("none_lost").search(text)):
        return
    named = {lab.subject for lab in w.sentence.derived(sentence_labels)}
    groups = [g for name, rows in _GROUPS.items() if name in named or any(r in named for r in rows) for g in rows]
    if not groups:
        return
    decided = phrases.pattern("decided_only")
    for claim, results in (("all_upheld", ("corrected", "pending")), ("none_lost", ("corrected",))):
        m = phrases.pattern(claim).search(text)
        if not m:
            continue
        if decided.search(text[: m.start()]):
            results = ("corrected",)  # 已审结的均获维持: the pending ones are not claimed
        for group in groups:
            for result in results:
                pointer = f"/tables/review_litigation/{group}/{result}"
                value = report.get(pointer)
                if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                    continue
                label = _("table 四 {group} {result}", group=_GROUP_NAMES[group], result=_RESULT_NAMES[result])
                start = max(text.rfind(c, 0, m.start()) for c in "。；;")
                yield text[start + 1 : m.end()], TableFigure(label, Decimal(str(value)), (pointer,))


def _anything() -> Callable[[str], object]:
    """One search for what every reading of a sentence below needs: a claim of none names
    行政复议/行政诉讼 or an application noun, a claim about results 均获维持 or 零败诉, a pair a
    printed count. A sentence where it finds nothing is passed over."""
    parts = [r"行政复议|行政诉讼", COUNT_PRINTED] + [
        phrases.words(n) for n in ("application_nouns", "all_upheld", "none_lost")
    ]
    if any(re.compile(p).groups for p in parts):
        return lambda text: True  # (a group would be renumbered in the union)
    return phrases.regex("|".join(f"(?:{p})" for p in parts)).search


@rule(
    "N101",
    "narrative-count",
    "warning",
    "A count stated in the narrative equals the figure in table 三 or 四.",
    """
    The narrative usually restates the tables: 收到/受理申请 N件 (table 三 一、本年新收, or with
    二、上年结转), 上年结转, 办结/答复 ((七)总计), 结转下年度, 予以公开, 部分公开, 不予公开, 无法提供,
    不予处理 (their groups' sums; 予以公开及部分公开 their sum; 因不掌握等原因无法提供 the whole group),
    行政复议 and 行政诉讼 (table 四; 行政诉讼 = 未经复议直接起诉 + 复议后起诉), claims of none
    (未收到…行政复议、行政诉讼) and claims about results (均获维持 while table 四 shows 纠正 or 尚未审结,
    零败诉 while it shows 纠正). A count is compared only when its sentence is about
    政府信息公开申请 (not the 12345 hotline, 网民留言, 信访 or 咨询; 行政复议 only when it concerns
    disclosure, not the body's work as a 复议机关), names one subject per figure, is about the
    report's year and the whole body, and the table cells are present. A 总计 printed blank is
    taken as the sum of its row (at least that much when cells of the row are blank too).
    Correct the text or the table, whichever is wrong.
    """,
    LEGAL,
)
def narrative_count(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    walked = narrative(report)
    needs_tables(report)
    comparison = phrases.pattern("comparison")
    other_year = phrases.pattern("other_year")
    subset = phrases.pattern("subset")
    disclosure = phrases.pattern("disclosure")
    carried = phrases.pattern("carried_mention")
    upheld = phrases.pattern("all_upheld")  # a claim about results says one of these
    none_lost = phrases.pattern("none_lost")
    year = report.year
    anything = phrases.compiled("N101.anything", _anything)
    for w in walked:
        s = w.sentence
        if not anything(s.text) or foreign_year(s, year):
            continue
        for subject, quoted in _zero_claims(w):
            if subject not in REVIEW_SUBJECTS and w.context != "applications" and not disclosure.search(s.text):
                continue
            wrong = disagreement(report, subject, Decimal(0), strict=True)
            if wrong is not None:
                yield finding(
                    s,
                    _('the text "{quote}" (= 0) disagrees with {table}', quote=quote(quoted), table=table_text(wrong)),
                    wrong.pointers,
                    key=f"N101:{subject}:0",
                )
        if (upheld.search(s.text) or none_lost.search(s.text)) and _review_in_scope(w):
            for quoted, wrong in _outcome_claims(report, w):
                yield finding(
                    s,
                    _('the text "{quote}" disagrees with {table}', quote=quote(quoted), table=table_text(wrong)),
                    wrong.pointers,
                    key=f"N101:{wrong.pointers[0]}",
                )
        if not prints_count(s.text):
            continue  # no clause holds a count: nothing to pair
        for clause, topic in w.clauses:
            if not prints_count(clause.text) or comparison.search(clause.text):
                continue  # (pairs() finds none in a clause that prints no count)
            for label, fig in pairs(clause):
                if not _in_scope(w, topic, label.subject):
                    continue
                rest = clause.text[: label.start] + clause.text[label.end :]
                if label.subject != "carried_over" and other_year.search(rest):
                    continue
                if label.subject in ("received", "processed", "handled") and subset.search(clause.text[: label.start]):
                    continue
                if label.subject in _OUTCOMES and (_ITEMS.match(clause.text, label.end) or fig.unit == "条"):
                    continue  # 不予公开信息数8条, 不予公开52条 count items of information, not applications
                wrong = disagreement(report, label.subject, fig.value)
                if wrong is None and label.subject == "received":
                    new = expected(report, "received")[:1]
                    if new and new[0].agrees(fig.value) is False and not carried.search(s.text):
                        # 收到75件 = 新收74 + 结转1 without a word of the carried-over one: likely
                        # counted in, but 收到 may mean it; a note, not a warning
                        yield Finding(
                            _(
                                'the text "{quoted}" differs from {table}: it counts the applications carried over '
                                "from last year (一 + 二) without saying so",
                                quoted=quote(clause.text),
                                table=table_text(new[0]),
                            ),
                            [s.pointer, *new[0].pointers],
                            level="note",
                            location=dict(s.location),
                            key=f"N101:received-with-carried:{fig.value}",
                            excerpt=s.text,
                        )
                    continue
                if wrong is not None:
                    yield finding(
                        s,
                        _(
                            'the text "{quote}" disagrees with {table}',
                            quote=quote(clause.text),
                            table=table_text(wrong),
                        ),
                        wrong.pointers,
                        key=f"N101:{label.subject}:{fig.value}",
                    )

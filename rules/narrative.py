"""N101–N106: what the narrative says against the tables and against itself.

Precision first: a sentence is only judged when its meaning is plain (one subject, one figure,
this year, the whole body); anything ambiguous passes. Each finding quotes the sentence and
both figures, points at the sentence first (its line is the finding's location) and then at
the table cells compared.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from itertools import pairwise

from nianbao import Finding, Report, Skip, hookimpl, rule
from nianbao.rule import Rule, RuleContext

from ._narrative_phrases import (
    COMPARISON,
    DISCLOSURE,
    OTHER_YEAR,
    REVIEW_SUBJECTS,
    SUBSET,
    YEAR,
    Label,
    Walked,
    labels,
    walk,
)
from ._narrative_tables import TableFigure, expected
from ._sentences import COUNT_UNITS, Clause, Figure, Sentence, figures, round_half_up, shown

_QUOTE_MAX = 48
LEGAL = "《中华人民共和国政府信息公开条例》第五十条; 国办公开办函〔2021〕30号"


def _quote(text: str) -> str:
    text = text.strip("，,、；;。 ")
    return text if len(text) <= _QUOTE_MAX else text[: _QUOTE_MAX - 1] + "…"


def _finding(s: Sentence, message: str, cells: tuple[str, ...] = (), key: str | None = None) -> Finding:
    return Finding(message, [s.pointer, *cells], location=dict(s.location), key=key)


def _walked(report: Report) -> list[Walked]:
    found = list(walk(report))
    if not found:
        raise Skip("the report has no narrative text")
    return found


def _foreign_year(s: Sentence, year: int | None) -> bool:
    """The sentence opens with, or talks about, a year that is not the report's."""
    return any(int(y) != year for y in YEAR.findall(s.text)) if year else False


def _needs_tables(report: Report) -> None:
    if "applications" not in report.tables and "review_litigation" not in report.tables:
        raise Skip("tables 三 and 四 were not recognised, so there is no figure to hold the text against")


# ---------------------------------------------------------------- N101 counts


def _pairs(clause: Clause) -> list[tuple[Label, Figure]]:
    """(subject, figure) pairs of a clause whose reading is unambiguous."""
    figs = [f for f in figures(clause.text) if f.unit not in ("%", "‰", "年", "月", "日", "号")]
    found: list[Label] = []
    for lab in labels(clause.text):
        # one subject named twice with no figure between (受理…收到) is still one subject
        if found and found[-1].subject == lab.subject and not any(found[-1].end <= f.start < lab.start for f in figs):
            continue
        found.append(lab)
    if any(lab.subject in REVIEW_SUBJECTS for lab in found):
        # 收到行政复议申请1件: the verb governs the review, not table 三
        found = [lab for lab in found if lab.subject not in ("received", "processed", "handled")]
    if not found or not figs or any(not f.is_count for f in figs):
        return []
    if any(lab.subject == "detail" for lab in found):
        return []
    if len(found) != len(figs):
        return []
    marks = sorted(
        [(lab.start, "L", i) for i, lab in enumerate(found)] + [(f.start, "F", i) for i, f in enumerate(figs)]
    )
    kinds = [k for _, k, _ in marks]
    if any(a == b for a, b in pairwise(kinds)):
        return []  # two labels or two figures in a row: which goes with which is a guess
    pairs = []
    for a, b in zip(marks[::2], marks[1::2], strict=False):
        lab, fig = (a, b) if a[1] == "L" else (b, a)
        pairs.append((found[lab[2]], figs[fig[2]]))
    return pairs


_OUTCOMES = frozenset({"granted", "partially_granted", "denied", "unavailable", "not_processed", "other_processing"})
_ITEMS = re.compile(r"的?(?:政府)?信息|类")


def _in_scope(w: Walked, topic: str | None, subject: str) -> bool:
    if subject in REVIEW_SUBJECTS:
        return (
            w.sentence.section_key == "review_litigation"
            or bool(DISCLOSURE.search(w.sentence.text))
            or topic == "applications"
        )
    return topic == "applications"


def _disagreement(report: Report, subject: str, stated: Decimal, *, strict: bool = False) -> TableFigure | None:
    """The table figure a stated count contradicts, or None when it agrees or cannot be told.
    ``strict``: only the subject's main reading counts (a claim of none is about all of them)."""
    choices = expected(report, subject)[:1] if strict else expected(report, subject)
    if not choices:
        return None
    verdicts = [c.agrees(stated) for c in choices]
    if any(v is not False for v in verdicts):
        return None
    return choices[0]


def _table_text(fig: TableFigure) -> str:
    assert fig.value is not None
    sign = "≥" if fig.at_least else "="
    return f"{fig.label} {sign} {shown(fig.value)}"


_ZERO_REVIEW = re.compile(
    r"(?:(?:未|没有|均未|从未|未曾)(?:收到|发生|出现|接到|产生|涉及|有|被)|(?:^|[，,])无(?=因|涉及|政府信息公开|行政复议|行政诉讼))"
    r"[^，,。；;\d]{0,25}?(?P<a>行政复议|行政诉讼)"
    r"(?:(?:、|和|及|或|与|以及|或者)(?:被)?(?:提起)?(?P<b>行政复议|行政诉讼))?"
    # 未发生…行政复议纠错的情况 is about results, not a claim of no cases
    r"(?![^，,。；;]{0,4}?(?:纠|败诉|撤销|违法|维持))"
    r"|(?P<c>行政复议)(?:、|和|及|与)(?:提起)?(?P<d>行政诉讼)(?:案件)?(?:数量|情况)?(?:均为?(?:0|零)|均无|均未发生)"
)
_ZERO_APPS = re.compile(
    r"(?:未|没有|均未|从未)(?:收到|受理|接到|接收|发生)[^，,。；;\d]{0,12}?(?:政府信息公开申请|信息公开申请|依申请公开)"
)


def _zero_claims(w: Walked) -> Iterator[tuple[str, str]]:
    """(subject, quoted text) for every 未收到…行政复议、行政诉讼 style claim of zero."""
    text = w.sentence.text
    for m in _ZERO_REVIEW.finditer(text):
        for name in ("a", "b", "c", "d"):
            word = m.group(name)
            if word:
                yield ("review" if word == "行政复议" else "litigation"), m.group(0)
    if not any(lab.subject in REVIEW_SUBJECTS for lab in labels(text)):
        for m in _ZERO_APPS.finditer(text):
            yield "received", m.group(0)


@rule(
    "N101",
    "narrative-count",
    "warning",
    "A count stated in the narrative equals the figure in table 三 or 四.",
    """
    The narrative usually restates the tables: 收到/受理申请 N件 (table 三 一、本年新收, or with
    二、上年结转), 上年结转, 办结/答复 ((七)总计), 结转下年度, 予以公开, 部分公开, 不予公开, 无法提供,
    不予处理 (their groups' sums), 行政复议 and 行政诉讼 (table 四), and claims of none
    (未收到…行政复议、行政诉讼). A count is compared only when its sentence is about
    政府信息公开申请 (not the 12345 hotline or 网民留言), names one subject per figure, is about the
    report's year and the whole body, and the table cells are present. Correct the text or the
    table, whichever is wrong.
    """,
    LEGAL,
)
def narrative_count(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    walked = _walked(report)
    _needs_tables(report)
    for w in walked:
        s = w.sentence
        if _foreign_year(s, report.year):
            continue
        for subject, quoted in _zero_claims(w):
            if subject not in REVIEW_SUBJECTS and w.context != "applications" and not DISCLOSURE.search(s.text):
                continue
            wrong = _disagreement(report, subject, Decimal(0), strict=True)
            if wrong is not None:
                yield _finding(
                    s,
                    f'正文 "{_quote(quoted)}" (= 0) 与{_table_text(wrong)} 不符',
                    wrong.pointers,
                    key=f"N101:{subject}:0",
                )
        for clause, topic in w.clauses:
            if COMPARISON.search(clause.text):
                continue
            for label, fig in _pairs(clause):
                if not _in_scope(w, topic, label.subject):
                    continue
                rest = clause.text[: label.start] + clause.text[label.end :]
                if label.subject != "carried_over" and OTHER_YEAR.search(rest):
                    continue
                if label.subject in ("received", "processed") and SUBSET.search(clause.text[: label.start]):
                    continue
                if label.subject in _OUTCOMES and _ITEMS.match(clause.text, label.end):
                    continue  # 不予公开信息数8条 counts items of information, not applications
                wrong = _disagreement(report, label.subject, fig.value)
                if wrong is not None:
                    yield _finding(
                        s,
                        f'正文 "{_quote(clause.text)}" 与{_table_text(wrong)} 不符',
                        wrong.pointers,
                        key=f"N101:{label.subject}:{fig.value}",
                    )


# ---------------------------------------------------------------- N102 percentages

_RATE = re.compile(
    r"(?P<prefix>按时|按期|及时|满意|主动|公开|群众)?(?P<kind>办结|答复|回复|办理|处理)率(?:为|达|达到|是)?$"
)
_NUMERATOR = {
    "办结": r"办结|办理完毕|处理完毕",
    "答复": r"答复|回复",
    "回复": r"回复|答复",
    "办理": r"办理|办结",
    "处理": r"处理|办结",
}
_DENOMINATOR = re.compile(r"收到|接收|受理|接到|收悉|新收|登记|转办")
_QUALIFIED = re.compile(r"按时|按期|及时|当场|当日|限期|逾期|超期|提前")
_SHARE = re.compile(r"占(?:比|[^，,。；;\d%]{0,12})?(?:为|达)?$")


def _only_count(text: str) -> Figure | None:
    counts = [f for f in figures(text) if f.unit not in ("年", "月", "日", "号", "")]
    return counts[0] if len(counts) == 1 and counts[0].is_count else None


def _rate_agrees(printed: Figure, num: Decimal, den: Decimal) -> tuple[bool, Decimal]:
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


def _rates(s: Sentence) -> Iterator[tuple[Figure, Figure, Figure, str, str]]:
    """(printed %, numerator, denominator, quoted text, rate word) for every 办结率 whose counts
    are both stated before it in the same sentence segment."""
    for clauses in _segments(s):
        for i, clause in enumerate(clauses):
            for pct in (f for f in figures(clause.text) if f.unit == "%"):
                m = _RATE.search(clause.text[: pct.start])
                if not m or m.group("prefix"):
                    continue
                num_re = re.compile(_NUMERATOR[m.group("kind")])
                num = den = None
                den_at = 0
                j = i
                for j in range(i, -1, -1):
                    text = clauses[j].text if j < i else clause.text[: m.start()]
                    if num_re.search(text) and not _DENOMINATOR.search(text):
                        # 按时办结320件 is the on-time part, not what 办结率 divides
                        num = None if _QUALIFIED.search(text) else _only_count(text)
                        break
                if num is None:
                    continue
                for k in range(j - 1, -1, -1):
                    if _DENOMINATOR.search(clauses[k].text):
                        den = _only_count(clauses[k].text)
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
            for pct in (f for f in figures(share_clause.text) if f.unit == "%"):
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
    for w in _walked(report):
        s = w.sentence
        if _foreign_year(s, report.year):
            continue
        for pct, num, den, quoted, word in _rates(s):
            ok, exact = _rate_agrees(pct, num.value, den.value)
            if not ok:
                yield _finding(
                    s,
                    f'正文 "{_quote(quoted)}": {word} {pct.text} 但 '
                    f"{num.text} / {den.text} = {shown(round_half_up(exact, max(pct.decimals, 2)))}%",
                    key=f"N102:{word}:{pct.value}",
                )
        for pct, part, whole, quoted in _shares(s):
            if part.value > whole.value or whole.value == 0:
                continue
            ok, exact = _rate_agrees(pct, part.value, whole.value)
            if not ok:
                yield _finding(
                    s,
                    f'正文 "{_quote(quoted)}": 占 {pct.text} 但 {part.text} / {whole.text}'
                    f" = {shown(round_half_up(exact, max(pct.decimals, 2)))}%",
                    key=f"N102:share:{pct.value}",
                )


# ---------------------------------------------------------------- N103 breakdowns

_CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("review_outcome", re.compile(r"维持|纠正|其他结果|尚未审结|审结|驳回|撤回|终止")),
    ("outcome", re.compile(r"公开|无法提供|不予处理|其他处理")),
    ("handling", re.compile(r"办结|答复|回复|办理|结转|处理")),
    ("applicant", re.compile(r"自然人|法人|企业|组织|个人|公民|机构")),
    (
        "platform",
        re.compile(
            r"微信|公众号|微博|头条|抖音|快手|视频号|百家号|客户端|APP|App|app|小程序|网易|企鹅号|人民号|强国号|澎湃"
        ),
    ),
    ("channel", re.compile(r"网络|网上|在线|互联网|网站|信函|邮寄|邮件|来信|当面|现场|窗口|传真|电话|平台提交")),
)
#: categories whose parts are the whole: listing fewer than the whole is itself a mistake
_EXHAUSTIVE = frozenset({"channel", "platform", "review_outcome"})
_HEDGE = re.compile(r"等|主要|包括|以上|左右")


def _category(text: str) -> str | None:
    for name, pattern in _CATEGORIES:
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
    clauses = s.clauses()
    found: list[Breakdown] = []
    for i, clause in enumerate(clauses):
        at = clause.text.find("其中")
        if at < 0:
            continue
        # the whole: the last count before 其中, in this clause or the one before it
        before = [f for f in figures(clause.text[:at]) if f.unit]
        whole_clause = clause
        if not before and i > 0 and s.text[clause.start - 1] in "，,":
            whole_clause = clauses[i - 1]
            before = [f for f in figures(whole_clause.text) if f.unit]
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
            figs = [f for f in figures(part_clause.text) if f.unit not in ("年", "月", "日", "号")]
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
        b.hedged = bool(_HEDGE.search("".join(c.text for c, _ in b.parts)))
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
    for w in _walked(report):
        s = w.sentence
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
            yield _finding(
                s,
                f'正文 "{_quote(quoted)}": 其中各项 {terms} = {shown(total)}，与总数 {shown(b.whole.value)} 不符',
                key=f"N103:{b.whole.value}:{total}",
            )


# ---------------------------------------------------------------- N104 averages

_AVERAGE = re.compile(
    r"(?P<per>日均|平均每日|平均每天|每日平均|每天平均|月均|平均每月|每月平均)"
    r"(?P<noun>[^，,。；;\d]{0,6}?)(?:为|达|达到|约|超过|近)?$"
)
_TOTAL = re.compile(r"(?P<noun>访问|浏览|点击)[^，,。；;\d]{0,6}?$")
_CUMULATIVE = re.compile(r"累计|以来|截至|截止|历史|上线|开通|建站|月份|季度|上半年|下半年|本月|当月|单日|最高")
_VISITS = ("人次", "次")


def _averages(s: Sentence) -> Iterator[tuple[Figure, Figure, int, str, str]]:
    text = s.text
    figs = figures(text)
    for i, avg in enumerate(figs):
        if avg.unit not in _VISITS:
            continue
        m = _AVERAGE.search(text[max(0, avg.start - 16) : avg.start])
        if not m:
            continue
        monthly = m.group("per") in ("月均", "平均每月", "每月平均")
        for total in reversed(figs[:i]):
            if total.unit not in _VISITS:
                continue
            t = _TOTAL.search(text[max(0, total.start - 12) : total.start])
            clause_start = max(text.rfind(c, 0, total.start) for c in "，,；;。")
            if not t or _CUMULATIVE.search(text[clause_start + 1 : total.start]):
                break
            noun = m.group("noun")
            if noun and not any(stem in noun for stem in ("访问", "浏览", "点击")):
                break
            if noun and t.group("noun") not in noun:
                break
            yield avg, total, 12 if monthly else 0, m.group("per"), text[clause_start + 1 : avg.end]
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
    for w in _walked(report):
        s = w.sentence
        if _foreign_year(s, year):
            continue
        for avg, total, months, per, quoted in _averages(s):
            if months:
                periods, unit = months, "个月"
            elif year:
                periods, unit = (366 if calendar.isleap(year) else 365), "天"
            else:
                continue
            product = avg.value * periods
            off = abs(product - total.value)
            # 日均3000余人次, 近400万: a printed approximation earns twice the room
            room = tolerance * (2 if avg.approx or total.approx else 1)
            if off <= room * total.value or off <= total.precision:
                continue
            yield _finding(
                s,
                f'正文 "{_quote(quoted)}": {per} {avg.text} × {periods}{unit} = '
                f"{shown(product)}{avg.unit}，与总量 {total.text} 相差 "
                f"{(off / total.value * 100).quantize(Decimal(1))}%",
                key=f"N104:{avg.value}:{total.value}",
            )


# ---------------------------------------------------------------- N105 all done

_ALL_DONE = re.compile(
    r"(?:全部|均已|已全部|均|全都|悉数)(?:已)?(?:按时|按期|依法|及时)?(?:办理)?"
    r"(?:办结|答复|办理完毕|处理完毕|予以答复|作出答复|回复|办理答复)(?!率)"
    r"|(?<!按时)(?<!按期)(?<!及时)(?:办结|答复)率(?:为|达|达到)?100(?:\.0+)?%"
)
#: the sentence itself names what is left (结转下年度, 除…外) or only claims timeliness (期限内)
_EXCEPT = re.compile(
    r"结转(?:至|到|入)?下|转入下|继续办理|顺延|除[^，,。；;]{0,20}外|其余|剩余|尚有|正在|未办结|期限内|时限内|期内"
    r"|对[^，,。；;]{0,6}上一?年度?结转"  # a claim about a part: the ones carried over from last year
)


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
    walked = _walked(report)
    _needs_tables(report)
    forward = expected(report, "carried_forward")
    if not forward or forward[0].value is None:
        raise Skip("table 三 四、结转下年度继续办理 总计 is not available")
    carried = forward[0]
    assert carried.value is not None
    if carried.value <= 0:
        return
    for w in walked:
        s = w.sentence
        if _foreign_year(s, report.year) or _EXCEPT.search(s.text):
            continue
        for clause, topic in w.clauses:
            if topic != "applications":
                continue
            m = _ALL_DONE.search(clause.text)
            if m:
                yield _finding(
                    s,
                    f'正文 "{_quote(clause.text)}" 称全部办结，但{_table_text(carried)}',
                    carried.pointers,
                    key="N105",
                )
                break


# ---------------------------------------------------------------- N106 year

_OPENING_YEAR = re.compile(
    r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d{1,2}[.、．](?!\d))?[^，,。\d《“]{0,6}?"
    r"(?P<year>(?:19|20)\d{2})年度?(?P<after>.{0,3})"
)
_DATA = re.compile(r"共|收到|受理|主动公开|发布|办结|答复|开设|制发|印发|新增|办理|召开")
_STATED_COUNT = frozenset({*COUNT_UNITS, "人次", "次", "篇", "期", "场"})
_NOT_REPORT_YEAR = re.compile(
    r"较|同比|相比|比上年|与上年|增长|下降|增加|减少|上升|持平|以来|至今"  # comparisons and periods
    r"|将|计划|拟|预计|力争|下一步|争取"  # plans
)
_YEAR_SECTIONS = frozenset({"overview", "active_disclosure", "applications", "review_litigation"})


@rule(
    "N106",
    "narrative-year",
    "warning",
    "A sentence that reports the year's work opens with another year.",
    """
    "2020年，我县共收到…" in the 2021 report is a paragraph kept from last year's report: its
    figures are probably last year's too. Judged in sections 一 to 四: a sentence that opens with
    another year and states the year's figures (共收到5件, 主动公开356条), and the opening sentence
    of 一、总体情况 ("2020年，我县政府信息公开工作坚持…"). Comparisons (较上年, 同比), periods
    (2019年以来), plans (将, 计划), dates with a month (2020年12月) and sentences naming a second
    year are not.
    """,
    "《中华人民共和国政府信息公开条例》第五十条",
)
def narrative_year(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    year = report.year
    if not year:
        raise Skip("the report's year is not known")
    opening = True  # the first sentence of 一、总体情况
    for w in _walked(report):
        s = w.sentence
        first = opening and s.section_key == "overview" and not s.heading
        opening = opening and (s.heading or s.section_key != "overview")
        if s.section_key not in _YEAR_SECTIONS:
            continue
        m = _OPENING_YEAR.match(s.text)
        if not m or int(m.group("year")) == year:
            continue
        after = m.group("after")
        if not after or after[0] not in "，,全我本各共" or after[0].isdigit():
            continue
        if YEAR.search(s.text, m.end()) or _NOT_REPORT_YEAR.search(s.text):
            continue
        # the year's figures (共收到5件, 主动公开356条), or the report's opening sentence itself
        counts = any(f.unit in _STATED_COUNT and not f.approx for f in figures(s.text))
        if not first and not (counts and _DATA.search(s.text)):
            continue
        yield _finding(
            s,
            f'正文 "{_quote(s.text)}" 以{m.group("year")}年起句，而本报告为{year}年度报告',
            key=f"N106:{m.group('year')}",
        )


@hookimpl
def nianbao_rules() -> list[Rule]:
    return [
        narrative_count,
        narrative_percentage,
        narrative_breakdown,
        narrative_average,
        narrative_all_done,
        narrative_year,
    ]

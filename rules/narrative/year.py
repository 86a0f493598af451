"""N106: a sentence that reports the year's work opens with another year."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nianbao import Finding, Report, Skip, rule
from nianbao.i18n import _
from nianbao.rule import RuleContext

from . import phrases
from .common import YEAR, finding, narrative, quote
from .text import COUNT_UNITS

_OPENING_YEAR = re.compile(
    r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d{1,2}[.、．](?!\d))?[^，,。\d《“]{0,6}?"
    r"(?P<year>(?:19|20)\d{2})年度?(?P<after>.{0,3})"
)
#: a heading the reader left at the start of the sentence: (二)主动公开政府信息的主要类别2023年，…
_HEADING_PREFIX = re.compile(
    r"^(?:(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)[^，,。；;：:\d“《]{0,24}?)+(?=(?:19|20)\d{2}年)"
)
_STATED_COUNT = frozenset({*COUNT_UNITS, "人次", "次", "篇", "期", "场"})
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
        raise Skip(_("the report's year is not known"))
    data_verbs = phrases.pattern("year_data_verbs")
    not_report_year = phrases.pattern("not_report_year")
    opening_verbs = phrases.pattern("year_opening_verbs")
    opening = True  # the first sentence of 一、总体情况
    for w in narrative(report):
        s = w.sentence
        first = opening and s.section_key == "overview" and not s.heading
        opening = opening and (s.heading or s.section_key != "overview")
        if s.section_key not in _YEAR_SECTIONS or "年" not in s.text:
            continue  # (the opening year is followed by 年: a sentence without one opens with none)
        heading = _HEADING_PREFIX.match(s.text)
        rest = s.text[heading.end() :] if heading else s.text
        m = _OPENING_YEAR.match(rest)
        if not m or int(m.group("year")) == year:
            continue
        after = m.group("after")
        # 2020年，… / 2020年我县… / 2020年制作、获取政府信息…: not 2020年的, 2020年12月, 2020年印发的《…》
        opens = after and after[0] in "，,全我本各共"
        if not opens and not (after and opening_verbs.match(rest, m.start("after"))):
            continue
        if YEAR.search(rest, m.end()) or not_report_year.search(s.text):
            continue
        # the year's figures (共收到5件, 主动公开356条), or the report's opening sentence itself
        counts = any(f.unit in _STATED_COUNT and not f.approx for f in s.figures())
        if not first and not (counts and data_verbs.search(s.text)):
            continue
        yield finding(
            s,
            _(
                'the text "{quote}" opens with {year}, in the report for {report_year}',
                quote=quote(s.text),
                year=m.group("year"),
                report_year=year,
            ),
            key=f"N106:{m.group('year')}",
        )

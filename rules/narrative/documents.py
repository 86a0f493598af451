"""N107: a count of 规章 or 规范性文件 the narrative states equals table 二."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from nianbao import Finding, Report, Skip, rule
from nianbao.i18n import _
from nianbao.rule import RuleContext

from . import phrases
from .common import LEGAL, finding, foreign_year, narrative, quote
from .tables import TableFigure
from .text import Clause, shown

#: the columns of table 二 a statement may equal, by template; 2019 counts 制作 and 公开 apart and
#: has no stock in force, so 制发 may be either of its first two columns and 现行有效 is not compared
_COLUMNS = {
    "2021": {"issued": ("issued",), "repealed": ("repealed",), "in_force": ("in_force",)},
    "2019": {"issued": ("produced", "published")},
}
_ROW_NAMES = {"regulations": "规章", "normative_documents": "行政规范性文件"}
_COLUMN_NAMES = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "produced": "本年新制作数量",
    "published": "本年新公开数量",
}
_NOT_COUNTS = frozenset({"%", "‰", "年", "月", "日", "号", ""})


def _named(group: str) -> list[tuple[str, re.Pattern[str]]]:
    return [(name, phrases.regex(phrases.alternation(alts))) for name, alts in phrases.data()[group].items()]


def _found(group: str, text: str) -> list[str]:
    return [name for name, p in phrases.compiled(f"N107.{group}", lambda: _named(group)) if p.search(text)]


def _figure(report: Report, row: str, column: str) -> TableFigure | None:
    pointer = f"/tables/active_disclosure/{row}/{column}"
    value = report.get(pointer)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    label = _("table 二 {row} {column}", row=_ROW_NAMES[row], column=_COLUMN_NAMES[column])
    return TableFigure(label, Decimal(str(value)), (pointer,))


def statements(clauses: list[Clause]) -> Iterator[tuple[Clause, str, str, Decimal]]:
    """(clause, row, subject, stated) for each clause that states one count of one kind of
    document (the noun may be named in an earlier clause of the sentence: 制发规范性文件3件，废止1件)."""
    other = phrases.pattern("document_other")
    noun: str | None = None
    for clause in clauses:
        nouns = _found("document_nouns", clause.text)
        if len(nouns) > 1:
            noun = None  # 规章和规范性文件5件: which is which is a guess
            continue
        if nouns:
            noun = nouns[0]
        if noun is None or other.search(clause.text):
            continue
        subjects = _found("document_subjects", clause.text)
        counts = [f for f in clause.figures() if f.unit not in _NOT_COUNTS]
        if len(subjects) != 1 or len(counts) != 1 or not counts[0].is_count:
            continue
        yield clause, noun, subjects[0], counts[0].value


@rule(
    "N107",
    "narrative-documents",
    "warning",
    "A count of 规章 or 规范性文件 stated in the narrative equals table 二.",
    """
    本年制发规范性文件3件, 废止1件, 现行有效规范性文件45件: table 二 (2021) prints the same figures
    in 本年制发件数, 本年废止件数 and 现行有效件数 of 规章 and 行政规范性文件 (2019: 制发 is compared
    with 本年新制作数量 or 本年新公开数量). A clause is compared when it names one kind of document
    (or follows a clause that did), one of 制发/废止/现行有效 and one exact count, and is about the
    report's year and the whole body; figures about 备案, 审查, 清理, 解读, 征求意见, 党内规范性文件 or
    another year are not.
    """,
    LEGAL,
)
def narrative_documents(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    walked = narrative(report)
    shape = report.table_template("active_disclosure")
    if "active_disclosure" not in report.tables or shape not in _COLUMNS:
        raise Skip(_("table 二 was not recognised, so there is no figure to hold the text against"))
    columns = _COLUMNS[shape]
    comparison = phrases.pattern("comparison")
    other_year = phrases.pattern("other_year")
    subset = phrases.pattern("subset")
    for w in walked:
        s = w.sentence
        if not ("规章" in s.text or "规范性文件" in s.text) or foreign_year(s, report.year):
            continue
        for clause, row, subject, stated in statements(s.clauses()):
            text = clause.text
            if comparison.search(text) or other_year.search(text) or subset.search(text):
                continue
            choices = [f for c in columns.get(subject, ()) if (f := _figure(report, row, c)) is not None]
            if not choices or any(c.agrees(stated) for c in choices):
                continue
            wrong = choices[0]
            assert wrong.value is not None
            yield finding(
                s,
                _(
                    'the text "{quote}" disagrees with {label} = {value}',
                    quote=quote(text),
                    label=wrong.label,
                    value=shown(wrong.value),
                ),
                tuple(p for c in choices for p in c.pointers),
                key=f"N107:{row}:{subject}:{stated}",
            )

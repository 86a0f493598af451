"""S101-S104: the six sections of the report (条例 第五十条) and what they hold."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nianbao import Finding, Report, Skip, hookimpl, rule
from nianbao.i18n import _
from nianbao.model import join
from nianbao.normalize import key
from nianbao.rule import Rule, RuleContext
from nianbao.rules.narrative import phrases
from nianbao.template import describe, sections

#: what a report prints in 五 when it says nothing (compared after punctuation is folded)
_EMPTY_TOKENS = frozenset({"", "无", "暂无", "没有", "无此项", "不适用", "none", "na", "无相关情况"})


def _pointer(index: int) -> str:
    return join("sections", index)


@rule(
    "S101",
    "sections-present",
    "error",
    "All six sections are present, in the order of the template.",
    """
    条例 第五十条 lists what the report contains, and both templates print it as six sections:
    一、总体情况 · 二、主动公开政府信息情况 · 三、收到和处理政府信息公开申请情况 ·
    四、政府信息公开行政复议、行政诉讼情况 · 五、存在的主要问题及改进情况 · 六、其他需要报告的事项.
    A missing section is reported by its printed heading, pointing where it should have been
    (at the next section found); a section printed after a later one is reported where it stands.
    Headings are matched loosely (full/half-width, 第一部分, common variants).
    """,
    "《政府信息公开条例》第五十条; 国办公开办函〔2021〕30号 年度报告格式",
)
def sections_present(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    expected = sections()
    number_of = {s.key: s.number for s in expected}
    found = [(i, number_of[s.get("key")]) for i, s in enumerate(report.sections) if s.get("key") in number_of]
    if not found:
        yield Finding(
            _(
                "none of the six sections was found ({first} … {last})",
                first=expected[0].label,
                last=expected[-1].label,
            ),
            [],
        )
        return
    present = {n for _, n in found}
    for section in expected:
        if section.number in present:
            continue
        after = [i for i, n in found if n > section.number]
        before = [i for i, n in found if n < section.number]
        where = [_pointer(after[0])] if after else [_pointer(before[-1])]
        yield Finding(_("section {section} is missing", section=section.label), where)
    highest = 0
    for index, number in found:
        if number < highest:
            later = next(s.label for s in expected if s.number == highest)
            heading = report.sections[index].get("heading") or expected[number - 1].label
            yield Finding(
                _("section {section} comes after {later}: out of order", section=heading, later=later),
                [_pointer(index)],
            )
        highest = max(highest, number)


@rule(
    "S102",
    "tables-under-sections",
    "error",
    "Tables 二, 三 and 四 sit under sections 二, 三 and 四.",
    """
    Table 二 belongs to 二、主动公开政府信息情况, table 三 to 三、收到和处理政府信息公开申请情况 and
    table 四 to 四、政府信息公开行政复议、行政诉讼情况. A table under another heading usually means a
    heading is missing or misnumbered, or the tables were pasted in the wrong place. Uses where
    the reader found each table (table_sections); skipped when the reader did not record it.
    """,
    "国办公开办函〔2021〕30号 年度报告格式",
)
def tables_under_sections(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    placed = report.data.get("table_sections")
    if not isinstance(placed, dict) or not placed:
        raise Skip(_("the reader did not record which section each table sits under (table_sections)"))
    labels = {s.number: s.label for s in sections()}
    own = {s.key: s.number for s in sections()}
    checked = 0
    for table, number in placed.items():
        shape = report.table_template(table)
        if table not in own or table not in report.tables or shape not in ("2021", "2019"):
            continue
        checked += 1
        if number == own[table]:
            continue
        described = describe(shape).tables[table]
        pointers = [_first_cell(report, table, shape)]
        if number is None:
            where = _("before any of the six sections")
        else:
            where = _("under {section}", section=_heading(report, number) or labels.get(number, number))
            found = report.section(_key_of(number))
            if found:
                pointers.append(_pointer(found[0]))
        what = _("table {number} ({label})", number=described.number, label=described.label)
        yield Finding(
            _("{table} sits {where}, not under {section}", table=what, where=where, section=labels[own[table]]),
            pointers,
        )
    if not checked:
        raise Skip(_("none of the tables recorded in table_sections was recognised"))


def _key_of(number: int) -> str:
    return next((s.key for s in sections() if s.number == number), "")


def _heading(report: Report, number: int) -> str | None:
    found = report.section(_key_of(number))
    return found[1].get("heading") if found else None


def _first_cell(report: Report, table: str, shape: str) -> str:
    cells = [r.cell(c.key) for r, c in describe(shape).tables[table].cells()]
    return next((p for p in cells if p in report.provenance), cells[0])


@rule(
    "S103",
    "problems-not-empty",
    "warning",
    "Section 五 (存在的主要问题及改进情况) says something.",
    """
    条例 第五十条 requires the report to state the main problems of the work and how they are
    being improved. An empty section 五, or one that only says 无 / 暂无, is perfunctory; supervisors
    may hold such reports to account (条例 第四十七条). Skipped when section 五 is missing (S101).
    """,
    "《政府信息公开条例》第五十条第（四）项",
)
def problems_not_empty(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    found = report.section("problems")
    if found is None:
        raise Skip(_("there is no section 五 (S101 reports it)"))
    index, section = found
    text = section.get("text") or ""
    if key(text).lower() in _EMPTY_TOKENS:
        heading = section.get("heading") or "五"
        if text.strip():
            yield Finding(
                _("section {section} says only {text!r}", section=heading, text=text.strip()), [_pointer(index)]
            )
        else:
            yield Finding(_("section {section} says nothing", section=heading), [_pointer(index)])


def _fee_stated(text: str, *, anywhere: bool) -> bool:
    """Whether ``text`` says what 信息处理费 was charged (or that none was). Outside section 六
    only a sentence about applications or disclosure counts (行政事业性收费 is table 二's)."""
    fee = phrases.pattern("fee_statement")
    if not anywhere:
        return bool(fee.search(text))
    if not phrases.anywhere("fee_statement")(text):
        return False  # in none of its sentences either
    context = phrases.pattern("fee_context")
    for sentence in re.split(r"[。；;\n]", text):
        m = fee.search(sentence)
        if m and ("处理费" in m.group(0) or context.search(sentence)):
            return True
    return False


@rule(
    "S104",
    "fee-statement",
    "warning",
    "2021+: section 六 states the 信息处理费 charged (or that none was).",
    """
    Since the 政府信息公开信息处理费管理办法 (国办函〔2020〕109号) took effect, reports for 2021 and
    later state in 六、其他需要报告的事项 the information-processing fees charged, or that none
    were. Accepted: a mention of 信息处理费 / 处理费, or any of the ways reports say no fee was
    charged (未收取…费, 未发生收费情况, 不存在收费情况, 收费0元, 没有收取任何费用, 零收费 …; the list is
    ``fee_statement`` in schemas/narrative-phrases.json), in section 六 or, about applications,
    in another section (some reports state it under 三). That the template requires it is
    believed, not confirmed, hence a warning. Skipped before 2021; a report without section 六
    (S101) is held to a statement in any section.
    """,
    "国办函〔2020〕109号《政府信息公开信息处理费管理办法》; 国办公开办函〔2021〕30号",
)
def fee_statement(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    year = report.year
    if year is None:
        raise Skip(_("the report's year is unknown"))
    if year < 2021:
        raise Skip(
            _(
                "信息处理费 is stated from the 2021 reports on (国办函〔2020〕109号); this report is for {year}",
                year=year,
            )
        )
    found = report.section("other")
    if found is None:
        if not report.sections:
            raise Skip(_("the report has no sections (S101 reports it)"))
        # no section 六 (S101 reports it): the statement may still be made elsewhere
        if any(_fee_stated(s.get("text") or "", anywhere=True) for s in report.sections):
            return
        yield Finding(
            _("the report has no section 六 and says nothing about 信息处理费 in any other section"),
            [_pointer(len(report.sections) - 1)],
        )
        return
    index, section = found
    text = section.get("text") or ""
    if _fee_stated(text, anywhere=False):
        return
    if any(_fee_stated(s.get("text") or "", anywhere=True) for i, s in enumerate(report.sections) if i != index):
        return
    lines = text.strip().splitlines()
    heading = section.get("heading") or "六"
    yield Finding(
        _("section {section} says nothing about 信息处理费 ({text!r})", section=heading, text=lines[0].strip()[:40])
        if lines
        else _("section {section} says nothing about 信息处理费 (nothing)", section=heading),
        [_pointer(index)],
    )


@hookimpl
def nianbao_rules() -> list[Rule]:
    return [sections_present, tables_under_sections, problems_not_empty, fee_statement]

"""Pack ``wuwei`` (甘肃 · 武威): 武政办发〔2025〕54号, the city's notice of 2025-12-19 on compiling
and publishing the 2025 annual reports.

Source: www.gswuwei.gov.cn, art/2025/12/19/art_76_1558865.html. [C] The notice asks that
一、总体情况 "篇幅原则上不超过一千字" and that it give the counts the notice lists (platforms, policy
interpretations, key-sector items, regulations issued / repealed / in force, 政务公开专区, 公报
issues). It is about the reports for 2025 onwards: earlier years are skipped (option
``from_year``).

What is uncertain, and how the rules read it: a 字 is counted as a character other than white
space (punctuation included, as word processors count 字数); "原则上" (in principle) makes WW101
a warning. The notice does not say how a count must be phrased: WW102 accepts a sentence of
总体情况 that names the item (the words in ``schemas/pack-wuwei.json``) and prints a figure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from nianbao import Finding, Option, Pack, Report, Rule, Skip, hookimpl, rule
from nianbao.i18n import N_, _
from nianbao.model import join
from nianbao.plugins import section_text
from nianbao.rule import RuleContext

NIANBAO_API = 2
SOURCE = "武政办发〔2025〕54号（2025-12-19）：关于做好2025年度政府信息公开工作年度报告编制发布工作的通知"
URL = "https://www.gswuwei.gov.cn/art/2025/12/19/art_76_1558865.html"
BASIS = "武威市人民政府办公室 武政办发〔2025〕54号"
_FIGURE = re.compile(r"\d|[一二三四五六七八九十百千万两]+[个件条期篇项家次]")
_SENTENCE = re.compile(r"[^。！？；\n]+")


@hookimpl
def nianbao_pack() -> Pack:
    return Pack(
        name="wuwei",
        region="甘肃·武威",
        source=SOURCE,
        url=URL,
        description=N_("2025 reports on: 总体情况 at most 1000 characters, giving the counts the notice lists."),
    )


@cache
def items() -> list[dict[str, Any]]:
    """The counts the notice asks 总体情况 to give, with the words reports name them by."""
    from nianbao import schemas

    return list(json.loads(schemas.text("pack-wuwei.json"))["items"])


def _overview(report: Report, ctx: RuleContext) -> tuple[int, str]:
    year, start = report.year, int(ctx.option("from_year"))
    if year is None:
        raise Skip(_("the report's year is unknown"))
    if year < start:
        raise Skip(
            _("the notice applies to the reports for {start} onwards; this one is for {year}", start=start, year=year)
        )
    found = section_text(report, "overview")
    if found is None or not found[1].strip():
        raise Skip(_("the report has no 一、总体情况 to measure"))
    return found


@rule(
    id="WW101",
    name="overview-within-1000-characters",
    level="warning",
    summary="一、总体情况 is at most 1000 characters (武威, 武政办发〔2025〕54号).",
    explanation="""
    武威's notice on the 2025 reports asks that 总体情况 "篇幅原则上不超过一千字". Counted: the characters
    of the section other than white space, punctuation included. Options: ``max_chars`` (default
    1000), ``from_year`` (default 2025: earlier reports are skipped).
    """,
    legal_basis=BASIS,
    help_uri=URL,
    options={
        "max_chars": Option(int, 1000, "the most characters 总体情况 may have"),
        "from_year": Option(int, 2025, "the first report year the notice applies to"),
    },
    since="0.1.0",
    example="一、总体情况 has 1 115 characters, more than the 1000 the notice allows (武政办发〔2025〕54号)",
)
def overview_length(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    index, text = _overview(report, ctx)
    count, limit = len(re.sub(r"\s", "", text)), int(ctx.option("max_chars"))
    if count > limit:
        yield Finding(
            _(
                "一、总体情况 has {count} characters, more than the {limit} the notice allows (武政办发〔2025〕54号)",
                count=count,
                limit=limit,
            ),
            [join("sections", index)],
        )


@rule(
    id="WW102",
    name="overview-required-counts",
    level="warning",
    summary="一、总体情况 gives the counts 武政办发〔2025〕54号 lists (platforms, interpretations, documents, 公报…).",
    explanation="""
    武威's notice asks 总体情况 to give, as figures: the disclosure platforms, the policy
    interpretations, the key-sector items, the regulations and normative documents issued, repealed
    and in force, the 政务公开专区 and the issues of the 政府公报. An item counts as given when one
    sentence of 总体情况 names it and prints a figure; the names are data (schemas/pack-wuwei.json).
    Option ``from_year`` (default 2025: earlier reports are skipped).
    """,
    legal_basis=BASIS,
    help_uri=URL,
    options={"from_year": Option(int, 2025, "the first report year the notice applies to")},
    since="0.1.0",
    example="一、总体情况 gives no figure for: 政策解读、政务公开专区 (武政办发〔2025〕54号 asks for them)",
)
def overview_counts(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    index, text = _overview(report, ctx)
    sentences = [s for s in _SENTENCE.findall(text) if _FIGURE.search(s)]
    missing = [item["label"] for item in items() if not any(w in s for s in sentences for w in item["words"])]
    if missing:
        yield Finding(
            _(
                "一、总体情况 gives no figure for: {items} (武政办发〔2025〕54号 asks for them)",
                items="、".join(missing),
            ),
            [join("sections", index)],
        )


@hookimpl
def nianbao_rules() -> list[Rule]:
    return [overview_length, overview_counts]

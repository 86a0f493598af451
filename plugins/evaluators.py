"""Pack ``evaluators``: what national third-party evaluations of the annual reports check, beyond
the template's own arithmetic.

Sources: 条例 第五十条 (a people's government's report also covers 工作考核、社会评议和责任追究结果情况;
the 2021 template puts it under 总体情况 → 监督保障) [C]; 国办公开办函〔2021〕30号 (四)明确责任: reports
that are 内容雷同、敷衍塞责 are grounds for accountability [C, mirrored copy]; the 法治蓝皮书 (2017)
evaluation found reports up to 90% identical to the previous year and copied across regions in
the same year [R].

What is uncertain, and how the rules read it: EV101 asks only that the report of a people's
government name each of the three (考核, 评议, 责任追究) somewhere in its text; whether it gives
their *results* is for a reader. EV102 compares the narrative (总体情况 and 存在的主要问题) of
reports of different organs for the same year in one run, as 4-character shingles with figures
folded; boilerplate the template prints is shared by all and does not by itself reach the
threshold.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

from nianbao import CrossRule, Finding, Option, Pack, Report, Rule, Skip, hookimpl, rule
from nianbao.i18n import N_, _
from nianbao.model import join
from nianbao.rule import RuleContext
from nianbao.rules.crossyear import jaccard, organ_key, shingles

NIANBAO_API = 2
SOURCE = "《政府信息公开条例》第五十条；国办公开办函〔2021〕30号（四）明确责任；法治蓝皮书（2017）政府透明度评估"
BASIS_ART50 = "《中华人民共和国政府信息公开条例》第五十条"
BASIS_COPY = "国办公开办函〔2021〕30号（四）明确责任；《中华人民共和国政府信息公开条例》第四十七条"
#: what Art. 50 adds to a people's government's report, each with the words reports use
ART50 = (("工作考核", ("考核",)), ("社会评议", ("评议", "评价")), ("责任追究", ("责任追究", "追责", "问责")))
NARRATIVE = ("overview", "problems")


@hookimpl
def nianbao_pack() -> Pack:
    return Pack(
        name="evaluators",
        region="全国（第三方评估）",
        source=SOURCE,
        description=N_("Art. 50 content of a government's report; narrative copied across bodies in the same year."),
    )


@rule(
    id="EV101",
    name="government-assessment-results",
    level="warning",
    summary="A people's government's report covers 工作考核、社会评议和责任追究 (条例 Art. 50).",
    explanation="""
    条例 第五十条: the annual report of a people's government at any level also covers the results of
    the work's assessment (工作考核), public appraisal (社会评议) and accountability (责任追究); the 2021
    template puts them under 总体情况 → 监督保障, and evaluators check that they are there. Each is
    looked for by its words anywhere in the report's text (考核; 评议 or 评价; 责任追究, 追责 or 问责).
    Reports of departments and other bodies are skipped.
    """,
    legal_basis=BASIS_ART50,
    since="0.1.0",
    example="the report of 淮安市人民政府 does not mention 工作考核、社会评议、责任追究 (条例 Art. 50 asks for them)",
)
def government_assessment(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    if report.meta.get("organ_kind") != "government":
        raise Skip(_("Art. 50 adds these only to the report of a people's government"))
    if not report.sections:
        raise Skip(_("the report has no sections to search"))
    text = "".join(str(s.get("text") or "") for s in report.sections)
    missing = [name for name, words in ART50 if not any(w in text for w in words)]
    if missing:
        found = report.section("overview")
        yield Finding(
            _(
                "the report of {organ} does not mention {items} (条例 Art. 50 asks for their results)",
                organ=report.meta.get("organ") or _("the government"),
                items="、".join(missing),
            ),
            [join("sections", found[0])] if found else [],
        )


def _narrative(report: Report) -> str:
    return "\n".join(str(s.get("text") or "") for s in report.sections if s.get("key") in NARRATIVE)


@rule(
    id="EV102",
    name="copied-across-bodies",
    level="warning",
    summary="The narrative is not nearly the same as another body's report for the same year.",
    explanation="""
    Evaluators find reports copied from another body's for the same year (法治蓝皮书 2017), and
    国办公开办函〔2021〕30号 names 内容雷同 as grounds for accountability. Among the reports of one
    run, the narrative (总体情况 and 存在的主要问题及改进情况) of each report is compared with those of
    other organs for the same year, as 4-character shingles with white space, punctuation and
    figures folded; the Jaccard similarity is stated. Candidates are found through shared
    shingles (those most reports share, the template's boilerplate, are left out), so a large run
    is not compared pair by pair. Options: ``threshold`` (default 0.8), ``min_chars`` (default 200).
    """,
    legal_basis=BASIS_COPY,
    options={
        "threshold": Option(float, 0.8, "the Jaccard similarity from which two narratives count as copied"),
        "min_chars": Option(int, 200, "narratives shorter than this are not compared"),
    },
    since="0.1.0",
    example="总体情况 and 存在的主要问题 are 97% the same as 和政县人民政府's 2022 report (hezheng-2022.txt)",
    cross=True,
)
def copied_across_bodies(reports: Sequence[Report], ctx: RuleContext) -> Iterator[tuple[Report, Finding | Skip]]:
    threshold, min_chars = float(ctx.option("threshold")), int(ctx.option("min_chars"))
    sets: list[set[str]] = []
    usable: list[Report] = []
    for report in reports:
        organ, text = report.meta.get("organ"), _narrative(report)
        if not isinstance(organ, str) or report.year is None:
            yield report, Skip(_("the report's organ or year is unknown, so it cannot be compared with other bodies'"))
        elif len(text) < min_chars:
            yield (
                report,
                Skip(
                    _("too little narrative to compare ({n} characters, fewer than {min})", n=len(text), min=min_chars)
                ),
            )
        else:
            usable.append(report)
            sets.append(shingles(text, 4))
    # an inverted index by year; a shingle most reports of the year share is boilerplate
    by_year: dict[int, list[int]] = defaultdict(list)
    for i, report in enumerate(usable):
        by_year[report.year].append(i)  # type: ignore[index]
    for members in by_year.values():
        postings: dict[str, list[int]] = defaultdict(list)
        for i in members:
            for s in sets[i]:
                postings[s].append(i)
        common = max(2, len(members) // 2)
        for i in members:
            shared: Counter[int] = Counter()
            for s in sets[i]:
                hits = postings[s]
                if 1 < len(hits) <= common:
                    shared.update(j for j in hits if j != i)
            best: tuple[float, int] | None = None
            for j, _n in shared.most_common(20):
                if organ_key(str(usable[j].meta.get("organ"))) == organ_key(str(usable[i].meta.get("organ"))):
                    continue  # the same body: X103 and SQ102 compare a body with itself
                score = jaccard(sets[i], sets[j])
                if score >= threshold and (best is None or score > best[0]):
                    best = (score, j)
            if best is not None:
                other = usable[best[1]]
                where = [join("sections", k) for k, s in enumerate(usable[i].sections) if s.get("key") in NARRATIVE]
                yield (
                    usable[i],
                    Finding(
                        _(
                            "总体情况 and 存在的主要问题 are {score:.0%} the same as {organ}'s {year} report ({uri})",
                            score=best[0],
                            organ=other.meta.get("organ"),
                            year=other.year,
                            uri=other.uri,
                        ),
                        where,
                        key=f"/sections<{other.meta.get('organ')}/{other.year}",
                    ),
                )


@hookimpl
def nianbao_rules() -> list[Rule]:
    return [government_assessment]


@hookimpl
def nianbao_cross_report_rules() -> list[CrossRule]:
    return [copied_across_bodies]  # type: ignore[list-item]

"""The wording the N rules recognise, and what each sentence is about.

A count is only held against table 三 when the sentence is about 政府信息公开申请: the same
verbs (受理, 办结) serve the 12345 hotline, 网民留言 and 信访 in the same paragraph. So each
clause carries a topic: set by the words it uses, inherited from the clause before, and reset
at each paragraph to what its heading ((二)依申请公开情况) or section says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from nianbao.model import Report

from ._sentences import Clause, Sentence, sentences

# Subjects in order of precedence: at one position the first alternative that matches wins,
# so 不予以公开 is never read as 予以公开, nor 顺延到下年度答复 as 答复.
SUBJECTS: tuple[tuple[str, str], ...] = (
    (
        "carried_forward",
        r"(?:结转|转入|顺延|延期|转)(?:至|到|入|为)?下一?年度?(?:继续)?(?:办理|答复|处理)?"
        r"|下一?年度?继续(?:办理|答复|处理)|跨年度?办理",
    ),
    ("carried_over", r"(?:上一?年度?|去年)(?:结转|转入|遗留)(?:至本年度?|到本年度?)?(?:办理)?|结转自?上一?年度?"),
    ("litigation_direct", r"未经复议直接(?:起诉|提起行政诉讼)|直接(?:提起行政诉讼|起诉)"),
    ("litigation_after_review", r"(?:行政)?复议后(?:起诉|提起行政诉讼)"),
    ("review", r"行政复议(?!后)|复议(?![后机])"),
    ("litigation", r"行政诉讼|(?<!行政)诉讼|起诉"),
    # one row of a group, a result or a timeliness: named here so a clause naming it and its
    # group (因本机关不掌握等原因无法提供265件) is seen as ambiguous, never compared
    (
        "detail",
        r"国家秘密|禁止公开|三安全一稳定|第三方合法权益|内部事务|过程性信息|执法案卷|行政查询|不掌握|另行制作"
        r"|仍不明确|信访举报投诉|重复申请|公开出版物|大量反复|重新出具|逾期不补正|缴纳费用"
        r"|(?:按时|按期|及时|逾期|超期|延期|限期|当场|当日)(?:办结|答复|回复|办理)"
        r"|维持|纠正|其他结果|审结|败诉|胜诉|撤回|驳回|终止",
    ),
    ("denied", r"不予以?公开"),
    ("partially_granted", r"部分(?:予以)?公开"),
    ("granted", r"(?<!不)(?<!主动)予以公开|同意公开"),
    ("unavailable", r"无法提供"),
    ("not_processed", r"不予以?处理"),
    ("other_processing", r"其他处理"),
    ("handled", r"(?:办结|办理完毕|处理完毕|办理答复|作出答复|予以答复|答复|回复)(?!率)"),
    ("received", r"新收|收到|受理|接收|接到|收悉"),
    ("processed", r"办理(?!结果|率)"),
)
_LABELS = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in SUBJECTS))
#: subjects that are table 四's, not table 三's
REVIEW_SUBJECTS = frozenset({"review", "litigation", "litigation_direct", "litigation_after_review"})

APP_TOPIC = re.compile(r"信息公开申请|依申请|公开申请|申请公开|申请信息公开|信息公开的申请|申请政府信息")
OTHER_TOPIC = re.compile(
    r"热线|12345|留言|来信|来访|信访(?!举报)|(?<!举报)投诉(?!类)|咨询|建议|提案|议案|诉求|工单|舆情|网民|信箱|来电"
    r"|问政|办件|政务服务|审批|许可|转办|督办|信件|主动公开|新媒体|公众号|人大|政协|服务事项|行政处罚|执法"
)
BARE_APPLICATION = re.compile(r"申请(?!人)")
DISCLOSURE = re.compile(r"信息公开|政务公开|依申请")
#: a clause comparing with another year or period: its figures are not this year's
COMPARISON = re.compile(r"较|同比|环比|比上年|比去年|相比|增长|下降|减少|增加|上升|回落|持平|提高|降低|翻番|累计|以来")
OTHER_YEAR = re.compile(r"上一?年|去年|前年|上年度|往年")
YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})年")
#: part of the body, not the whole (各乡镇收到申请3件): not the table's whole figure
SUBSET = re.compile(r"各(?:乡镇|部门|单位|街道|县直|市直|区直|地|县|区)|县直|市直|区直|本级|其中|分别")


@dataclass(frozen=True)
class Label:
    subject: str
    start: int
    end: int


def labels(text: str) -> list[Label]:
    found = []
    for m in _LABELS.finditer(text):
        subject = m.lastgroup
        if subject:
            found.append(Label(subject, m.start(), m.end()))
    return found


@dataclass
class Walked:
    sentence: Sentence
    #: each clause with the topic it is about: "applications", "other" or None
    clauses: list[tuple[Clause, str | None]]
    context: str | None


def _topic(text: str, topic: str | None, context: str | None) -> str | None:
    if APP_TOPIC.search(text):
        return "applications"
    if OTHER_TOPIC.search(text):
        return "other"
    if context == "applications" and BARE_APPLICATION.search(text):
        return "applications"
    return topic


def walk(report: Report) -> Iterator[Walked]:
    """Every sentence with the topic of each of its clauses."""
    section: int | None = None
    context: str | None = None
    topic: str | None = None
    for s in sentences(report):
        if s.section != section:
            section = s.section
            context = "applications" if s.section_key == "applications" else None
            topic = context
        if s.heading:
            if s.section_key != "applications":
                context = "applications" if "申请" in s.text else None
            topic = context
        elif s.opens_paragraph:
            topic = context
        clauses = []
        for clause in s.clauses():
            topic = _topic(clause.text, topic, context)
            clauses.append((clause, topic))
        yield Walked(s, clauses, context)

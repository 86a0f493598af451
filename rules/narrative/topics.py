"""What each sentence is about, and the subjects (收到, 办结, 行政复议 …) its clauses name.

A count is only held against table 三 when the sentence is about 政府信息公开申请: the same
verbs (受理, 办结) serve the 12345 hotline, 网民留言 and 信访 in the same paragraph. So each
clause carries a topic: set by the words it uses, inherited from the clause before, and reset
at each paragraph to what its heading ((二)依申请公开情况) or section says.

The walk is computed once per report (:func:`walked`) and shared by every N rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.model import Report, derived

from . import phrases
from .text import Clause, Sentence, sentences

#: subjects that are table 四's, not table 三's
REVIEW_SUBJECTS = frozenset({"review", "litigation", "litigation_direct", "litigation_after_review"})


def _labels_pattern() -> re.Pattern[str]:
    subjects = phrases.data()["subjects"]
    return phrases.regex("|".join(f"(?P<{name}>{phrases.alternation(alts)})" for name, alts in subjects.items()))


@dataclass(slots=True, unsafe_hash=True)  # (as text.Figure: made per label found, read-only)
class Label:
    subject: str
    start: int
    end: int


def labels(text: str) -> list[Label]:
    """The subjects named in ``text``, in order; at one position the first subject listed wins,
    so 不予以公开 is never read as 予以公开, nor 顺延到下年度答复 as 答复."""
    found = []
    for m in phrases.compiled("subjects", _labels_pattern).finditer(text):
        subject = m.lastgroup
        if subject:
            found.append(Label(subject, m.start(), m.end()))
    return found


def sentence_labels(s: Sentence) -> list[Label]:
    """:func:`labels` of a whole sentence, read once (``s.derived(sentence_labels)``)."""
    return labels(s.text)


@dataclass(slots=True)
class Walked:
    sentence: Sentence
    context: str | None
    #: the topic of every clause when the sentence names none (its clauses are then cut only
    #: when a rule asks for them)
    topic: str | None = None
    _clauses: list[tuple[Clause, str | None]] | None = None

    @property
    def clauses(self) -> list[tuple[Clause, str | None]]:
        """Each clause with the topic it is about: "applications", "other" or None."""
        if self._clauses is None:
            self._clauses = [(clause, self.topic) for clause in self.sentence.clauses()]
        return self._clauses


def _settled(topic: str | None, a: object, o: object, b: object) -> bool:
    """Can no clause left change the topic? Each phrase the sentence holds sets it to one value
    (a, b: applications; o: other), so it stays when that is the value it has already."""
    if topic == "applications":
        return not o
    if topic == "other":
        return not (a or b)
    return False


@derived
def walked(report: Report) -> list[Walked]:
    """Every sentence with the topic of each of its clauses: split once per report."""
    out: list[Walked] = []
    section: int | None = None
    context: str | None = None
    topic: str | None = None
    application = phrases.pattern("application_topic").search
    other = phrases.pattern("other_topic").search
    bare = phrases.pattern("bare_application").search
    # a phrase found nowhere in the sentence is in none of its clauses (phrases.anywhere): a
    # sentence where no topic phrase occurs keeps the topic it starts with in every clause
    in_application = phrases.anywhere("application_topic")
    in_other = phrases.anywhere("other_topic")
    in_bare = phrases.anywhere("bare_application")
    in_named = phrases.anywhere_of("application_topic", "other_topic")
    in_any = phrases.anywhere_of("application_topic", "other_topic", "bare_application")
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
        text = s.text
        if not (in_any if context == "applications" else in_named)(text):
            out.append(Walked(s, context, topic))
            continue
        a = in_application(text)
        o = in_other(text)
        b = context == "applications" and in_bare(text)
        if not (a or o or b) or _settled(topic, a, o, b):
            out.append(Walked(s, context, topic))
            continue
        clauses: list[tuple[Clause, str | None]] = []
        for clause in s.clauses():
            if _settled(topic, a, o, b):
                clauses.append((clause, topic))
                continue
            # a clause naming 政府信息公开申请 is about applications, one naming the hotline,
            # 信访 … about something else, a bare 申请 in a passage about applications too
            piece = clause.text
            if a and application(piece):
                topic = "applications"
            elif o and other(piece):
                topic = "other"
            elif b and bare(piece):
                topic = "applications"
            clauses.append((clause, topic))
        out.append(Walked(s, context, _clauses=clauses))
    return out

"""What every N rule shares: the quoted sentence, the finding's shape, the report's narrative."""

from __future__ import annotations

from nianbao import Finding, Report, Skip
from nianbao.i18n import _

from .phrases import regex
from .text import Sentence
from .topics import Walked, walked

QUOTE_MAX = 48
LEGAL = "《中华人民共和国政府信息公开条例》第五十条; 国办公开办函〔2021〕30号"
YEAR = regex(r"(?<!\d)(19\d{2}|20\d{2})年")


def quote(text: str) -> str:
    text = text.strip("，,、；;。 ")
    return text if len(text) <= QUOTE_MAX else text[: QUOTE_MAX - 1] + "…"


def finding(s: Sentence, message: str, cells: tuple[str, ...] = (), key: str | None = None) -> Finding:
    """A finding on sentence ``s``: it points at the sentence first (its line is the location),
    then at the table cells compared."""
    return Finding(message, [s.pointer, *cells], location=dict(s.location), key=key, excerpt=s.text)


def narrative(report: Report) -> list[Walked]:
    found = walked(report)
    if not found:
        raise Skip(_("the report has no narrative text"))
    return found


def foreign_year(s: Sentence, year: int | None) -> bool:
    """The sentence opens with, or talks about, a year that is not the report's."""
    if not year:
        return False
    named = s.derived(years)
    return bool(named) and any(y != year for y in named)


def years(s: Sentence) -> tuple[int, ...]:
    """The years the sentence names (2021年), read once (``s.derived(years)``) for every rule."""
    if "年" not in s.text:
        return ()  # every year read is followed by 年: a sentence without one names none
    return tuple(int(y) for y in YEAR.findall(s.text))


def needs_tables(report: Report) -> None:
    if "applications" not in report.tables and "review_litigation" not in report.tables:
        raise Skip(_("tables 三 and 四 were not recognised, so there is no figure to hold the text against"))

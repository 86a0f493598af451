"""One normaliser of labels and numbers, shared by every reader.

Labels: width (NFKC), white space, punctuation, quotes and ordinal prefixes (一、（一）1.) are
folded so that 现行有效件 matches 现行有效件数 through the aliases of the template description.
Numbers: full-width digits, thousands separators, decimals; blank tokens are ``None``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

#: what a report prints in a cell it leaves blank; read as null, never as 0
BLANK_TOKENS = frozenset({"", "/", "-", "—", "–", "－", "／", "——", "无", "--", "空"})

_PUNCT = re.compile(r"[\s\u3000（）()\[\]【】〔〕、，,。．.·:：;；“”\"'‘’「」『』《》<>/／|｜~～_\-—–－]+")
_ORDINAL = re.compile(
    r"^(?:第?[一二三四五六七八九十]+(?:部分)?[、.．，,]|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[、.．](?!\d))"
)
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def nfkc(text: str) -> str:
    """Full-width to half-width and compatibility forms folded; ideographic space too."""
    return unicodedata.normalize("NFKC", text)


def strip_ordinal(text: str) -> str:
    """Drop a leading 一、 / （一） / 1. from a label."""
    text = text.strip()
    folded = nfkc(text)
    m = _ORDINAL.match(folded)
    return folded[m.end() :] if m else folded


def key(text: str, *, ordinal: bool = True) -> str:
    """The comparison key of a label: NFKC, no white space or punctuation; the ordinal prefix
    kept (``ordinal=True``) or dropped."""
    folded = nfkc(text).strip()
    if not ordinal:
        m = _ORDINAL.match(folded)
        if m:
            folded = folded[m.end() :]
    return _PUNCT.sub("", folded)


def label_matches(text: str, labels: tuple[str, ...] | list[str], *, prefix: bool = False) -> bool:
    """Whether ``text`` is one of ``labels`` once folded (ordinal prefixes ignored on both sides).
    With ``prefix`` it is enough that ``text`` starts with a label (labels carrying a printed note)."""
    core = key(text, ordinal=False)
    if not core:
        return False
    for label in labels:
        want = key(label, ordinal=False)
        if core == want or (prefix and want and core.startswith(want)):
            return True
    return False


def is_blank(raw: str) -> bool:
    return nfkc(raw).strip() in BLANK_TOKENS


@dataclass(frozen=True)
class Number:
    """A cell's figure: ``value`` (None when blank), ``ok`` False when the text is not a number."""

    value: int | float | None
    ok: bool
    blank: bool


def parse_number(raw: str) -> Number:
    """Read a printed figure: 1,234 · １２３ · 84.67 · -3 · blank tokens. Integers stay int."""
    text = nfkc(raw).strip().replace(" ", "")
    if text in BLANK_TOKENS:
        return Number(None, True, True)
    text = text.rstrip("件个项次条")
    if not _NUMBER.match(text):
        return Number(None, False, False)
    text = text.replace(",", "")
    try:
        dec = Decimal(text)
    except InvalidOperation:
        return Number(None, False, False)
    value: int | float = int(dec) if dec == dec.to_integral_value() and "." not in text else float(dec)
    return Number(value, True, False)


def looks_numeric(raw: str) -> bool:
    """A value cell: a figure or a blank token (the reader's test for 'this is not a label')."""
    n = parse_number(raw)
    return n.ok

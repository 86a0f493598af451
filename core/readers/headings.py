"""The six section headings in the token stream: where each section begins."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from nianbao import normalize as nz
from nianbao.readers.stream import HEAD_PREFIXES, Stream, section_keys
from nianbao.template import sections

#: a section heading's own numbering: 一、 · 第一部分 · 1.
_HEAD_NUMBER = re.compile(
    r"^(?:第([一二三四五六])部分\s*[、.，,:：]?"  # 第一部分
    r"|([一二三四五六])\s*[、.，,:：]"  # 一、
    r"|([1-6])\s*[、.](?!\d))\s*"  # 1.
)
_NUMERALS = "一二三四五六"


@dataclass
class _Heading:
    index: int  # token index
    section: int  # index into sections()
    heading: str
    rest: str  # prose printed after the heading in the same token


@lru_cache(maxsize=16384)  # labels and headings recur in every report of a corpus
def _heading(text: str) -> tuple[int, str, str] | None:
    """(section index, heading, rest) when ``text`` is a section heading."""
    stripped = nz.nfkc(text).strip()
    if not stripped or stripped[0] in "(（[【" or len(stripped) > 200:
        return None
    table = section_keys()
    m = _HEAD_NUMBER.match(stripped)
    body = stripped[m.end() :] if m else stripped
    if len(stripped) <= 60:
        k = nz.key(body, ordinal=False)
        for candidate in (k, *(k[len(p) :] for p in HEAD_PREFIXES if k.startswith(p))):
            if candidate in table:
                return table[candidate], text.strip(), ""
    if m:
        # a heading run into its first paragraph: 一、总体情况2019年，…
        numeral = m.group(1) or m.group(2)
        number = _NUMERALS.index(numeral) + 1 if numeral else int(m.group(3))
        section = sections()[number - 1]
        for label in (section.label, *section.aliases):
            plain = nz.strip_ordinal(label)
            for lead in ("", *HEAD_PREFIXES):
                if body.startswith(lead + plain):
                    cut = m.end() + len(lead) + len(plain)
                    printed = text.strip()
                    if len(printed) != len(stripped):  # folding changed widths: keep the folded form
                        printed = stripped
                    return number - 1, printed[:cut], printed[cut:].lstrip("：:。 ,，")
    return None


def headings(stream: Stream) -> list[_Heading]:
    """The first heading of each section. A table of contents (headings one after the other,
    each printed again later) is skipped, so that the sections start at their text."""
    hits = [
        _Heading(i, *hit)
        for i, token in enumerate(stream.tokens)
        if not stream.values[i] and (hit := _heading(token.text)) is not None
    ]
    # the sections whose heading is printed more than once (counted: linear in the hits)
    again = {section for section, times in Counter(h.section for h in hits).items() if times > 1}
    listed = {
        n
        for n, h in enumerate(hits)
        if h.section in again and n + 1 < len(hits) and hits[n + 1].index == h.index + 1 and not h.rest
    }
    found: list[_Heading] = []
    seen: set[int] = set()
    for n, h in enumerate(hits):
        if n not in listed and h.section not in seen:
            seen.add(h.section)
            found.append(h)
    return found

"""A report flattened into one line: crawlers that keep only a page's text nodes, joined without
a separator, leave the whole body on one line, headings run into their paragraphs and the
table cells run into each other (…规章 000行政规范性文件693665第二十条第（五）项…).

This cuts such a line into the pieces a page would have had: the section headings, the prose,
and inside the tables every label the templates print (found by longest match against the
template description, so no label list lives here) and every run of figures. A run of figures
stays one piece ("640020470"): where one cell ends and the next begins is for the table reader
to tell from the table's shape (:func:`nianbao.readers.tables.split_runs`).
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from typing import Any

from nianbao import normalize as nz
from nianbao import schemas
from nianbao.readers.stream import HEAD_PREFIXES
from nianbao.template import sections

#: a line this long with several section headings in it is a flattened body
FLAT_MIN = 400
#: a run of figures: digits, a decimal part, a sign, spaces between figures, a unit at its end
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[ \u00a0]*-\d+(?:\.\d+)?|[ \u00a0]+\d+(?:\.\d+)?)*(?:万元|元)?")
#: a label's own ordinal left at the end of the run before it: 0000000 + 2.其他法律…
_ORDINAL_AFTER = re.compile(r"^[.．、]\s*\D")
_NUMERALS = "一二三四五六"
_OPENING = "（([【“‘《〔「"
_CLOSING = "）)]】”’》〕」"
_SCHEMA_TEXT_KEYS = ("title", "x-aliases", "x-group", "x-block", "x-identity")


def _strings(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _SCHEMA_TEXT_KEYS:
                found.extend([value] if isinstance(value, str) else [v for v in value if isinstance(v, str)])
            else:
                found.extend(_strings(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_strings(item))
    return found


@cache
def _vocabulary() -> tuple[frozenset[str], int]:
    """Folded keys of every label the template schemas print (rows, columns, groups, blocks, the
    勾稽关系 note), with and without their ordinals, and the longest one's length."""
    names = (*(f"template-{n}" for n in schemas.TEMPLATES), "report")
    texts = [t for name in names for t in _strings(schemas.load(name))]
    keys: set[str] = set()
    for text in texts:
        for k in (nz.key(text), nz.key(text, ordinal=False)):
            if len(k) >= 2:
                keys.add(k)
    return frozenset(keys), max(len(k) for k in keys)


@cache
def _heading_patterns() -> tuple[tuple[int, re.Pattern[str]], ...]:
    """Per section, a pattern for its heading as printed: its numeral, 、, perhaps 政府信息公开工作,
    then its label or one of its aliases."""
    out: list[tuple[int, re.Pattern[str]]] = []
    for section in sections():
        plains = sorted({nz.strip_ordinal(label) for label in (section.label, *section.aliases)}, key=len, reverse=True)
        lead = "|".join(re.escape(p) for p in HEAD_PREFIXES)
        body = "|".join(re.escape(p) for p in plains)
        numeral = _NUMERALS[section.number - 1]
        out.append((section.number, re.compile(rf"{numeral}\s*、\s*(?:{lead})?(?:{body})")))
    return tuple(out)


def is_flat(line: str) -> bool:
    """A flattened body: a long line holding at least three section headings."""
    if len(line) < FLAT_MIN:
        return False
    return len(_headings(line)) >= 3


def _headings(line: str) -> list[tuple[int, int, int]]:
    """(section number, start, end) of each section heading in ``line``, in order."""
    found: list[tuple[int, int, int]] = []
    pos = 0
    for number, pattern in _heading_patterns():
        m = pattern.search(line, pos)
        if m:
            found.append((number, m.start(), m.end()))
            pos = m.end()
    return found


def split(line: str) -> list[tuple[int, str, str]]:
    """(0-based column, text, kind) of the pieces of a flattened line; kind is "line" for prose
    and headings, "cell" for a table label or a run of figures."""
    heads = _headings(line)
    table_start = next((end for number, _, end in heads if number == 2), None)
    table_end = next((start for number, start, _ in heads if number == 5), len(line))
    cuts = sorted({0, len(line), *(s for _, s, _ in heads), *(e for _, _, e in heads)})
    pieces: list[tuple[int, str, str]] = []
    for a, b in pairwise(cuts):
        if table_start is not None and a >= table_start and b <= table_end and not any(s == a for _, s, _ in heads):
            pieces.extend(_table_pieces(line, a, b))
        else:
            _add(pieces, a, line[a:b], "line")
    return pieces


def _add(pieces: list[tuple[int, str, str]], start: int, text: str, kind: str) -> None:
    stripped = text.strip(" \u00a0\u3000")
    if stripped:
        pieces.append((start + len(text) - len(text.lstrip(" \u00a0\u3000")), stripped, kind))


def _table_pieces(line: str, a: int, b: int) -> list[tuple[int, str, str]]:
    """Labels and runs of figures of the table text ``line[a:b]``."""
    spans: list[tuple[int, int, bool]] = []  # (start, end, is a run of figures)
    pos = a
    for m in _NUMBER.finditer(line, a, b):
        if m.start() > pos:
            spans.append((pos, m.start(), False))
        spans.append((m.start(), m.end(), True))
        pos = m.end()
    if pos < b:
        spans.append((pos, b, False))
    # a label's ordinal (2.其他法律…) read as the last digit of the run before it
    for k in range(1, len(spans)):
        s, e, run = spans[k]
        ps, pe, prun = spans[k - 1]
        if not run and prun and _ORDINAL_AFTER.match(line[s:e]) and line[pe - 1].isdigit():
            spans[k - 1] = (ps, pe - 1, True)
            spans[k] = (pe - 1, e, False)
    out: list[tuple[int, str, str]] = []
    for s, e, run in spans:
        if e <= s:
            continue
        if run:
            # a sign starts a figure of its own (上一年项目数量 2648, 本年增/减 -185…)
            signs = [s + m.start() for m in re.finditer(r"(?<=\d)-(?=\d)", line[s:e])]
            for x, y in pairwise([s, *signs, e]):
                _add(out, x, line[x:y], "cell")
        else:
            out.extend(_labels(line, s, e))
    return out


def _labels(line: str, a: int, b: int) -> list[tuple[int, str, str]]:
    """``line[a:b]`` cut at the template's labels (the longest one at each place); text between
    labels is kept as a piece of its own (信息内容, 申请人情况)."""
    vocab, longest = _vocabulary()
    folded: list[str] = []
    where: list[int] = []  # raw index of each folded character
    for i in range(a, b):
        f = nz.key(line[i])
        for ch in f:
            folded.append(ch)
            where.append(i)
    text = "".join(folded)
    out: list[tuple[int, str, str]] = []
    cursor = a  # raw start of the next piece
    p = 0
    pending = False
    while p < len(text):
        hit = 0
        for length in range(min(longest, len(text) - p), 1, -1):
            if text[p : p + length] in vocab:
                hit = length
                break
        if not hit:
            pending = True
            p += 1
            continue
        start = where[p]
        while start > cursor and line[start - 1] in _OPENING:  # a label's opening bracket is its own
            start -= 1
        if pending:
            _add(out, cursor, line[cursor:start], "cell")
            cursor = start
            pending = False
        end = where[p + hit - 1] + 1
        while end < b and line[end] in _CLOSING:  # … and so is its closing one
            end += 1
        _add(out, cursor, line[cursor:end], "cell")
        cursor = end
        p += hit
    if cursor < b:
        rest = line[cursor:b]
        if not nz.key(rest) and out:  # only punctuation left (a closing bracket): it ends the last label
            col, last, kind = out[-1]
            out[-1] = (col, (last + rest).strip(), kind)
        else:
            _add(out, cursor, rest, "cell")
    return out

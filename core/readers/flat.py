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
from nianbao.template import describe, sections

#: a counter printed after a figure (2笔, 5件)
_COUNTER = "[件个项次条笔]"
#: a line this long with several section headings in it is a flattened body
FLAT_MIN = 400
#: a run of figures: digits, a decimal part, a sign, spaces between figures, a unit at its end
_NUMBER = re.compile(
    rf"\d+(?:\.\d+)?{_COUNTER}?(?:[ \u00a0]*-\d+(?:\.\d+)?|[ \u00a0]+\d+(?:\.\d+)?{_COUNTER}?)*(?:万元|元)?"
)
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
    cuts = sorted({0, len(line), *(s for _, s, _ in heads), *(e for _, _, e in heads)})
    tables = _table_spans(line, heads)
    for a, b in tables:
        cuts = sorted({*cuts, a, b})
    pieces: list[tuple[int, str, str]] = []
    for a, b in pairwise(cuts):
        if any(ta <= a and b <= tb for ta, tb in tables):
            pieces.extend(_table_pieces(line, a, b))
        else:
            _add(pieces, a, line[a:b], "line")
    return pieces


def _labels_of(*rows: Any) -> list[str]:
    return sorted({nz.strip_ordinal(label) for row in rows for label in row.labels}, key=len, reverse=True)


def _find(line: str, labels: list[str], a: int, b: int, *, last: bool) -> tuple[int, int] | None:
    """(start, end) of the first (or last) of ``labels`` printed in ``line[a:b]``."""
    hits = [(m.start(), m.end()) for label in labels for m in re.finditer(re.escape(label), line[a:b])]
    if not hits:
        return None
    s, e = max(hits) if last else min(hits)
    return a + s, a + e


def _table_spans(line: str, heads: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Where each of the three tables is printed: from its first label (a 第二十条 block, the
    勾稽关系 note or the first row of 三, 行政复议) to the figures after its last row, inside the
    section it belongs to; the prose around a table in the same section stays prose."""
    spans: list[tuple[int, int]] = []
    for n, (number, _, end) in enumerate(heads):
        if number not in (2, 3, 4):
            continue
        limit = heads[n + 1][1] if n + 1 < len(heads) else len(line)
        first: list[str] = []
        last: list[str] = []
        for name in schemas.TEMPLATES:
            t = describe(name).tables[("active_disclosure", "applications", "review_litigation")[number - 2]]
            if number == 2:
                first += [r.block for r in t.rows if r.block]
                last += _labels_of(t.rows[-1])
            elif number == 3:
                first += [nz.strip_ordinal(label) for label in (*t.rows[0].labels, *_identity_notes(name))]
                last += _labels_of(t.rows[-1])
            else:
                first += _labels_of(t.rows[0])
        at = _find(line, sorted(set(first), key=len, reverse=True), end, limit, last=False)
        if at is None:
            continue
        start = at[0]
        if last:
            tail = _find(line, sorted(set(last), key=len, reverse=True), start, limit, last=True)
            after = tail[1] if tail else start
        else:
            after = start
        figures = _NUMBER.search(line, after, limit)
        stop = figures.end() if figures and not line[after : figures.start()].strip(" \u00a0\u3000") else limit
        if not last and figures:  # table 四: its header, then its figures
            stop = figures.end()
        spans.append((start, stop))
    return spans


def _identity_notes(name: str) -> list[str]:
    note = schemas.load(f"template-{name}")["properties"]["tables"]["properties"]["applications"].get("x-identity")
    return [note, f"（{note}）"] if note else []


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
            # a space ends a figure, and a sign starts one (上一年项目数量 2648, 本年增/减 -185…)
            for m in re.finditer(r"-?[^\s\u00a0-]+", line[s:e]):
                _add(out, s + m.start(), m.group(0), "cell")
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

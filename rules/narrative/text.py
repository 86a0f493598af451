"""The narrative as the N rules read it: sentences with their place in the report, and the
figures printed in them (Arabic or Chinese numerals, 万/亿, thousands separators, percentages).

Paragraphs come from a section's ``paragraphs`` (each with its own location) when the reader
kept them, else from its ``text`` split on new lines. A PDF line that stops mid-sentence is
joined to the next one, so a sentence wrapped over lines is still one sentence.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from nianbao.model import Report, join
from nianbao.normalize import nfkc

from .phrases import regex

T = TypeVar("T")

#: a line that opens with an ordinal is a heading or a list item: it starts a new sentence
ORDINAL_START = re.compile(
    r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d{1,2}[.、．](?!\d)"
    r"|[一二三四五六七八九十]是)"
)
_TERMINAL = "。！？；!?;"
_PAGE_FURNITURE = re.compile(r"^[-—\s\d第页/共]*$")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
#: a comma between digits (1,234) is a thousands separator, not a clause break
_CLAUSE_SPLIT = regex(r"[，、：:（）()【】\[\]]|,(?!\d{3}(?:\D|$))|(?<!\d),")

_CN_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMERAL_CHARS = frozenset("零〇一二两三四五六七八九十百千")
_NUM = regex(
    r"(?P<pre>近|约|超过|超|逾|大约|将近)?"
    # a Chinese numeral is a figure only as a count (一是, 十九大 are words): the look-ahead for
    # its unit drops those here rather than one by one in figures(); what is found is unchanged
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?"
    r"|[零〇一二两三四五六七八九十百千]+(?=(?:万|亿)?(?:余|多)?(?:人次|件次|件|份|条|宗|起|个|项|例|次)))"
    r"(?P<mul>万|亿)?(?P<approx>余|多)?"
    r"(?P<unit>%|‰|人次|件次|件|份|条|宗|起|个|项|例|次|篇|期|家|名|人|户|场|年|月|日|号|元|天|小时|时)?"
)
#: units a count of applications, cases or accounts is printed with
COUNT_UNITS = frozenset({"件", "份", "条", "宗", "起", "个", "项", "例", "件次"})
#: what every count (:attr:`Figure.is_count`) is printed as: a numeral, 万/亿, 余/多, its unit
COUNT_PRINTED = r"(?:\d|[零〇一二两三四五六七八九十百千])(?:万|亿)?(?:余|多)?[件份条宗起个项例]"
_COUNT_PRINTED = regex(COUNT_PRINTED)


def prints_count(text: str) -> bool:
    """Can a piece of ``text`` (a clause of a sentence) hold a count? False when no numeral is
    followed by a count's unit anywhere in it: a rule that only reads counts may skip its clauses."""
    return _COUNT_PRINTED.search(text) is not None


# not frozen (a frozen dataclass sets each field through object.__setattr__, twice the time of
# making one: dozens are made per report), hashed by its fields as a frozen one is; read-only
@dataclass(slots=True, unsafe_hash=True)
class Figure:
    """A number printed in a sentence. ``precision`` is the place of its last printed digit
    (368万 → 10000, 99.42 → 0.01). Treat it as read-only."""

    value: Decimal
    unit: str  # "%" for a percentage, "" when none is printed
    start: int
    end: int
    text: str
    approx: bool = False
    decimals: int = 0
    precision: Decimal = Decimal(1)

    @property
    def is_count(self) -> bool:
        """A whole count printed exactly: not 5500余条, not 1.2万件 (rounded to a unit of 万)."""
        return self.unit in COUNT_UNITS and not self.approx and self.precision == 1 and self.value % 1 == 0


def chinese_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 两 → 2, 一百零五 → 105; None when it is not a numeral."""
    if not text:
        return None
    if all(c in _CN_DIGITS for c in text):
        if len(text) == 1:
            return _CN_DIGITS[text]
        return None  # 一二 is a list, not a number
    total, digit = 0, None
    for c in text:
        if c in _CN_DIGITS:
            if digit is not None and _CN_DIGITS[c] != 0:
                return None
            digit = _CN_DIGITS[c] if _CN_DIGITS[c] != 0 else digit
        elif c in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[c]
            digit = None
        else:
            return None
    return total + (digit or 0)


#: the place of a figure's last digit by its decimals (0 → 1, 2 → 0.01), made once
_PRECISION = tuple(Decimal(1).scaleb(-d) for d in range(10))


def figures(text: str) -> list[Figure]:
    """Every figure in ``text`` (already normalised), in order. Ordinals (第3), years
    (2021年), dates and document numbers are returned with their unit so callers can skip them."""
    out: list[Figure] = []
    for m in _NUM.finditer(text):
        pre, raw, mul, approx_mark, unit = m.group("pre", "num", "mul", "approx", "unit")
        start = m.start("num")
        before = text[start - 1] if start > 0 else ""
        if before and before in "第〔[.":  # an ordinal, a document number, a decimal's tail
            continue
        unit = unit or ""
        if raw[0].isdigit():
            value = Decimal(raw.replace(",", ""))
            decimals = len(raw.split(".")[1]) if "." in raw else 0
        else:
            if unit not in COUNT_UNITS and unit not in ("人次", "次"):
                continue  # 一是, 十九大, 三安全一稳定: words, not figures
            after = text[m.end() : m.end() + 1]
            if after and (after in _CN_NUMERAL_CHARS or after == "”" or before == "“"):
                continue  # “三个一”工作机制, 两个确保, 四个意识: slogans, not counts
            parsed = chinese_number(raw)
            if parsed is None:
                continue
            value, decimals = Decimal(parsed), 0
        precision = _PRECISION[decimals] if decimals < len(_PRECISION) else Decimal(1).scaleb(-decimals)
        if mul:
            factor = Decimal(10000) if mul == "万" else Decimal(100000000)
            value *= factor
            precision *= factor
        approx = bool(pre or approx_mark)
        out.append(Figure(value, unit, start, m.end(), m.group(0), approx, decimals, precision))
    return out


@dataclass(slots=True)
class Clause:
    text: str
    start: int  # offset in the sentence
    _figures: list[Figure] | None = field(default=None, repr=False, compare=False)
    # made on first use: most clauses are read by no rule that memoises
    _memo: dict[Callable[[str], Any], Any] | None = field(default=None, repr=False, compare=False)

    def figures(self) -> list[Figure]:
        """:func:`figures` of the clause, found once and shared by every rule that asks."""
        if self._figures is None:
            self._figures = figures(self.text)
        return self._figures

    def derived(self, compute: Callable[[str], T]) -> T:
        """``compute(self.text)`` once: a reading of the clause several rules share (its subjects)."""
        memo = self._memo
        if memo is None:
            memo = self._memo = {}
        if compute not in memo:
            memo[compute] = compute(self.text)
        return memo[compute]  # type: ignore[no-any-return]


@dataclass(slots=True)
class Sentence:
    """One sentence of a section, normalised (NFKC, no white space except between digits)."""

    text: str
    section: int
    section_key: str
    pointer: str  # the paragraph the sentence starts in
    location: dict[str, Any]
    #: the sentence opens a heading or list item ((二)依申请公开情况 …)
    heading: bool = False
    #: first sentence of its paragraph
    opens_paragraph: bool = False
    _clauses: list[Clause] | None = field(default=None, repr=False)
    _figures: list[Figure] | None = field(default=None, repr=False)
    _memo: dict[Callable[[Sentence], Any], Any] | None = field(default=None, repr=False)

    def figures(self) -> list[Figure]:
        """:func:`figures` of the whole sentence, found once and shared by every rule that asks."""
        if self._figures is None:
            self._figures = figures(self.text)
        return self._figures

    def derived(self, compute: Callable[[Sentence], T]) -> T:
        """``compute(self)`` once: a reading of the sentence two rules share (its breakdowns)."""
        memo = self._memo
        if memo is None:
            memo = self._memo = {}
        if compute not in memo:
            memo[compute] = compute(self)
        return memo[compute]  # type: ignore[no-any-return]

    def clauses(self) -> list[Clause]:
        """The sentence cut at commas, 、, colons and brackets."""
        if self._clauses is None:
            # every separator is one character: each piece starts one past the end of the last
            found, start = [], 0
            for piece in _CLAUSE_SPLIT.split(self.text):
                if piece:
                    found.append(Clause(piece, start))
                start += len(piece) + 1
            self._clauses = found
        return self._clauses


#: kept as printed so that quotes in messages read as the report does (the patterns accept both)
_KEEP = "，；：（）！？、。“”‘’"
#: NFKC leaves private-use characters alone: the kept punctuation hides there while the whole
#: string is folded at once (one call, not one per character)
_HIDE = str.maketrans({c: chr(0xE000 + i) for i, c in enumerate(_KEEP)})
_SHOW = str.maketrans({chr(0xE000 + i): c for i, c in enumerate(_KEEP)})
_DIGIT_GAP = regex(r"(?<=\d)\s+(?=\d)")
_SPACE = re.compile(r"\s+")


#: the kept punctuation, as separators: NFKC of a text is the NFKC of each piece between them
#: (a kept character, like the private-use one it stood for, is a starter nothing composes
#: with), so the pieces are folded and the punctuation left as it is, with no translation
_KEPT = re.compile("([" + re.escape(_KEEP) + "])")
#: nianbao.normalize.nfkc as one call into C, as map() makes it for every piece
_NFKC = partial(unicodedata.normalize, "NFKC")
_IS_NFKC = partial(unicodedata.is_normalized, "NFKC")
_PRIVATE = re.compile("[" + chr(0xE000) + "-" + chr(0xE000 + len(_KEEP) - 1) + "]")


def normalise(text: str) -> str:
    """Full-width digits and letters folded (NFKC), Chinese punctuation kept, no white space
    except one space between two digits (1 000 stays two figures)."""
    if _PRIVATE.search(text):  # the private-use characters themselves come out as punctuation
        text = nfkc(text.translate(_HIDE)).translate(_SHOW)
    elif not _IS_NFKC(text):
        # (a text already in NFKC, as most readers leave it, holds no punctuation NFKC would
        # change and its pieces are in NFKC too: folding them would give it back as it is)
        parts = _KEPT.split(text)
        parts[::2] = map(_NFKC, parts[::2])
        text = "".join(parts)
    # str.split's white space is re's \s (both Py_UNICODE_ISSPACE), found without the engine
    words = text.split()
    if len(words) == 1 and len(words[0]) == len(text) and "\x00" not in text:
        return text  # no white space: nothing below would change it
    text = _DIGIT_GAP.sub("\x00", text)
    text = _SPACE.sub("", text)
    return text.replace("\x00", " ")


@dataclass
class _Para:
    text: str
    pointer: str
    location: dict[str, Any]
    #: a later source line of the same paragraph (a PDF's wrapped line): always joined
    continued: bool = False


def _paragraphs(report: Report, index: int, section: dict[str, Any], uri: str) -> list[_Para]:
    base = join("sections", index)
    provenance = report.provenance
    heading_loc = provenance.get(base) or {}
    out: list[_Para] = []
    paras = section.get("paragraphs")
    if isinstance(paras, list) and paras:
        for k, para in enumerate(paras):
            text = para.get("text") if isinstance(para, dict) else para
            if not isinstance(text, str):
                continue
            pointer = f"{base}/paragraphs/{k}"
            loc = provenance.get(pointer) or (para.get("loc") if isinstance(para, dict) else None) or heading_loc
            wrapped = loc.get("lines") if isinstance(loc.get("lines"), list) else None
            if not wrapped:
                out.append(_Para(text, pointer, _location(uri, loc)))
                continue
            # one part per source line, each with its place, so a sentence is located on the
            # line it starts on rather than on its paragraph's first line
            ends = [offset for offset, _ in wrapped[1:]] + [len(text)]
            for n, ((offset, place), end) in enumerate(zip(wrapped, ends, strict=True)):
                out.append(_Para(text[offset:end], pointer, _location(uri, place), continued=n > 0))
        return out
    # no per-paragraph places: every sentence is located at the section heading
    for line in str(section.get("text") or "").split("\n"):
        out.append(_Para(line, base, _location(uri, heading_loc)))
    return out


def _location(uri: str, loc: dict[str, Any] | None) -> dict[str, Any]:
    return {"uri": uri, **{k: v for k, v in (loc or {}).items() if k != "raw"}}


def sentences(report: Report) -> Iterator[Sentence]:
    """Every sentence of every section, in order."""
    uri = report.uri
    for index, section in enumerate(report.sections):
        key = str(section.get("key") or "")
        yield from _section_sentences(_paragraphs(report, index, section, uri), index, key)


def _section_sentences(paras: list[_Para], index: int, key: str) -> Iterator[Sentence]:
    # merge lines broken mid-sentence (PDF) into blocks; each block keeps its parts' places
    blocks: list[list[tuple[str, _Para]]] = []
    for para in paras:
        text = normalise(para.text)
        if not text or _PAGE_FURNITURE.match(text):
            continue
        joinable = (blocks and para.continued) or (
            blocks
            and not ORDINAL_START.match(text)
            and blocks[-1][-1][0][-1] not in _TERMINAL
            and len(blocks[-1][-1][0]) >= 20
            and blocks[-1][-1][1].pointer != para.pointer
        )
        if joinable:
            blocks[-1].append((text, para))
        else:
            blocks.append([(text, para)])
    for block in blocks:
        starts: list[int] | None = None  # most paragraphs: one part, every sentence in its place
        if len(block) == 1:
            text = block[0][0]
        else:
            text = "".join(t for t, _ in block)
            # where each part starts in the block: a sentence is located in the last part that
            # starts at or before it (a binary search, so a paragraph wrapped over many lines stays linear)
            starts, pos = [], 0
            for part, _ in block:
                starts.append(pos)
                pos += len(part)
        first = True
        for piece_start, piece in _split(text):
            para = block[0 if starts is None else bisect_right(starts, piece_start) - 1][1]
            yield Sentence(
                piece,
                index,
                key,
                para.pointer,
                para.location,
                heading=first and bool(ORDINAL_START.match(piece)),
                opens_paragraph=first,
            )
            first = False


def _split(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for m in _SENTENCE_END.finditer(text):
        piece = text[start : m.end()]
        if piece.strip("。！？；!?;"):
            yield start, piece
        start = m.end()
    if text[start:].strip():
        yield start, text[start:]


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding="ROUND_HALF_UP")


def shown(value: Decimal | int | float) -> str:
    """A figure as a reader would print it: no trailing zeros, 万 for big round figures."""
    d = Decimal(str(value))
    if d >= 100000:
        return f"{(d / 10000).quantize(Decimal('0.1')).normalize():f}万"
    return f"{d.normalize():f}"

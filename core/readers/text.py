"""The text reader: a report as plain text, either copied off its web page (one table cell per
line, blank lines between, wrapped labels) or pasted from a word processor (a table row per
line, cells separated by tabs or by runs of spaces). It only cuts the text into tokens; the
shared assembler finds the report in them.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from typing import Any

from nianbao.i18n import _
from nianbao.normalize import looks_numeric
from nianbao.readers import ReadError, Source, flat
from nianbao.readers.limits import check, too_large_at_least
from nianbao.readers.tokens import Hints, Token

_NEWLINE = re.compile(r"\r\n|\r|\n")
#: cells of a pasted row: a tab each (an empty cell between two tabs is a blank cell), or a run
#: of two or more spaces / ideographic spaces (no empty cells can be told apart there)
_SPACES = re.compile(r"[ \u00a0\u3000]{2,}")
#: what may cut a line into cells (a tab, a space of any kind that a cell separator is made of)
_SEPARATORS = re.compile(r"[\t \u00a0\u3000]")
#: a line that is not a cell: a sentence ends in it
_SENTENCE = re.compile(r"[。；！？]")
#: a short line among short lines is a cell of a table flattened one cell per line
_SHORT = 40
_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|table|div|p|meta)\b", re.IGNORECASE)


def decode(data: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-16 with its BOM (Notepad's "Unicode"), UTF-8 (a BOM
    allowed), else GB18030."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ReadError("encoding", f"a UTF-16 byte-order mark, but not UTF-16 text: {exc.reason}") from exc
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ReadError("encoding", f"neither UTF-8 nor GB18030 text (undecodable byte at offset {exc.start})") from exc


#: a markdown table's rule line, left by a converter: |---|:---:|
_MD_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
#: the marks of a markdown heading (# … to ###### …)
_MD_HEADING = re.compile(r"#{1,6}[ \u00a0\u3000]+(?=\S)")


def _markdown_row(line: str, start: int) -> list[tuple[int, str]] | None:
    """The cells of a markdown table row (| 一、本年新收… | 3746 | 63 |), as a converter leaves
    a table; an empty cell between two bars is a blank cell. None when the line is not one."""
    body = line.rstrip()
    if not (body.startswith("|", start) and body.endswith("|") and body.count("|") >= 3):
        return None
    cells: list[tuple[int, str]] = []
    pos = start + 1
    for part in body[start + 1 : -1].split("|"):
        lead = len(part) - len(part.lstrip(" \u00a0\u3000"))
        cells.append((pos + lead, part.strip(" \u00a0\u3000")))
        pos += len(part) + 1
    return cells


def _split(line: str) -> list[tuple[int, str]]:
    """(0-based column, text) of each cell of ``line`` (one cell when it has no separators)."""
    stripped = line.lstrip(" \u00a0\u3000")
    if not stripped.strip():
        return []
    start = len(line) - len(stripped)
    if stripped.startswith("#"):
        # a markdown heading left by a converter (## 一、总体情况): the marks are not its text
        marks = _MD_HEADING.match(stripped)
        if marks:
            start += marks.end()
            stripped = stripped[marks.end() :]
    if not _SEPARATORS.search(stripped) and stripped and stripped[0] != "|":
        return [(start, stripped.rstrip())]  # one cell: what the general case below finds too
    if stripped.startswith("|"):
        if _MD_RULE.match(stripped):
            return []  # the rule under a markdown header row
        row = _markdown_row(line, start)
        if row is not None:
            return row
    if "\t" in stripped and "\t" not in stripped.strip(" \t\u00a0\u3000"):
        # tabs only around the text: indentation, one cell
        lead = len(stripped) - len(stripped.lstrip(" \t\u00a0\u3000"))
        return [(start + lead, stripped.strip(" \t\u00a0\u3000"))]
    if "\t" in stripped:
        cells: list[tuple[int, str]] = []
        pos = start
        for part in stripped.split("\t"):
            lead = len(part) - len(part.lstrip(" \u00a0\u3000"))
            cells.append((pos + lead, part.strip(" \u00a0\u3000")))
            pos += len(part) + 1
        if any(_SENTENCE.search(t) for _, t in cells) and not any(t and looks_numeric(t) for _, t in cells):
            # sentences with a tab between them are prose
            lead = len(stripped) - len(stripped.lstrip(" \t\u00a0\u3000"))
            return [(start + lead, stripped.strip(" \t\u00a0\u3000"))]
        return cells
    cells = []
    pos = start
    for m in _SPACES.finditer(stripped):
        piece = stripped[pos - start : m.start()]
        if piece:
            cells.append((pos, piece))
        pos = start + m.end()
    tail = stripped[pos - start :].rstrip()
    if tail:
        cells.append((pos, tail))
    # a sentence with two spaces in it is prose, not a row
    if len(cells) > 1 and any(_SENTENCE.search(text) for _, text in cells):
        return [(start, stripped.rstrip())]
    if len(cells) == 1 and " " in cells[0][1]:
        return _single_spaced(cells[0][0], cells[0][1]) or cells
    return cells


def _single_spaced(start: int, text: str) -> list[tuple[int, str]] | None:
    """A row typed with single spaces: labels, then figures only (规章 0 0 0; the 15 figures of
    table 四), every piece a cell. A line with no figure, or with words after its first figure,
    stays one cell, so 第一部分 总体情况 or 来源:东乡县 发布时间:2022-02-10 are not cut."""
    if _SENTENCE.search(text):
        return None
    cells: list[tuple[int, str]] = []
    pos = start
    for piece in text.split(" "):
        if piece:
            cells.append((pos, piece))
        pos += len(piece) + 1
    first = next((k for k, (_, piece) in enumerate(cells) if looks_numeric(piece)), None)
    if first is None or not all(looks_numeric(piece) for _, piece in cells[first:]):
        return None
    return cells


#: the cells of a line by its text, and whether it is short (see tokenise): the labels, the
#: figures and the blank lines of a table recur from report to report, and a line's cells
#: depend only on it. Lines of prose are long and rarely recur: they are not kept.
_LINES: dict[str, tuple[list[tuple[int, str]], bool]] = {}
_LINE_KEPT = 120  # the longest line kept
_LINES_MAX = 16384  # lines kept before the memo starts again


def _cells(line: str) -> tuple[list[tuple[int, str]], bool]:
    """``_split(line)`` and whether the line is short: several cells, or one short cell that is
    not a sentence (a cell of a table flattened one cell per line). The list is shared: read only."""
    got = _LINES.get(line)
    if got is not None:
        return got
    cells = _split(line)
    short = bool(cells) and (len(cells) > 1 or (len(cells[0][1]) <= _SHORT and not _SENTENCE.search(cells[0][1])))
    got = (cells, short)
    if len(line) <= _LINE_KEPT:
        if len(_LINES) >= _LINES_MAX:
            _LINES.clear()
        _LINES[line] = got
    return got


def tokenise(text: str) -> list[Token]:
    """Tokens of ``text``: every line a row (its last token ``row_end``); the cells of a
    multi-cell line are "cell" tokens, a single line is a "cell" when it sits in a run of short
    lines (a table flattened one cell per line) and a "line" of prose otherwise."""
    rows: list[tuple[int, list[tuple[int, str]]]] = []
    shorts: list[bool] = []
    forced: dict[int, str] = {}  # row index → kind, for the pieces of a flattened line
    flat_min = flat.FLAT_MIN
    # (without a carriage return, _NEWLINE cuts where str.split does, several times faster)
    lines = text.split("\n") if "\r" not in text else _NEWLINE.split(text)
    for number, line in enumerate(lines, start=1):
        if not line or line.isspace():
            continue  # (no cells, and not a flattened body)
        if len(line) >= flat_min and flat.is_flat(line):
            # a crawler's one-line body: cut where the page had its headings, labels and cells
            for col, piece, kind in flat.split(line):
                forced[len(rows)] = kind
                cells = [(col, piece)]
                rows.append((number, cells))
                shorts.append(len(piece) <= _SHORT and not _SENTENCE.search(piece))
            continue
        cells, short = _cells(line)
        if cells:
            rows.append((number, cells))
            shorts.append(short)

    n = len(rows)
    kinds: list[str] = []
    for i in range(n):
        # a multi-cell line, or a short line in a run of at least three short lines
        if i in forced:
            kinds.append(forced[i])
            continue
        cells = rows[i][1]
        run = shorts[i] and (
            (i >= 2 and shorts[i - 1] and shorts[i - 2])
            or (i >= 1 and i + 1 < n and shorts[i - 1] and shorts[i + 1])
            or (i + 2 < n and shorts[i + 1] and shorts[i + 2])
        )
        kinds.append("cell" if len(cells) > 1 or run else "line")
    empty = _empty_cells(rows, kinds)
    tokens: list[Token] = []
    add = tokens.append
    for i, (number, cells) in enumerate(rows):
        kind = kinds[i]
        if empty:
            for line in empty.get(i, ()):
                add(Token("", {"line": line, "column": 1}, "cell", True, []))
        if len(cells) == 1:
            col, cell = cells[0]
            add(Token(cell, {"line": number, "column": col + 1}, kind, True, []))
            continue
        last = len(cells) - 1
        for j, (col, cell) in enumerate(cells):
            add(Token(cell, {"line": number, "column": col + 1}, kind, j == last, []))
    return tokens


def _empty_cells(rows: list[tuple[int, list[tuple[int, str]]]], kinds: list[str]) -> dict[int, list[int]]:
    """Empty cells of a table copied off a page one cell per line: cells are one blank line
    apart there, so an empty cell shows as three blank lines (blank, the empty cell, blank).
    Returns, per row index, the lines of the empty cells before it. Only where a figure is
    next to the gap, so that the blank lines before a heading or a table add nothing."""
    single = [
        rows[i][0] - rows[i - 1][0] - 1
        for i in range(1, len(rows))
        if kinds[i] == kinds[i - 1] == "cell" and len(rows[i][1]) == len(rows[i - 1][1]) == 1
    ]
    counts = Counter(single)  # (single.count per distinct gap was quadratic in long texts)
    if not single or max(set(single), key=counts.__getitem__) != 1:
        return {}
    found: dict[int, list[int]] = {}
    for i in range(1, len(rows)):
        (before, prev), (line, cells) = rows[i - 1], rows[i]
        gap = line - before - 1
        if gap < 3 or kinds[i] != "cell" or kinds[i - 1] != "cell" or len(prev) != 1 or len(cells) != 1:
            continue
        if looks_numeric(prev[0][1]) or looks_numeric(cells[0][1]):
            found[i] = [before + 2 * (k + 1) for k in range((gap - 1) // 2)]
    return found


#: bytes of the start of a text looked at when the whole is past the limit (see _fewest_chars)
_HEAD = 1 << 20


def _fewest_chars(data: bytes) -> int:
    """The fewest characters ``data`` can decode to: a character takes at most 4 bytes in
    UTF-8, GB18030 and UTF-16 alike, and a byte-order mark at most 3 more."""
    return max(0, (len(data) - 3) // 4)


def _head_text(data: bytes) -> str | None:
    """The start of ``data`` decoded as :func:`decode` would decode the whole (a character cut
    at the end of the piece is left out), or None when it is not text in those encodings."""
    head = data[:_HEAD]
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030"):
        try:
            return codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
    return None


class TextReader:
    format = "text"

    def __init__(self) -> None:
        #: the source last decoded and its text: sniff decodes the whole file, read needs it again
        self._decoded: tuple[bytes, tuple[str, str]] | None = None

    def _decode(self, source: Source) -> tuple[str, str]:
        if self._decoded is not None and self._decoded[0] is source.data:
            return self._decoded[1]
        decoded = decode(source.data)
        self._decoded = (source.data, decoded)
        return decoded

    def sniff(self, source: Source) -> int:
        head = source.data[:4096]
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            head = head[: len(head) & ~1].decode("utf-16", "replace").encode("utf-8")
        elif b"\x00" in head or head.startswith((b"%PDF", b"PK\x03\x04")):
            return 0
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if stripped.startswith((b"{", b"[")) or _HTML.search(head):
            return 0
        if _fewest_chars(source.data) > source.limits.text_chars:
            # too long to read whatever it holds (read says so): whether it is text at all is
            # told by its start, not by decoding hundreds of megabytes
            head_text = _head_text(source.data)
            if head_text is None:
                return 0
            return 40 if ("年度报告" in head_text or "政府信息公开" in head_text) else 20
        try:
            text, _ = self._decode(source)
        except ReadError:
            return 0
        return 40 if ("年度报告" in text or "政府信息公开" in text) else 20

    def read(self, source: Source) -> dict[str, Any]:
        from nianbao.readers.assemble import assemble

        fewest = _fewest_chars(source.data)
        if fewest > source.limits.text_chars:  # refused before decoding it
            raise too_large_at_least(_("the text, in characters"), fewest, "text_chars", source.limits.text_chars)
        text, encoding = self._decode(source)
        check(_("the text, in characters"), len(text), "text_chars", source.limits)
        return assemble(tokenise(text), Hints(encoding=encoding))

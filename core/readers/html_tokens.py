"""A web page → tokens (imported only when an HTML page is read).

The page is parsed with lxml (libxml2's forgiving HTML parser: fast enough for a corpus, and it
copes with Word's "save as web page" markup). lxml knows the line of an element but not its
column, so the start tags are also located by one regular-expression pass over the text and
matched to the elements in document order (same tag name, same line); a cell's place is then
the first printed character inside it, or its ``<td`` when it is blank.

Reading order is a browser copy's: each ``<td>``/``<th>`` once, where it starts (a rowspan or
colspan cell is not repeated), prose as one line per block or ``<br>``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from nianbao.i18n import _
from nianbao.normalize import (
    CN_DATE_PATTERN,
    DATE_PATTERN,
    PUBLISHED_LABELS,
    WRITTEN_LABELS,
    fold_traditional,
    parse_date,
    strip_pinyin,
)
from nianbao.readers import ReadError
from nianbao.readers.limits import DEFAULT, Limits, check, check_depth
from nianbao.readers.tokens import Hints, Token

#: elements whose content is never printed
_SKIP = frozenset(
    {"script", "style", "noscript", "template", "head", "rt", "rp", "iframe", "object", "select", "textarea", "xml"}
)
#: elements that start and end a line of prose
_BLOCK = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
        "article", "header", "footer", "main", "nav", "aside", "blockquote", "center", "pre", "form",
        "fieldset", "address", "figure", "figcaption", "hr", "caption", "body", "html", "table", "tr",
        "td", "th", "tbody", "thead", "tfoot", "legend", "details", "summary",
    }
)  # fmt: skip

#: one pass over the source: comments and raw-text blocks are stepped over, start tags recorded
_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)|<!\[.*?\]>"
    r"|<(script|style|textarea|title|xmp)\b(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+>(.*?)(?:</\1\s*>|\Z)"
    r"|<([a-zA-Z][^\s/<>]*)(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+>",
    re.S | re.I,
)
#: what may stand before a cell's or a line's first printed character
_GAP = re.compile(
    r"(?:\s|&(?:nbsp|ensp|emsp|thinsp|#160|#xa0|#12288|#x3000);?|<!--.*?(?:-->|\Z)|<!\[.*?\]>"
    r"|<(?:script|style)\b.*?</(?:script|style)\s*>|<(?!/?t[dhr][\s>/]|/table)[^>]*>)*",
    re.S | re.I,
)
_WS = re.compile(r"\s+")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.I)

#: the page's date fields, best first (发布 is the publication date; 成文 only the date of writing)
_DATE_FIELDS = (PUBLISHED_LABELS, WRITTEN_LABELS)
_FIELD_DATE = re.compile(rf"[\s:：]*({DATE_PATTERN}|{CN_DATE_PATTERN})")
_FIELD_EMPTY = re.compile(r"[\s:：]*$")
_SOURCE_DATE = re.compile(r"\d{4}\s*(?:年|[-/.])")
_META_DATES = frozenset({"pubdate", "publishdate", "firstpublishedtime", "publishtime", "pubtime", "dc.date"})
_HEADLINE = re.compile(r"(?:19|20)\d\d.*报告|报告.*(?:19|20)\d\d")
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜|－{1,2}|—{1,2}| - )\s*")


@dataclass
class _Marks:
    """Where each start tag is in the source, by element."""

    text: str
    line_starts: list[int]
    start: dict[Any, int] = field(default_factory=dict)  # element → offset of its "<"
    end: dict[Any, int] = field(default_factory=dict)  # element → offset after its ">"

    def line_col(self, offset: int) -> dict[str, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return {"line": line, "column": offset - self.line_starts[line - 1] + 1}


def _mark(text: str, root: Any) -> _Marks:
    """Pair every element lxml built with its start tag in the source: same name, and the
    line lxml reports (that of the tag's closing ">") equal. Elements lxml implied (a missing
    <body>) find no tag and stay unplaced; tags lxml dropped are skipped over."""
    starts = [0]
    pos = text.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    marks = _Marks(text, starts)
    tags: list[tuple[str, int, int, int]] = []
    line, counted = 1, 0  # lines counted up to offset ``counted``; tags come in order
    count = text.count
    for m in _MARKUP.finditer(text):
        name = m.group(3)
        if name:
            end = m.end()
        elif m.group(1):  # a raw-text element: its start tag ends where its content starts
            name, end = m.group(1), m.start(2)
        else:
            continue
        line += count("\n", counted, end - 1)
        counted = end - 1
        tags.append((name.lower(), m.start(), end, line))
    j, n = 0, len(tags)
    start_of, end_of = marks.start, marks.end
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        line = el.sourceline
        if j < n and tags[j][0] == tag and tags[j][3] == line:  # the usual case: in step
            _, start_of[el], end_of[el], _ = tags[j]
            j += 1
            continue
        for k in range(j + 1, min(j + 64, n)):
            name, s, e, tag_line = tags[k]
            if name == tag and tag_line == line:
                start_of[el], end_of[el] = s, e
                j = k + 1
                break
    return marks


def _hidden(el: Any) -> bool:
    """Word's hidden runs and the invisible decoy text some mirrors add (display:none)."""
    style = el.get("style")
    return bool(style) and "none" in style and _DISPLAY_NONE.search(style) is not None


def _collapse(text: str) -> str:
    # as _WS.sub(" ", text).strip(): str.split and \s know the same white space (str.isspace)
    return " ".join(text.split())


def _cell_text(cell: Any, keep_lines: bool = False) -> str:
    """A cell's printed text: inline pieces joined, a <br> or block inside it read as a space
    (or, with ``keep_lines``, the text as it is with a <br> read as a line break)."""
    parts: list[str] = []
    gap = "\n" if keep_lines else " "

    def gather(el: Any) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            tag = child.tag
            if isinstance(tag, str) and tag not in _SKIP and not _hidden(child):
                if tag == "br" or tag in _BLOCK:
                    parts.append(gap)
                gather(child)
                if tag in _BLOCK:
                    parts.append(gap)
            if child.tail:
                parts.append(child.tail)

    gather(cell)
    return "".join(parts) if keep_lines else strip_pinyin(_collapse("".join(parts)))


def _rows(table: Any) -> list[Any]:
    rows = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(tr for tr in child if tr.tag == "tr")
    return rows


def _cells(tr: Any) -> list[Any]:
    return [c for c in tr if c.tag in ("td", "th")]


def _holders(root: Any) -> set[Any]:
    """Cells that hold a table (layout cells around a page or a nested table)."""
    found: set[Any] = set()
    for table in root.iter("table"):
        found.update(table.iterancestors("td", "th"))
    return found


class _Walker:
    """Walks the body in document order, producing tokens."""

    def __init__(self, marks: _Marks, holders: set[Any]) -> None:
        self.marks = marks
        self.holders = holders
        self.tokens: list[Token] = []
        self.offsets: list[int | None] = []  # source offset of each token, for the hints
        self.parts: list[str] = []
        self.owners: list[tuple[Any, bool]] = []  # (element, is_tail) of each part
        self.first: tuple[Any, bool] | None = None  # (element, is_tail) holding the line's first text
        self.cursor = 0

    # ---- places -------------------------------------------------------------------------
    def _first_char(self, lower: int) -> int:
        """The first printed character at or after ``lower`` (white space, &nbsp;, comments and
        tags other than a cell's or row's stepped over)."""
        m = _GAP.match(self.marks.text, lower)
        return m.end() if m else lower

    def _place_text(self, owner: Any, is_tail: bool, piece: str) -> int | None:
        """Source offset of the first printed character of ``piece`` (a text node of ``owner``)."""
        if is_tail:
            last = owner
            for last in owner.iter():  # noqa: B007 - the subtree's last element is wanted
                pass
            lower = self.marks.end.get(last) if isinstance(last.tag, str) else None
            if lower is None:
                lower = self.cursor
        else:
            lower = self.marks.end.get(owner)
            if lower is None:
                return self._find(piece, self.cursor)
        lower = max(lower, self.cursor)
        pos = self._first_char(lower)
        want = piece.lstrip(" \t\r\n\f\v\xa0\u3000")[:1]
        text = self.marks.text
        if pos < len(text) and (text[pos] == want or text[pos] == "&"):
            return pos
        return self._find(piece, lower)

    def _find(self, piece: str, lower: int) -> int | None:
        """Fallback: the piece's first characters searched for after ``lower``."""
        head = piece.strip()[:6]
        cut = next((i for i, c in enumerate(head) if c in "&<>\"'\xa0" or c.isspace()), len(head))
        if not cut:
            return None
        found = self.marks.text.find(head[:cut], lower)
        return found if found >= 0 else None

    def _loc(self, offset: int | None, el: Any) -> dict[str, Any]:
        if offset is None:
            line = getattr(el, "sourceline", None)
            return {"line": line} if line else {}
        self.cursor = max(self.cursor, offset)
        return self.marks.line_col(offset)

    # ---- prose --------------------------------------------------------------------------
    def _add(self, piece: str | None, owner: Any, is_tail: bool) -> None:
        if not piece:
            return
        if self.first is None and piece.strip():
            self.first = (owner, is_tail)
        self.parts.append(piece)
        self.owners.append((owner, is_tail))

    def flush(self) -> None:
        if self.first is not None:
            text = strip_pinyin(_collapse("".join(self.parts)))
            if text:
                owner, is_tail = self.first
                raw = owner.tail if is_tail else owner.text
                offset = self._place_text(owner, is_tail, raw or "")
                token = Token(text, self._loc(offset, owner), "line")
                if offset is not None:
                    token.lines = self._source_lines(text, self.marks.line_col(offset)["line"])
                self._emit(token, offset)
        self.parts = []
        self.owners = []
        self.first = None

    def _source_lines(self, text: str, first_line: int) -> list[tuple[int, dict[str, Any]]]:
        """Where each source line of a paragraph starts in its collapsed ``text`` (Word wraps a
        <p>'s text over several lines of HTML), so that a sentence is located on its own line.
        Only the line is known there (markup may precede the text). Empty for a one-line
        paragraph, or when the collapsed text cannot be matched (pinyin removed)."""
        joined = "".join(self.parts)
        if "\n" not in joined.strip():
            return []
        starts: list[tuple[int, dict[str, Any]]] = [(0, {})]
        collapsed, line, gap, seen_text = 0, None, False, False
        for piece, (owner, is_tail) in zip(self.parts, self.owners, strict=True):
            if line is None or (piece.strip() and "\n" not in piece):
                placed = self._place_text(owner, is_tail, piece) if piece.strip() else None
                line = self.marks.line_col(placed)["line"] if placed is not None else line
            line = first_line if line is None else line
            for char in piece:
                if char.isspace():
                    if char == "\n":
                        line += 1
                    gap = seen_text
                    continue
                if gap:
                    collapsed += 1  # the one space a run of white space collapses to
                    gap = False
                    if starts[-1][1].get("line") != line and line > first_line:
                        starts.append((collapsed, {"line": line}))
                collapsed += 1
                seen_text = True
        if collapsed != len(text):
            return []
        starts[0] = (0, {"line": first_line})
        return starts if len(starts) > 1 else []

    def _emit(self, token: Token, offset: int | None) -> None:
        self.tokens.append(token)
        self.offsets.append(offset)

    def walk(self, el: Any) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP or _hidden(el):
            return
        if tag == "br":
            self.flush()
            return
        if tag == "table":
            self.flush()
            self.table(el)
            return
        if tag == "pre":
            self.flush()
            self.pre(el)
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        self._add(el.text, el, False)
        for child in el:
            self.walk(child)
            self._add(child.tail, child, True)
        if block:
            self.flush()

    def pre(self, el: Any) -> None:
        """Preformatted text keeps its line breaks: a report pasted as text into a page (one
        table cell per line, like the text reader's input) is one line token per line."""
        raw = _cell_text(el, keep_lines=True)
        for piece in raw.split("\n"):
            text = strip_pinyin(_collapse(piece))
            if text:
                offset = self._find(piece, max(self.cursor, self.marks.end.get(el, 0)))
                self._emit(Token(text, self._loc(offset, el), "line"), offset)

    # ---- tables -------------------------------------------------------------------------
    def table(self, table: Any) -> None:
        rows = _rows(table)
        layout = all(len(_cells(tr)) <= 1 for tr in rows)
        for child in table:
            if child.tag == "caption":
                self.walk(child)
        for tr in rows:
            row_tokens: list[Token] = []
            for cell in _cells(tr):
                if layout or cell in self.holders:
                    # a cell holding the page or a nested table lays out prose, it is no figure
                    self.walk(cell)
                    self.flush()
                    continue
                row_tokens.append(self.cell(cell))
            if row_tokens:
                row_tokens[-1].row_end = True
        self.flush()

    def cell(self, cell: Any) -> Token:
        text = _cell_text(cell)
        start = self.marks.start.get(cell)
        offset: int | None = None
        if start is not None:
            offset = start
            if text:
                first = self._first_char(self.marks.end[cell])
                if first < len(self.marks.text) and self.marks.text[first] != "<":
                    offset = first
        loc = self._loc(offset, cell)
        if start is not None and offset != start:
            # Word's exports put the figure lines below its <td>: the place stays the figure's (a
            # fix replaces it there), and the element's start is kept for a reviewer's jump
            element = self.marks.line_col(start)
            if element["line"] != loc.get("line"):
                loc["element"] = element
        token = Token(text, loc, "cell")
        self._emit(token, offset)
        return token


def _parse(text: str) -> Any:
    try:
        import lxml.etree
    except ImportError as exc:
        raise ReadError("unsupported", _("reading web pages needs lxml: pip install 'nianbao[html]'")) from exc

    # bytes in a known encoding: lxml refuses str input that carries an XML declaration; the
    # plain etree parser, as lxml.html's element classes cost a third of the walk
    parser = lxml.etree.HTMLParser(encoding="utf-8", remove_pis=True)
    try:
        root = lxml.etree.fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as exc:
        raise ReadError("corrupt", _("the page could not be parsed as HTML: {reason}", reason=exc)) from exc
    if root is None:
        raise ReadError("not-a-report", _("an HTML page with no content"))
    return root


def tokenize(text: str, limits: Limits = DEFAULT) -> tuple[list[Token], Hints]:
    """The page's tokens in reading order and what its head and date fields say. Traditional
    characters are folded on the whole page at once (one for one, so places in the file stay
    right); injected pinyin is dropped per token."""
    text = fold_traditional(text)
    root = _parse(text)
    check_depth(root, limits, "the page")
    for table in root.iter("table"):
        check(_("a table's cells"), sum(1 for _ in table.iter("td", "th")), "table_cells", limits)
    marks = _mark(text, root)
    walker = _Walker(marks, _holders(root))
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    hints = Hints()
    _title(root, walker, hints)
    _published(root, walker, hints)
    return walker.tokens, hints


def _title(root: Any, walker: _Walker, hints: Hints) -> None:
    """The headline printed above the report (before its first table) or, failing that, the
    <title> less the site name mirrors and portals append."""
    for token in walker.tokens[:40]:
        if token.kind == "cell":
            break
        if len(token.text) <= 100 and _HEADLINE.search(token.text):
            hints.title, hints.title_loc = token.text, dict(token.loc)
            return
    el = root.find("head/title")
    if el is None or not (el.text or "").strip():
        return
    text = strip_pinyin(_collapse(el.text))
    parts = [p for p in _TITLE_SPLIT.split(text) if p]
    hints.title = next((p for p in parts if "报告" in p), parts[0] if parts else text)
    start = walker.marks.end.get(el)
    if start is not None:
        hints.title_loc = walker.marks.line_col(walker._first_char(start))


def _published(root: Any, walker: _Walker, hints: Hints) -> None:
    """发布日期 / 发布时间 (or, failing those, 成文日期) as the page prints it: the date right
    after the label, or alone in the next cell or span. A <meta name="PubDate"> is the last resort."""
    tokens = walker.tokens
    for labels in _DATE_FIELDS:
        for i, token in enumerate(tokens):
            label = next((label for label in labels if label in token.text), None)
            if label is None:
                continue
            # only a date printed as the field's value: a sentence saying 发布时间为… is no field
            m = _FIELD_DATE.match(token.text, token.text.index(label) + len(label))
            where, date = i, None
            if m:
                date = parse_date(m.group(1))
            elif _FIELD_EMPTY.match(token.text, token.text.index(label) + len(label)) and i + 1 < len(tokens):
                nxt = _FIELD_DATE.match(tokens[i + 1].text)
                where, date = i + 1, parse_date(nxt.group(1)) if nxt else None
            if date:
                hints.published = date
                hints.published_loc = _date_loc(walker, where, label if where == i else None)
                return
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() in _META_DATES:
            date = parse_date(meta.get("content") or "")
            if date:
                hints.published = date
                start = walker.marks.start.get(meta)
                hints.published_loc = walker.marks.line_col(start) if start is not None else {}
                return


def _date_loc(walker: _Walker, index: int, label: str | None) -> dict[str, Any]:
    """Where the date itself is printed: the first date after its label in the source."""
    token, offset = walker.tokens[index], walker.offsets[index]
    if offset is None:
        return dict(token.loc)
    text = walker.marks.text
    if label:
        at = text.find(label, offset, offset + 2000)
        offset = at + len(label) if at >= 0 else offset
    m = _SOURCE_DATE.search(text, offset, offset + 400)
    return walker.marks.line_col(m.start()) if m else dict(token.loc)

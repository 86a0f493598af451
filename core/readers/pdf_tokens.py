"""A PDF's pages (characters with boxes, ruling lines) → the token stream: prose paragraphs
and table cells in reading order. Page numbers, running headers and footers are dropped; a
table that runs over a page break stays one stream of cells, and a cell the break cut in two
(the group label （四）无 / 法提供, or a whole row) is joined again.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from nianbao.normalize import is_blank as nz_blank
from nianbao.normalize import looks_numeric
from nianbao.readers.limits import DEFAULT, Limits
from nianbao.readers.pdf_layout import (
    SNAP,
    Cell,
    Char,
    Line,
    Page,
    Table,
    find_cells,
    find_tables,
    group_lines,
    spaced,
)
from nianbao.readers.tokens import Hints, Token, join_wrapped

#: - 3 -, 3, 第3页, 第 3 页 共 6 页, 3/6, Page 3 of 6
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－ ]*\d{1,4}[-—–－ ]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
    r"|\d+\s*/\s*\d+|page\s*\d+(?:\s*of\s*\d+)?)$",
    re.IGNORECASE,
)
_ITEM = re.compile(r"^\s*\d{1,2}\s*[.．、](?!\d)")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)])")


@dataclass
class _Layout:
    """A page as blocks in reading order, and the visual line of every character on it."""

    page: Page
    blocks: list[_Block]
    lines: list[Line]
    line_of: dict[int, int]  # id(Char) → line number on the page

    def number(self, item: Line | Cell) -> int:
        if item.chars:
            first = min(item.chars, key=lambda c: (c.cy, c.x0))
            return self.line_of[id(first)]
        # an empty cell: the line nearest its middle
        middle = (item.top + item.bottom) / 2
        best = min(self.lines, key=lambda ln: abs((ln.top + ln.bottom) / 2 - middle), default=None)
        return best.number if best else 1


@dataclass
class _Block:
    """One thing on a page in reading order: a prose line, a table, or the title's lines."""

    top: float
    line: Line | None = None
    table: Table | None = None
    title: list[Line] | None = None


def tokenize(pages: list[Page], limits: Limits = DEFAULT) -> tuple[list[Token], Hints]:
    layouts = [_layout(p, limits) for p in pages]
    _drop_running(layouts)
    _join_split_cells(layouts)
    hints = Hints()
    if layouts:
        _mark_title(layouts[0])
    margins = {lay.page.number: _margins(lay.blocks) for lay in layouts}
    tokens: list[Token] = []
    previous: tuple[Line, int] | None = None  # the last prose line, for paragraphs over a page break
    for lay in layouts:
        page = lay.page.number
        for block in lay.blocks:
            if block.table is not None:
                previous = None
                tokens.extend(_table_tokens(block.table, lay))
            elif block.title is not None:
                text = join_wrapped([ln.text for ln in block.title])
                loc = {"page": page, "line": lay.number(block.title[0])}
                hints.title, hints.title_loc = text, dict(loc)
                tokens.append(Token(text, loc))
                previous = None
            elif block.line is not None:
                line = block.line
                row = _unruled_row(line)
                if row:
                    # a row of a table drawn without rules: its parts are cells
                    loc = {"page": page, "line": lay.number(line)}
                    for text, chars in row:
                        cell_loc: dict[str, Any] = dict(loc)
                        if lay.page.ocr is not None:
                            box = Cell(chars[0].x0, line.top, chars[-1].x1, line.bottom, list(chars))
                            text, cell_loc["ocr"] = lay.page.ocr.judge(box)
                        tokens.append(Token(text, cell_loc, kind="cell"))
                    tokens[-1].row_end = True
                    previous = None
                    continue
                if previous is not None and _continues(previous, (line, page), margins):
                    tokens[-1].join(line.text, {"page": page, "line": lay.number(line)})
                else:
                    tokens.append(Token(line.text, {"page": page, "line": lay.number(line)}))
                previous = (line, page)
    return tokens, hints


def _unruled_row(line: Line) -> list[tuple[str, list[Char]]] | None:
    """The cells of a table row printed without rules, or None for prose. Cells are set apart
    by gaps of an em or more; a row is a label followed by figures (规章  1  0  11), or figures
    only, or a header of three or more short labels set two ems apart."""
    em = max(line.height, 1.0)
    parts: list[list[Char]] = [[line.chars[0]]]
    wide = True
    for prev, c in itertools.pairwise(line.chars):
        gap = c.x0 - prev.x1
        if gap >= em:
            wide = wide and gap >= 2 * em
            parts.append([c])
        else:
            parts[-1].append(c)
    if len(parts) < 2:
        return None
    texts = [spaced(p) for p in parts]
    if looks_numeric(texts[-1]) and not nz_blank(texts[-1]):
        return list(zip(texts, parts, strict=True))
    if len(texts) >= 3 and wide and all(len(t) <= 12 and not looks_numeric(t) for t in texts):
        return list(zip(texts, parts, strict=True))
    return None


def _layout(page: Page, limits: Limits = DEFAULT) -> _Layout:
    lines = group_lines(page.chars)
    line_of: dict[int, int] = {}
    for n, line in enumerate(lines, 1):
        line.number = n
        for c in line.chars:
            line_of[id(c)] = n
    tables = find_tables(find_cells(page.rules, limits))
    prose: list[Char] = []
    for c in page.chars:
        x, y = (c.x0 + c.x1) / 2, c.cy
        home = next((cell for t in tables if (cell := t.locate(x, y)) is not None), None)
        if home is None:
            prose.append(c)
        else:
            home.chars.append(c)
    blocks = [_Block(t.top, table=t) for t in tables] + [_Block(ln.top, line=ln) for ln in group_lines(prose)]
    blocks.sort(key=lambda b: b.top)
    return _Layout(page, blocks, lines, line_of)


def _drop_running(layouts: list[_Layout]) -> None:
    """Drop page numbers and running headers/footers: short lines in the top or bottom margin
    that are a page number, or that repeat (digits aside) on other pages."""

    def edge_lines(lay: _Layout) -> list[_Block]:
        prose = [b for b in lay.blocks if b.line is not None]
        zone = 0.12 * lay.page.height
        picked = prose[:2] + prose[-2:]
        return [b for b in picked if b.top < zone or b.top > lay.page.height - zone]

    def shape(block: _Block) -> str:
        assert block.line is not None
        return re.sub(r"\d+", "#", block.line.text.replace(" ", ""))

    seen: dict[str, int] = {}
    for lay in layouts:
        for s in {shape(b) for b in edge_lines(lay)}:
            seen[s] = seen.get(s, 0) + 1
    for lay in layouts:
        drop = [
            b
            for b in edge_lines(lay)
            if b.line is not None
            and (_PAGE_NUMBER.match(b.line.text.strip()) or (len(layouts) > 1 and seen[shape(b)] > 1))
        ]
        lay.blocks = [b for b in lay.blocks if all(b is not d for d in drop)]


def _join_split_cells(layouts: list[_Layout]) -> None:
    """A table cut by a page break: the cell that a page break split (a merged group label such
    as （四）无 / 法提供) becomes one cell again, and a header row repeated on the new page goes."""
    start: Table | None = None
    # each table's width as drawn: a join takes cells away (a merged column continued from the
    # page before), and the table must still match the next page's
    extent = {id(b.table): (b.table.x0, b.table.x1) for lay in layouts for b in lay.blocks if b.table is not None}
    for before, after in itertools.pairwise(layouts):
        if not before.blocks or not after.blocks:
            start = None
            continue
        t1, t2 = before.blocks[-1].table, after.blocks[0].table
        if t1 is None or t2 is None:
            start = None
            continue
        (a0, a1), (b0, b1) = extent[id(t1)], extent[id(t2)]
        if abs(a0 - b0) > 2 * SNAP or abs(a1 - b1) > 2 * SNAP:
            start = None
            continue
        start = start or t1
        _drop_repeated_header(start, t2)
        _join_across(t1, t2)
        if not t2.cells:
            after.blocks.pop(0)


def _join_across(t1: Table, t2: Table) -> None:
    """Join the first row of ``t2`` to the last row of ``t1`` where a page break cut a cell:
    a merged cell (its part on either page spans several rows) or a whole row (the label's last
    characters on the new page, the figures all left on the old one)."""
    pairs = []
    for c2 in t2.first_row():
        c1 = next((c for c in t1.last_row() if abs(c.x0 - c2.x0) <= 2 * SNAP and abs(c.x1 - c2.x1) <= 2 * SNAP), None)
        if c1 is not None:
            pairs.append((c1, c2))
    figures = [(c1, c2) for c1, c2 in pairs if c1.text and looks_numeric(c1.text)]
    row_cut = (
        bool(figures)
        and all(not c2.text for _, c2 in figures)
        and any(c2.text for _, c2 in pairs)
        and not any(_HEADING.match(c2.text) or _ITEM.match(c2.text) for _, c2 in pairs)
    )
    for c1, c2 in pairs:
        if row_cut and t2.span(c2) == 1:
            joined = True
        else:
            labels = c1.text and not looks_numeric(c1.text) and not (c2.text and looks_numeric(c2.text))
            joined = bool(labels) and (t1.span(c1) > 1 or t2.span(c2) > 1)
        if joined:
            if c2.text:
                c1.more.append(c2.text)
            t2.cells.remove(c2)


def _drop_repeated_header(start: Table, table: Table) -> None:
    for _ in range(3):
        head, row = start.first_row(), table.first_row()
        texts = [c.text for c in row]
        if not row or texts != [c.text for c in head] or all(looks_numeric(t) for t in texts):
            return
        for c in row:
            table.cells.remove(c)
        if not table.cells:
            return
        # compare the next header row of the first page too
        start = Table([c for c in start.cells if c not in head])


def _mark_title(lay: _Layout) -> None:
    """The title: the first lines of page 1 printed larger than the body text."""
    prose = [b for b in lay.blocks if b.line is not None]
    if not prose:
        return
    body = sorted(b.line.height for b in prose if b.line is not None)[len(prose) // 2]
    run: list[_Block] = []
    for block in lay.blocks[:8]:
        if block.line is not None and block.line.height >= 1.15 * body:
            run.append(block)
        elif run or block.table is not None:
            break
    if run:
        keep = [b for b in lay.blocks if all(b is not r for r in run)]
        keep.insert(lay.blocks.index(run[0]), _Block(run[0].top, title=[b.line for b in run if b.line is not None]))
        lay.blocks = keep


def _margins(blocks: list[_Block]) -> tuple[float, float]:
    lines = [b.line for b in blocks if b.line is not None]
    if not lines:
        return (0.0, 0.0)
    return (min(ln.x0 for ln in lines), max(ln.x1 for ln in lines))


def _continues(previous: tuple[Line, int], current: tuple[Line, int], margins: dict[int, tuple[float, float]]) -> bool:
    """Whether ``current`` goes on with the paragraph of ``previous``: the previous line runs
    to the right margin and this one starts at the left margin (not indented, not a heading)."""
    (before, page_before), (line, page) = previous, current
    em = max(before.height, 1.0)
    right = margins[page_before][1]
    left = margins[page][0]
    return (
        before.x1 >= right - 1.5 * em
        and line.x0 <= left + 0.5 * em
        and abs(line.height - before.height) <= 0.25 * em
        and not _HEADING.match(line.text)
    )


def _table_tokens(table: Table, lay: _Layout) -> list[Token]:
    tokens: list[Token] = []
    for i, cell in enumerate(table.cells):
        last = i + 1 == len(table.cells) or abs(table.cells[i + 1].top - cell.top) > SNAP
        loc: dict[str, Any] = {"page": lay.page.number, "line": lay.number(cell)}
        text = cell.text
        if lay.page.ocr is not None:
            text, loc["ocr"] = lay.page.ocr.judge(cell)
        tokens.append(Token(text, loc, kind="cell", row_end=last))
    return tokens

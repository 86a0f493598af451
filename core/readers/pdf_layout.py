"""Page geometry for the PDF reader, free of any PDF library: characters with boxes and the
ruling lines of a page become visual lines and table cells.

Coordinates are top-down (y grows down the page), in PDF points. A table is found from its
ruling lines the way a reader's eye does: the smallest rectangles closed by horizontal and
vertical rules are the cells, so a merged cell (三、本年度办理结果 over twenty rows) is one cell.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Protocol

from nianbao.i18n import _
from nianbao.readers.limits import DEFAULT, Limits, check
from nianbao.readers.tokens import CJK, join_wrapped

#: lines closer than this (points) are the same rule; WPS and Word draw joins a little apart
SNAP = 2.5


#: whether a character is CJK, by character (asked for every character of every page)
_CJK_CHARS: dict[str, bool] = {}


class Char:
    """One printed character and its box; centre, height and script worked out once, as the
    layout asks for them thousands of times a page."""

    __slots__ = ("bottom", "cjk", "conf", "cy", "height", "text", "top", "x0", "x1")

    def __init__(self, text: str, x0: float, top: float, x1: float, bottom: float, conf: float = 1.0) -> None:
        self.text, self.x0, self.top, self.x1, self.bottom = text, x0, top, x1, bottom
        #: how sure the OCR is of it (0–1); 1 for a PDF's text layer
        self.conf = conf
        self.cy = (top + bottom) / 2
        self.height = bottom - top
        cjk = _CJK_CHARS.get(text)
        if cjk is None:
            cjk = _is_cjk(text)
            if len(text) == 1:  # (bounded: one entry per character seen)
                _CJK_CHARS[text] = cjk
        self.cjk = cjk

    def __repr__(self) -> str:
        return f"Char({self.text!r}, {self.x0:.1f}, {self.top:.1f}, {self.x1:.1f}, {self.bottom:.1f})"


@dataclass
class Line:
    """Characters that share a baseline band, left to right."""

    chars: list[Char]
    number: int = 0  # 1-based on its page, top to bottom

    @property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return self.chars[-1].x1

    @property
    def height(self) -> float:
        """The size the line is set in: Chinese glyphs only when there are any (Latin figures
        from another font have other ascents)."""
        cjk = [c.height for c in self.chars if c.cjk]
        return _median(cjk or [c.height for c in self.chars])

    @property
    def text(self) -> str:
        return spaced(self.chars, cjk=True)


@dataclass(eq=False)
class Cell:
    x0: float
    top: float
    x1: float
    bottom: float
    chars: list[Char] = field(default_factory=list)
    #: text of the same merged cell continued on the next page
    more: list[str] = field(default_factory=list)
    _text: tuple[int, int, str] | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        # cached: the page-break and header checks ask for it often
        if self._text is None or self._text[:2] != (len(self.chars), len(self.more)):
            value = join_wrapped([ln.text for ln in group_lines(self.chars)] + self.more)
            self._text = (len(self.chars), len(self.more), value)
        return self._text[2]


@dataclass(eq=False)
class Table:
    cells: list[Cell]  # sorted by (top, x0)
    _index: tuple[list[float], list[float], dict[tuple[int, int], Cell]] | None = field(default=None, repr=False)

    @property
    def x0(self) -> float:
        return min(c.x0 for c in self.cells)

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.cells)

    @property
    def top(self) -> float:
        return min(c.top for c in self.cells)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.cells)

    def locate(self, x: float, y: float) -> Cell | None:
        """The cell holding the point (x, y), through a grid of the table's rules."""
        if self._index is None:
            xs = sorted({v for c in self.cells for v in (c.x0, c.x1)})
            ys = sorted({v for c in self.cells for v in (c.top, c.bottom)})
            grid: dict[tuple[int, int], Cell] = {}
            # larger cells first, so that a smaller one inside wins its bands
            for c in sorted(self.cells, key=lambda c: -(c.x1 - c.x0) * (c.bottom - c.top)):
                for i in range(bisect.bisect_left(xs, c.x0), bisect.bisect_left(xs, c.x1)):
                    for j in range(bisect.bisect_left(ys, c.top), bisect.bisect_left(ys, c.bottom)):
                        grid[i, j] = c
            self._index = (xs, ys, grid)
        xs, ys, grid = self._index
        if not (xs[0] <= x <= xs[-1] and ys[0] <= y <= ys[-1]):
            return None
        i = max(bisect.bisect_right(xs, x) - 1, 0)
        j = max(bisect.bisect_right(ys, y) - 1, 0)
        return grid.get((min(i, len(xs) - 2), min(j, len(ys) - 2)))

    def row_tops(self) -> list[float]:
        return sorted({c.top for c in self.cells})

    def span(self, cell: Cell) -> int:
        """How many of the table's row bands ``cell`` covers."""
        return sum(1 for t in self.row_tops() if cell.top - SNAP <= t < cell.bottom - SNAP)

    def first_row(self) -> list[Cell]:
        top = self.top
        return [c for c in self.cells if abs(c.top - top) <= SNAP]

    def last_row(self) -> list[Cell]:
        bottom = self.bottom
        return [c for c in self.cells if abs(c.bottom - bottom) <= SNAP]


def _median(values: list[float]) -> float:
    s = sorted(values)
    return s[len(s) // 2] if s else 0.0


def _is_cjk(ch: str) -> bool:
    return bool(CJK.match(ch))


def spaced(chars: list[Char], *, cjk: bool = False) -> str:
    """The text of one line. A gap becomes a space between two non-CJK characters; next to a
    Chinese character only a gap as wide as a space (``cjk``, prose: 来源:东乡县 发布时间), since
    the narrower gap of ``2024 年`` is the typesetter's, not the text's. Cells take no spaces
    between Chinese characters at all: letter-spaced headers (结 果) are one word."""
    out: list[str] = []
    prev: Char | None = None
    for c in chars:
        if prev is not None:
            gap = (c.x0 - prev.x1) / max(prev.height, c.height, 0.1)
            near_cjk = prev.cjk or c.cjk
            if (gap > 0.2 and not near_cjk) or (cjk and gap > 0.3):
                out.append(" ")
        out.append(c.text)
        prev = c
    return "".join(out)


def group_lines(chars: list[Char]) -> list[Line]:
    """Visual lines: characters whose vertical centres lie within half a character height of
    the line's, each line left to right, lines top to bottom."""
    lines: list[Line] = []
    band: list[Char] = []
    centre = height = 0.0
    for c in sorted(chars, key=_CY_X0):
        if band and abs(c.cy - centre) > 0.5 * max(height, c.height, 1.0):
            lines.append(Line(sorted(band, key=_X0)))
            band = []
        band.append(c)
        n = len(band)
        centre += (c.cy - centre) / n if n > 1 else c.cy - centre
        height += (c.height - height) / n if n > 1 else c.height - height
    if band:
        lines.append(Line(sorted(band, key=_X0)))
    return lines


#: sort keys of characters (as the lambdas c.cy, c.x0 would give them, without a Python call each)
_CY_X0, _X0 = attrgetter("cy", "x0"), attrgetter("x0")


@dataclass
class Page:
    """What the PDF library gives of one page: its characters and ruling lines."""

    number: int
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    images: int = 0
    #: a page read by OCR from an image: its judge of each table cell's reading
    #: (:class:`nianbao.readers.ocr.OcrPage`); None for a PDF's text layer
    ocr: OcrJudge | None = None


class OcrJudge(Protocol):
    def judge(self, cell: Cell) -> tuple[str, dict[str, Any]]:
        """A cell's text as OCR reads it, and its confidence and candidate readings for provenance."""
        ...


# --- ruling lines → cells -------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A horizontal (``at`` = y, from x ``lo`` to ``hi``) or vertical (``at`` = x) ruling line."""

    horizontal: bool
    at: float
    lo: float
    hi: float


def _snap(values: list[float]) -> dict[float, float]:
    """Map each coordinate to the mean of its cluster (coordinates within SNAP)."""
    out: dict[float, float] = {}
    cluster: list[float] = []
    for v in sorted(set(values)):
        if cluster and v - cluster[-1] > SNAP:
            mean = sum(cluster) / len(cluster)
            out.update(dict.fromkeys(cluster, mean))
            cluster = []
        cluster.append(v)
    if cluster:
        mean = sum(cluster) / len(cluster)
        out.update(dict.fromkeys(cluster, mean))
    return out


def merge_rules(rules: list[Rule]) -> list[Rule]:
    """Snap rules to shared coordinates and join collinear pieces that touch."""
    out: list[Rule] = []
    for horizontal in (True, False):
        mine = [r for r in rules if r.horizontal == horizontal]
        at = _snap([r.at for r in mine])
        ends = _snap([v for r in rules for v in (r.lo, r.hi)] + [r.at for r in rules if r.horizontal != horizontal])
        pieces = sorted((at[r.at], ends.get(r.lo, r.lo), ends.get(r.hi, r.hi)) for r in mine)
        current: list[float] | None = None
        for a, lo, hi in pieces:
            if current is not None and a == current[0] and lo <= current[2] + SNAP:
                current[2] = max(current[2], hi)
                continue
            if current is not None:
                out.append(Rule(horizontal, *current))
            current = [a, lo, hi]
        if current is not None:
            out.append(Rule(horizontal, *current))
    return out


def _covers(rules: dict[float, list[tuple[float, float]]], at: float, lo: float, hi: float) -> bool:
    return any(a - SNAP <= lo and hi <= b + SNAP for a, b in rules.get(at, ()))


def find_cells(rules: list[Rule], limits: Limits = DEFAULT) -> list[Cell]:
    """The smallest closed rectangles of the ruling (pdfplumber's method, on our own geometry)."""
    rules = merge_rules(rules)
    rules = merge_rules(rules + _closing_rules(rules))
    hs = [r for r in rules if r.horizontal]
    vs = [r for r in rules if not r.horizontal]
    # every crossing is looked at: a page ruled as a fine grid would take hours, so the crossings
    # (at least as many as the cells they could close) are held to the cells' limit
    check(_("the crossings of a page's ruling lines"), len(hs) * len(vs), "table_cells", limits)
    # merged rules share exact coordinates, so a rule is looked up by its position
    h_at: dict[float, list[tuple[float, float]]] = {}
    v_at: dict[float, list[tuple[float, float]]] = {}
    for r in hs:
        h_at.setdefault(r.at, []).append((r.lo, r.hi))
    for r in vs:
        v_at.setdefault(r.at, []).append((r.lo, r.hi))
    points = sorted(
        {
            (v.at, h.at)
            for v in vs
            for h in hs
            if h.lo - SNAP <= v.at <= h.hi + SNAP and v.lo - SNAP <= h.at <= v.hi + SNAP
        },
        key=lambda p: (p[1], p[0]),
    )
    pset = set(points)
    by_y: dict[float, list[float]] = {}
    by_x: dict[float, list[float]] = {}
    for x, y in points:
        by_y.setdefault(y, []).append(x)
        by_x.setdefault(x, []).append(y)
    cells: list[Cell] = []
    for x, y in points:
        found = None
        for y2 in sorted(v for v in by_x[x] if v > y):
            if not _covers(v_at, x, y, y2):
                break  # the left rule stops: no cell can close lower down
            for x2 in sorted(v for v in by_y[y] if v > x):
                if not _covers(h_at, y, x, x2):
                    break
                if (x2, y2) in pset and _covers(v_at, x2, y, y2) and _covers(h_at, y2, x, x2):
                    found = Cell(x, y, x2, y2)
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _closing_rules(rules: list[Rule]) -> list[Rule]:
    """The rule a page break left out. A browser prints a table row cut by the page break with
    no rule under its part on the first page and none over its part on the next: the vertical
    rules simply stop at the page's edge. Where three or more vertical rules end at the same
    height and no horizontal rule joins them there, the eye closes the row, and so does this."""
    hs = [r for r in rules if r.horizontal]
    vs = [r for r in rules if not r.horizontal]
    out: list[Rule] = []
    for end in ("lo", "hi"):
        by_y: dict[float, list[Rule]] = {}
        for v in vs:
            y = getattr(v, end)
            key = next((k for k in by_y if abs(k - y) <= SNAP), y)
            by_y.setdefault(key, []).append(v)
        for y, ending in by_y.items():
            if len(ending) < 3:
                continue
            lo, hi = min(v.at for v in ending), max(v.at for v in ending)
            if any(abs(h.at - y) <= SNAP and h.lo < hi and h.hi > lo for h in hs):
                continue  # a rule is drawn there (perhaps in pieces): the table is closed
            out.append(Rule(True, y, lo, hi))
    return out


def find_tables(cells: list[Cell]) -> list[Table]:
    """Cells that share a corner form a table; a lone frame or a column of boxes is not one."""
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    corners: dict[tuple[float, float], int] = {}
    for i, c in enumerate(cells):
        for corner in ((c.x0, c.top), (c.x1, c.top), (c.x0, c.bottom), (c.x1, c.bottom)):
            j = corners.setdefault(corner, i)
            if j != i:
                parent[root(i)] = root(j)
    groups: dict[int, list[Cell]] = {}
    for i, c in enumerate(cells):
        groups.setdefault(root(i), []).append(c)
    tables = []
    for members in groups.values():
        tops: dict[float, int] = {}
        for c in members:
            tops[c.top] = tops.get(c.top, 0) + 1
        if max(tops.values()) >= 2:  # at least two columns somewhere
            tables.append(Table(sorted(members, key=lambda c: (c.top, c.x0))))
    return sorted(tables, key=lambda t: t.top)

"""The template description folded for matching, and the token stream with its folded keys: what
the other parts of the assembler match labels and headings against."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from nianbao import normalize as nz
from nianbao import schemas
from nianbao.readers.tokens import Token
from nianbao.template import Row, Template, describe, sections

#: what a heading may print before its own words: 政府信息公开工作中存在的主要问题…
HEAD_PREFIXES = ("政府信息公开工作中", "政府信息公开工作")
#: prose ends sentences; labels, cells and headings do not
SENTENCE = re.compile(r"[。；！？]")


# --- the template description, folded for matching ------------------------------------------


@dataclass(frozen=True)
class _RowKeys:
    row: Row
    keys: tuple[str, ...]  # folded labels, ordinal dropped
    okeys: frozenset[str]  # folded labels, ordinal kept


@dataclass(frozen=True)
class _TableKeys:
    rows: tuple[_RowKeys, ...]
    known: frozenset[str]  # every label of the table in either template (rows, groups, columns, blocks)
    blocks: frozenset[str]
    only: frozenset[str]  # labels this template has and the other does not
    labels: tuple[str, ...]  # the folded labels of every row, for a look-up across all rows


def fold(labels: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for label in labels:
        k = nz.key(label, ordinal=False)
        if k and k not in out:
            out.append(k)
    return tuple(out)


def _labels_of(template: Template, table: str) -> set[str]:
    t = template.tables[table]
    found: set[str] = set()
    for row in t.rows:
        found.update(fold(row.labels))
        for column in row.columns:
            found.update(fold(column.labels))
    for group in t.groups:
        found.update(fold((group.label, *group.aliases)))
    return found


@cache
def keys(name: str, table: str) -> _TableKeys:
    template = describe(name)
    other = describe("2019" if name == "2021" else "2021")
    mine, theirs = _labels_of(template, table), _labels_of(other, table)
    rows = tuple(
        _RowKeys(r, fold(r.labels), frozenset(nz.key(label) for label in r.labels)) for r in template.tables[table].rows
    )
    blocks = frozenset(nz.key(r.block) for t in (template, other) for r in t.tables[table].rows if r.block)
    every = tuple(dict.fromkeys(k for r in rows for k in r.keys))
    return _TableKeys(rows, frozenset(mine | theirs | blocks), blocks, frozenset(mine - theirs), every)


@cache
def _vertical_groups() -> tuple[str, ...]:
    """The group labels the templates print down a merged first column (``x-group``:
    三、本年度办理结果): a PDF's text layer may interleave their characters, one or two at a
    time, with the row labels beside them (三（一）予以公开, 度办1.属于国家秘密)."""
    found: list[str] = []
    for name in schemas.TEMPLATES:
        for table in schemas.load(f"template-{name}")["properties"]["tables"]["properties"].values():
            for node in table.get("properties", {}).values():
                group = node.get("x-group") if isinstance(node, dict) else None
                if group and group not in found:
                    found.append(group)
    return tuple(found)


@cache
def _strays() -> frozenset[str]:
    return frozenset(ch for group in _vertical_groups() for ch in nz.nfkc(group))


@cache
def _row_label_keys() -> frozenset[str]:
    """Every folded row label of tables 二、三 and 四 in either template."""
    return frozenset(
        k
        for name in schemas.TEMPLATES
        for table in describe(name).tables.values()
        for r in table.rows
        for k in fold(r.labels)
    )


@cache
def _group_prefixes() -> tuple[str, ...]:
    """Folded group labels ((三)不予公开, 三、本年度办理结果), longest first: a converter or a
    crawler writes a merged group cell into each of its rows (（三）不予公开1.属于国家秘密)."""
    found = {nz.key(g, ordinal=False) for g in _vertical_groups()}
    for name in schemas.TEMPLATES:
        for table in describe(name).tables.values():
            for group in table.groups:
                found.update(nz.key(label, ordinal=False) for label in (group.label, *group.aliases))
    return tuple(sorted((g for g in found if len(g) >= 4), key=len, reverse=True))


_LEAD_ORDINAL = re.compile(r"^[0-9一二三四五六七八九十]{1,2}")


@lru_cache(maxsize=16384)
def _without_group(k: str) -> str | None:
    """``k`` without a group label written before its row label, when what is left is a row label."""
    labels = _row_label_keys()
    for prefix in _group_prefixes():
        if k.startswith(prefix) and len(k) > len(prefix):
            rest = _LEAD_ORDINAL.sub("", k[len(prefix) :])
            if rest in labels or any(len(want) >= 4 and rest.startswith(want) for want in labels):
                return rest
    return None


#: the most characters of a vertical group label found stuck before one row label
_STRAY_MAX = 3


@lru_cache(maxsize=16384)
def _without_strays(text: str) -> str | None:
    """The key of ``text`` once the characters of a vertical group label stuck at its start are
    dropped, when that key is a row label (or a row label followed by its printed note)."""
    folded = nz.nfkc(text).strip()
    dropped = 0
    for n, ch in enumerate(folded):
        if ch in _strays():
            dropped += 1
            if dropped > _STRAY_MAX:
                return None
            continue
        if nz.key(ch) == "" and ch not in "（(":  # punctuation between the stray characters
            continue
        if dropped == 0:
            return None
        k = nz.key(folded[n:], ordinal=False)
        labels = _row_label_keys()
        if k in labels or any(len(want) >= 4 and k.startswith(want) for want in labels):
            return k
        return None
    return None


@cache
def section_keys() -> dict[str, int]:
    """Folded heading → index into ``sections()``."""
    found: dict[str, int] = {}
    for index, section in enumerate(sections()):
        for label in (section.label, *section.aliases):
            k = nz.key(label, ordinal=False)
            found.setdefault(k, index)
            for prefix in HEAD_PREFIXES:
                if k.startswith(prefix):
                    found.setdefault(k[len(prefix) :], index)
    return found


# --- the token stream with its folded keys ---------------------------------------------------


@dataclass(frozen=True)
class _Index:
    """The labels of one :meth:`Stream.match` call laid out for look-ups, so that a token that
    matches none of them is told so without a loop over them."""

    exact: frozenset[str]
    noted: frozenset[str]  # labels of 4 or more characters (a printed note may follow them)
    noted_lengths: tuple[int, ...]
    noted_starts: frozenset[str]  # the first four characters of each: what a key must start with to match one
    heads: frozenset[str]  # what a label wrapped over tokens may start with: its proper prefixes


_INDEX: dict[tuple[str, ...], _Index] = {}


def _index(keys: tuple[str, ...]) -> _Index:
    noted = frozenset(want for want in keys if len(want) >= 4)
    heads = frozenset(want[:n] for want in keys for n in range(2, len(want)))
    ix = _Index(frozenset(keys), noted, tuple(sorted({len(w) for w in noted})), frozenset(w[:4] for w in noted), heads)
    if len(_INDEX) < 4096:  # the template's labels: a few hundred tuples
        _INDEX[keys] = ix
    return ix


#: per token text: its folded key (repaired, see Stream), whether it is a value, and the note
#: of its repair. Labels and figures recur across the tokens and reports of a run; a token's
#: reading depends on its text only. Long texts (prose) rarely recur: they are not kept.
_READINGS: dict[str, tuple[str, bool, str | None]] = {}
_READING_KEPT = 120  # the longest text kept
_READINGS_MAX = 16384  # texts kept before the memo starts again


def _reading(text: str) -> tuple[str, bool, str | None]:
    got = _READINGS.get(text)
    if got is not None:
        return got
    k = nz.key(text, ordinal=False)
    value = _is_value(text)
    note = None
    if not value and k and k not in _row_label_keys():
        grouped = _without_group(k)
        if grouped is not None:
            k, note = grouped, f"label {text!r} read as a row label after its group's label"
        elif set(nz.nfkc(text)[:1]) & _strays():
            repaired = _without_strays(text)
            if repaired is not None and repaired != k:
                k = repaired
                note = (
                    f"label {text!r} read as a row label without the characters of the vertical label "
                    f"{'/'.join(_vertical_groups())} stuck to it"
                )
    got = (k, value, note)
    if len(text) <= _READING_KEPT:
        if len(_READINGS) >= _READINGS_MAX:
            _READINGS.clear()
        _READINGS[text] = got
    return got


@dataclass
class Stream:
    tokens: list[Token]
    keys: list[str] = field(default_factory=list)
    values: list[bool] = field(default_factory=list)  # a figure or a blank token
    repairs: list[str] = field(default_factory=list)  # labels read otherwise than printed, for the notes
    #: the label indexes of this stream's match calls by the id of their keys (kept alive here,
    #: so the id is theirs): a tuple of keys is hashed once per stream, not once per call
    _ixs: dict[int, tuple[tuple[str, ...], _Index]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        readings = [_reading(t.text) for t in self.tokens]
        self.keys = [r[0] for r in readings]
        self.values = [r[1] for r in readings]
        self.repairs.extend(r[2] for r in readings if r[2] is not None)

    def __len__(self) -> int:
        return len(self.tokens)

    def match(self, i: int, keys: tuple[str, ...]) -> int | None:
        """The end (exclusive) of a label matching one of ``keys`` at token ``i``: the label as
        printed, the label followed by a printed note, or a label wrapped over several tokens."""
        k = self.keys[i]
        if not k or self.values[i]:
            return None
        held = self._ixs.get(id(keys))
        if held is None:
            ix = _INDEX.get(keys) or _index(keys)
            self._ixs[id(keys)] = (keys, ix)
        else:
            ix = held[1]
        if k in ix.exact:
            return i + 1
        # a label with a printed note, not a sentence (every such label has four characters or more)
        if k[:4] in ix.noted_starts and not SENTENCE.search(self.tokens[i].text):
            for n in ix.noted_lengths:
                if k[:n] in ix.noted:
                    return i + 1
        if k not in ix.heads:
            return None  # not the start of a label wrapped over several tokens
        for want in keys:
            if len(want) > len(k) >= 2 and want.startswith(k):
                joined, j = k, i + 1
                while j < len(self.keys) and j <= i + 4 and not self.values[j] and self.keys[j]:
                    joined += self.keys[j]
                    if joined.startswith(want):
                        return j + 1
                    if not want.startswith(joined):
                        break
                    j += 1
        return None

    def row_match(self, i: int, rk: _RowKeys, expected: bool) -> int | None:
        """Like :meth:`match`, but a short label (规章, 3.其他) out of turn must be printed with
        its own numbering or none, so that the column header 其他 is not the row 3.其他."""
        end = self.match(i, rk.keys)
        if end is None:
            return None
        if not expected and min(len(k) for k in rk.keys) <= 3 and nz.key(self.tokens[i].text) not in rk.okeys:
            return None
        return end

    def read_values(self, start: int, count: int | None, stop: int) -> tuple[list[int], int]:
        """Indices of the cells after a label, and where the scan stopped. When the label is not
        the last cell of its row, the rest of its row; else up to ``count`` values in a row."""
        if start > 0 and start < stop and not self.tokens[start - 1].row_end:
            limit = min(stop, start + (count or 8) + 12)
            j = start
            while j < limit and not self.tokens[j].row_end:
                j += 1
            if j < limit:
                return list(range(start, j + 1)), j + 1
        return self.read_flat(start, count, stop)

    def read_flat(self, start: int, count: int | None, stop: int) -> tuple[list[int], int]:
        """Up to ``count`` consecutive values from ``start`` (all of them when None)."""
        cells: list[int] = []
        j = start
        while j < stop and self.values[j] and (count is None or len(cells) < count):
            cells.append(j)
            j += 1
        return cells, j


def _is_value(text: str) -> bool:
    if nz.looks_numeric(text):
        return True
    if not text.endswith("元"):  # the only unit a cell prints (251000元, 25.1万元)
        return False
    number, unit = nz.parse_amount(text)
    return unit is not None and number.ok

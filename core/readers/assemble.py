"""The shared assembler: a format reader's token stream → the report model (report-model.md).

It finds the title, organ, year, publication date and statistics period, the six section
headings and the three tables, all through the template description (``nianbao.template``),
so that no reader keeps its own label lists. Every cell gets a provenance entry with the
text as printed and the place of its token.

Tables are read label by label: a row's label, then as many values as the template has
columns (the rest of the row when the format knows rows). Labels are matched in template
order, which is what keeps the column header 其他 from being taken for the row 3.其他, and the
rows 一、本年新收… of table 三 from being taken for section headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from nianbao import normalize as nz
from nianbao.model import MODEL
from nianbao.readers import ReadError
from nianbao.readers.tokens import Hints, Token
from nianbao.template import TABLES, Row, Template, describe, sections

# --- phrases a report prints around the tables and dates (not template labels) ---------------

_TITLE = re.compile(r"年度报告")
_YEAR = re.compile(r"(\d{4})\s*年")
_ORGAN = re.compile(r"^(?P<pre>.*?)(?P<year>\d{4})\s*年度?(?P<post>.*)$")
#: a title ends in 年度报告, perhaps with a short note in brackets: …年度报告（2021年度） · （全文）
_TITLE_END = re.compile(r"年度报告\s*(?:[(\[【][^()\[\]【】]{1,12}[)\]】])?\s*$")
_TITLE_NOTE = re.compile(r"\s*[(\[【](?P<note>[^()\[\]【】]{1,12})[)\]】]\s*$")
_BARE_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_TITLE_TAIL = re.compile(r"(?:的)?(?:政府信息公开|政务公开|信息公开)?(?:工作)?(?:年度报告)$")
_PUBLISHED = re.compile(
    rf"(?:发布时间|发布日期|成文日期|公开日期|印发日期|日期)\s*[:：]?\s*(?P<date>{nz.DATE_PATTERN})"
)
#: a signature date: alone on its line, or after the organ's name (宁川市交通运输局 2020年1月20日)
_SIGNATURE = re.compile(rf"(?:^|\s)(?P<date>{nz.DATE_PATTERN}|{nz.CN_DATE_PATTERN})\s*$")
_PERIOD_DATE = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
_PERIOD = re.compile(
    r"统计(?:期限|时限|周期|时间|区间|期间|时段|范围|日期)[^。；\d]{0,12}?"
    rf"(?P<start>{_PERIOD_DATE})\s*(?:起\s*)?(?:至|到|—+|-|~|–)\s*"
    rf"(?P<end>(?:\d{{4}}\s*年\s*)?\d{{1,2}}\s*月\s*\d{{1,2}}\s*日|\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}})"
)
_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日")
#: a section heading's own numbering: 一、 · 第一部分 · 1.
_HEAD_NUMBER = re.compile(
    r"^(?:第([一二三四五六])部分\s*[、.，,:：]?"  # 第一部分
    r"|([一二三四五六])\s*[、.，,:：]"  # 一、
    r"|([1-6])\s*[、.](?!\d))\s*"  # 1.
)
_NUMERALS = "一二三四五六"
_HEAD_PREFIXES = ("政府信息公开工作中", "政府信息公开工作")
#: prose ends sentences; labels, cells and headings do not
_SENTENCE = re.compile(r"[。；！？]")
#: the longest token taken for part of a table's header (the 勾稽关系 note is 38 characters)
_HEADER_MAX = 50
_OFFICE = re.compile(r"(?:办公厅|办公室)$")
_GOVERNMENT_PLACE = re.compile(r"(?:省|市|县|区|州|旗|盟|自治区|自治州|自治县|特别行政区)$")
_TOWNSHIP = re.compile(r"(?:乡|镇|街道|街道办事处|街道办|苏木)$")
_DEPARTMENT = re.compile(
    r"(?:局|委员会|委|厅|办|中心|院|部|署|处|所|站|队|馆|会|社|公司|集团|管委会|办事处|研究室|法庭)$"
)
#: cells of table 四: 行政复议 · 未经复议直接起诉 · 复议后起诉, five each
_REVIEW_CELLS = 15


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


def _fold(labels: tuple[str, ...] | list[str]) -> tuple[str, ...]:
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
        found.update(_fold(row.labels))
        for column in row.columns:
            found.update(_fold(column.labels))
    for group in t.groups:
        found.update(_fold((group.label, *group.aliases)))
    return found


@cache
def _keys(name: str, table: str) -> _TableKeys:
    template = describe(name)
    other = describe("2019" if name == "2021" else "2021")
    mine, theirs = _labels_of(template, table), _labels_of(other, table)
    rows = tuple(
        _RowKeys(r, _fold(r.labels), frozenset(nz.key(label) for label in r.labels))
        for r in template.tables[table].rows
    )
    blocks = frozenset(nz.key(r.block) for t in (template, other) for r in t.tables[table].rows if r.block)
    return _TableKeys(rows, frozenset(mine | theirs | blocks), blocks, frozenset(mine - theirs))


@cache
def _section_keys() -> dict[str, int]:
    """Folded heading → index into ``sections()``."""
    found: dict[str, int] = {}
    for index, section in enumerate(sections()):
        for label in (section.label, *section.aliases):
            k = nz.key(label, ordinal=False)
            found.setdefault(k, index)
            for prefix in _HEAD_PREFIXES:
                if k.startswith(prefix):
                    found.setdefault(k[len(prefix) :], index)
    return found


# --- the token stream with its folded keys ---------------------------------------------------


@dataclass
class _Stream:
    tokens: list[Token]
    keys: list[str] = field(default_factory=list)
    values: list[bool] = field(default_factory=list)  # a figure or a blank token

    def __post_init__(self) -> None:
        self.keys = [nz.key(t.text, ordinal=False) for t in self.tokens]
        self.values = [_is_value(t.text) for t in self.tokens]

    def __len__(self) -> int:
        return len(self.tokens)

    def match(self, i: int, keys: tuple[str, ...]) -> int | None:
        """The end (exclusive) of a label matching one of ``keys`` at token ``i``: the label as
        printed, the label followed by a printed note, or a label wrapped over several tokens."""
        k = self.keys[i]
        if not k or self.values[i]:
            return None
        if k in keys:
            return i + 1
        if not _SENTENCE.search(self.tokens[i].text):  # a label with a printed note, not a sentence
            for want in keys:
                if len(want) >= 4 and k.startswith(want):
                    return i + 1
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


# --- meta --------------------------------------------------------------------------------------


def _as_printed(token: Token, folded: str, m: re.Match[str], group: str | int = 0) -> tuple[str, dict[str, Any]]:
    """The matched part of a token as printed (``folded`` is its NFKC form, matched on) and
    its place: the column moves to the match when the token has one and folding kept widths."""
    text = token.text
    if len(folded) != len(text):
        return m.group(group), token.loc
    loc = dict(token.loc)
    if "column" in loc:  # a token's text is stripped, so its column is its first character's
        loc["column"] += m.start(group)
    return text[m.start(group) : m.end(group)], loc


def _title(stream: _Stream, first_heading: int, hints: Hints) -> tuple[str, dict[str, Any]] | None:
    found: list[tuple[str, dict[str, Any]]] = []
    for i in range(min(first_heading, len(stream))):
        text = stream.tokens[i].text.strip()
        if len(text) > 80 or _SENTENCE.search(text):
            continue
        if _TITLE.search(text) and _TITLE_END.search(nz.nfkc(text)):
            found.append((text, stream.tokens[i].loc))
        elif i + 1 < len(stream) and "年度报告" not in text:
            # a title broken over two lines: …政府信息公开工作 / 年度报告
            joined = text + stream.tokens[i + 1].text.strip()
            if len(joined) <= 80 and "政府信息公开" in joined and _TITLE_END.search(nz.nfkc(joined)):
                found.append((joined, stream.tokens[i].loc))
    if hints.title:
        m = re.search(r"^\s*(.*?年度报告)", hints.title)
        if m:
            found.append((m.group(1).strip(), hints.title_loc))
    if not found:
        return None
    preferred = [f for f in found if "政府信息公开" in f[0] and "工作年度报告" in f[0]]
    return (preferred or found)[0]


def _organ(title: str) -> str | None:
    folded = nz.nfkc(title).strip()
    note = _TITLE_NOTE.search(folded)
    if note:  # 东乡县政府信息公开工作年度报告（2021年度）: the note says nothing of the organ
        folded = folded[: note.start()]
    m = _ORGAN.match(folded)
    if m is None and note:
        return _TITLE_TAIL.sub("", folded).strip() or None
    if not m:
        return None
    pre = m.group("pre").strip().removeprefix("关于").strip(" 《")
    if pre:
        return pre
    post = _TITLE_TAIL.sub("", m.group("post").strip()).strip(" 》")
    return post or None


def organ_kind(organ: str | None) -> str | None:
    """government (a people's government, its 办公厅/办公室, a bare place name), township,
    department or other; None without an organ."""
    if not organ:
        return None
    name = re.sub(r"\s+", "", nz.nfkc(organ))
    bare = _OFFICE.sub("", name).removesuffix("人民政府")
    if _TOWNSHIP.search(bare):
        return "township"
    if name.removesuffix("人民政府") != name or _OFFICE.sub("", name).endswith("人民政府"):
        return "government"
    if _GOVERNMENT_PLACE.search(name):
        return "government"
    if _DEPARTMENT.search(name):
        return "department"
    return "other"


def _published(stream: _Stream, hints: Hints, sixth: int | None, stop: int) -> tuple[str, str, dict[str, Any]] | None:
    if hints.published:
        return hints.published, hints.published, hints.published_loc
    for token in stream.tokens:
        if "期" not in token.text and "时间" not in token.text:
            continue
        folded = nz.nfkc(token.text)
        for m in _PUBLISHED.finditer(folded):
            if m.group(0).startswith("日期") and m.start() and _is_han(folded[m.start() - 1]):
                continue  # 截止日期 and the like are not the publication date
            iso = nz.parse_date(m.group("date"))
            if iso:
                return iso, *_as_printed(token, folded, m, "date")
    if sixth is not None:
        # the signature date standing alone after the last section
        for token in stream.tokens[sixth + 1 : stop]:
            if len(token.text) > 60 or _SENTENCE.search(token.text):
                continue
            folded = nz.nfkc(token.text)
            m = _SIGNATURE.search(folded)
            iso = nz.parse_date(m.group("date")) if m else None
            if m and iso:
                return iso, *_as_printed(token, folded, m, "date")
    return None


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _period(stream: _Stream) -> tuple[dict[str, str], str, dict[str, Any]] | None:
    for token in stream.tokens:
        if "统计" not in token.text:
            continue
        folded = nz.nfkc(token.text)
        m = _PERIOD.search(folded)
        if not m:
            continue
        start = nz.parse_date(m.group("start"))
        end = nz.parse_date(m.group("end"))
        if start and not end:
            md = _MONTH_DAY.search(m.group("end"))  # 至12月31日: the start's year
            end = nz.iso_date(int(start[:4]), int(md.group(1)), int(md.group(2))) if md else None
        if start and end:
            return {"start": start, "end": end}, *_as_printed(token, folded, m)
    return None


# --- sections ----------------------------------------------------------------------------------


@dataclass
class _Heading:
    index: int  # token index
    section: int  # index into sections()
    heading: str
    rest: str  # prose printed after the heading in the same token


def _heading(text: str) -> tuple[int, str, str] | None:
    """(section index, heading, rest) when ``text`` is a section heading."""
    stripped = nz.nfkc(text).strip()
    if not stripped or stripped[0] in "(（[【" or len(stripped) > 200:
        return None
    table = _section_keys()
    m = _HEAD_NUMBER.match(stripped)
    body = stripped[m.end() :] if m else stripped
    if len(stripped) <= 60:
        k = nz.key(body, ordinal=False)
        for candidate in (k, *(k[len(p) :] for p in _HEAD_PREFIXES if k.startswith(p))):
            if candidate in table:
                return table[candidate], text.strip(), ""
    if m:
        # a heading run into its first paragraph: 一、总体情况2019年，…
        numeral = m.group(1) or m.group(2)
        number = _NUMERALS.index(numeral) + 1 if numeral else int(m.group(3))
        section = sections()[number - 1]
        for label in (section.label, *section.aliases):
            plain = nz.strip_ordinal(label)
            for lead in ("", *_HEAD_PREFIXES):
                if body.startswith(lead + plain):
                    cut = m.end() + len(lead) + len(plain)
                    printed = text.strip()
                    if len(printed) != len(stripped):  # folding changed widths: keep the folded form
                        printed = stripped
                    return number - 1, printed[:cut], printed[cut:].lstrip("：:。 ,，")
    return None


def _headings(stream: _Stream) -> list[_Heading]:
    """The first heading of each section. A table of contents (headings one after the other,
    each printed again later) is skipped, so that the sections start at their text."""
    hits = [
        _Heading(i, *hit)
        for i, token in enumerate(stream.tokens)
        if not stream.values[i] and (hit := _heading(token.text)) is not None
    ]
    again = {h.section for n, h in enumerate(hits) if any(g.section == h.section for g in hits[n + 1 :])}
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


# --- tables ------------------------------------------------------------------------------------


@dataclass
class _Read:
    """One table as read: the cells by pointer, their provenance, what was noticed."""

    values: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    extras: list[dict[str, Any]] = field(default_factory=list)
    end: int = 0  # last token index used


def _cell_value(raw: str, kind: str, unit: str | None, where: str, notes: list[str]) -> int | float | None:
    if kind in ("amount", "amount_yuan"):
        number, own = nz.parse_amount(raw)
        if not number.ok:
            notes.append(f"{where}: {raw!r} is not a figure; read as blank")
            return None
        if kind == "amount":
            if own == "元":  # the column is in 万元; the figure stays as printed, T203 judges it
                notes.append(f"{where}: {raw!r} is printed in 元 in a column of 万元; kept as printed")
            return number.value
        if number.value is not None and not (own or unit):
            notes.append(f"{where}: no unit printed for {raw!r}; read as 元")
        return nz.to_yuan(number.value, own or unit)
    number = nz.parse_number(raw)
    if not number.ok:
        notes.append(f"{where}: {raw!r} is not a figure; read as blank")
    return number.value


def _put(table: dict[str, Any], path: tuple[str, ...], column: str, value: Any) -> None:
    node = table
    for part in path:
        node = node.setdefault(part, {})
    node[column] = value


def _header_unit(stream: _Stream, start: int, stop: int, column_keys: tuple[str, ...]) -> str | None:
    """The unit a column header prints: 采购总金额（万元）."""
    for i in range(start, stop):
        k = stream.keys[i]
        if k and any(k.startswith(c[:4]) for c in column_keys):
            folded = nz.nfkc(stream.tokens[i].text)
            if "万元" in folded:
                return "万元"
            if "元" in folded:
                return "元"
    return None


def _read_rows(stream: _Stream, name: str, table: str, start: int, stop: int) -> _Read:
    """A table whose rows are a label followed by values (二 and 三)."""
    tk = _keys(name, table)
    out = _Read(end=start)
    label = describe(name).tables[table].number  # 二 or 三, for the notes
    expect, i, seen_first = 0, start, False
    found_at: dict[int, tuple[int, list[int]]] = {}
    while i < stop and expect < len(tk.rows):
        if stream.values[i] or not stream.keys[i]:
            i += 1
            continue
        hit = None
        for r in range(expect, min(len(tk.rows), expect + 8)):
            end = stream.row_match(i, tk.rows[r], r == expect)
            if end is not None:
                hit = (r, end)
                break
        if hit is None:
            if seen_first and stream.keys[i] not in tk.known and i + 1 < stop and stream.values[i + 1]:
                cells, nxt = stream.read_values(i + 1, None, stop)
                values = [_cell_value(stream.tokens[c].text, "count", None, "", []) for c in cells]
                out.extras.append({"label": stream.tokens[i].text, "values": values})
                out.notes.append(f"table {label}: kept the extra row {stream.tokens[i].text!r} in extras")
                out.end = max(out.end, nxt - 1)
                i = nxt
                continue
            i += 1
            continue
        r, end = hit
        rk = tk.rows[r]
        cells, nxt = stream.read_values(end, len(rk.row.columns), stop)
        found_at[r] = (i, cells)
        seen_first = True
        expect, out.end, i = r + 1, max(end - 1, nxt - 1), nxt
    unit = None
    if any(c.kind == "amount_yuan" for r in tk.rows for c in r.row.columns):
        cols = tuple(k for r in tk.rows for c in r.row.columns if c.kind == "amount_yuan" for k in _fold(c.labels))
        unit = _header_unit(stream, start, out.end + 1, cols)
    anchor = stream.tokens[start].loc
    for r, rk in enumerate(tk.rows):
        row = rk.row
        at = found_at.get(r)
        if at is None:
            out.notes.append(f"table {label}: row {row.label!r} not found; its cells are blank")
        label_at, cells = at if at else (None, [])
        if at and len(cells) < len(row.columns):
            out.notes.append(
                f"table {label}: row {row.label!r} has {len(cells)} of {len(row.columns)} values; the rest are blank"
            )
        if at and len(cells) > len(row.columns):
            spare = [stream.tokens[c].text for c in cells[len(row.columns) :] if not nz.is_blank(stream.tokens[c].text)]
            if spare:
                out.notes.append(f"table {label}: row {row.label!r} prints more values than the template: {spare}")
        for k, column in enumerate(row.columns):
            pointer = row.cell(column.key)
            if k < len(cells):
                token = stream.tokens[cells[k]]
                where = f"{row.label} / {column.label}"
                value = _cell_value(token.text, column.kind, unit, where, out.notes)
                out.provenance[pointer] = {"raw": token.text, **token.loc}
            else:
                value = None
                loc = stream.tokens[label_at].loc if label_at is not None else anchor
                out.provenance[pointer] = {"raw": "", **loc}
            _put(out.values, row.path, column.key, value)
    return out


def _read_review(stream: _Stream, name: str, start: int, stop: int) -> _Read:
    """Table 四: fifteen values after its header, or three labelled rows of five."""
    tk = _keys(name, "review_litigation")
    out = _Read(end=start)
    rows = [rk.row for rk in tk.rows]
    # three rows, each led by its label (a transposed print); -1 marks a missing cell
    labelled: list[list[int]] = []
    for rk in tk.rows:
        n = len(rk.row.columns)
        for i in range(start, stop):
            end = stream.match(i, rk.keys)
            if end is not None and end < stop and stream.values[end]:
                row_cells, _ = stream.read_values(end, n, stop)
                labelled.append(row_cells[:n] + [-1] * (n - len(row_cells[:n])))
                break
    if len(labelled) == len(rows):
        cells = [c for row_cells in labelled for c in row_cells]
    else:
        cells = _review_row(stream, start, stop)
    found = sum(1 for c in cells if c >= 0)
    if found < _REVIEW_CELLS:
        out.notes.append(f"table 四: {found} of {_REVIEW_CELLS} values found; the rest are blank")
    anchor = stream.tokens[start].loc
    k = 0
    for row in rows:
        for column in row.columns:
            c = cells[k] if k < len(cells) else -1
            k += 1
            pointer = row.cell(column.key)
            if c >= 0:
                token = stream.tokens[c]
                value = _cell_value(token.text, column.kind, None, f"{row.label} / {column.label}", out.notes)
                out.provenance[pointer] = {"raw": token.text, **token.loc}
                out.end = max(out.end, c)
            else:
                value = None
                out.provenance[pointer] = {"raw": "", **anchor}
            _put(out.values, row.path, column.key, value)
    return out


def _review_row(stream: _Stream, start: int, stop: int) -> list[int]:
    """The data row of table 四: a row of values only, when the format knows rows (a header
    with merged cells has blank cells too, but never values only); else the first run of values."""
    row: list[int] = []
    for i in range(start, stop):
        row.append(i)
        if stream.tokens[i].row_end:
            if len(row) >= 10 and all(stream.values[c] for c in row):
                while len(row) > _REVIEW_CELLS and nz.is_blank(stream.tokens[row[0]].text):
                    row.pop(0)  # a merged first column left an empty cell
                return row[:_REVIEW_CELLS]
            row = []
    for i in range(start, stop):
        if stream.values[i]:
            run, _ = stream.read_flat(i, _REVIEW_CELLS, stop)
            return run
    return []


# --- template detection ------------------------------------------------------------------------


def _disclosure_shape(stream: _Stream, start: int, stop: int) -> str | None:
    """2019 or 2021 by the labels only one of them prints (本年新制作数量 · 本年制发件数 …)."""
    score = {"2021": 0, "2019": 0}
    for name in score:
        only = _keys(name, "active_disclosure").only
        for i in range(start, stop):
            k = stream.keys[i]
            if k and (k in only or any(len(o) >= 4 and k.startswith(o) for o in only)):
                score[name] += 1
    if score["2021"] == score["2019"]:
        return None
    return "2021" if score["2021"] > score["2019"] else "2019"


def _applications_shape(stream: _Stream, start: int, stop: int) -> str | None:
    """2019 when （六）其他处理 carries numbers; 2021 when it heads the rows 1./2./3."""
    six = _keys("2019", "applications").rows
    other = next(rk for rk in six if rk.row.path == ("other",))
    first = _keys("2021", "applications").rows
    no_correction = next(rk for rk in first if rk.row.path == ("other", "no_correction"))
    for i in range(start, stop):
        end = stream.match(i, other.keys)
        if end is not None and end < stop:
            if stream.values[end]:
                return "2019"
            if stream.match(end, no_correction.keys) is not None:
                return "2021"
        if stream.match(i, no_correction.keys) is not None:
            return "2021"
    return None


# --- locating the tables -----------------------------------------------------------------------


def _anchor(stream: _Stream, table: str, begin: int = 0) -> int | None:
    """The first token of ``table``: a block label (二), a first-row label (三), a row label (四)."""
    candidates: list[tuple[str, ...]] = []
    blocks: frozenset[str] = frozenset()
    for name in ("2021", "2019"):
        tk = _keys(name, table)
        blocks = blocks | tk.blocks
        if table == "applications":
            candidates.extend(rk.keys for rk in tk.rows[:2])
        else:
            candidates.extend(rk.keys for rk in tk.rows)
    for i in range(begin, len(stream)):
        k = stream.keys[i]
        if not k or stream.values[i]:
            continue
        if table == "active_disclosure" and k in blocks:
            return i
        for keys in candidates:
            end = stream.match(i, keys) if table != "review_litigation" else _review_label(stream, i, keys)
            if end is None:
                continue
            if table != "review_litigation" and not (end < len(stream) and stream.values[end]):
                continue
            return i
    return None


def _review_label(stream: _Stream, i: int, keys: tuple[str, ...]) -> int | None:
    """Table 四's header: 行政复议 alone, or a header line typed whole (行政复议 行政诉讼)."""
    k = stream.keys[i]
    if k in keys or any(k.startswith(w) and k[len(w) :].startswith("行政诉讼") for w in keys):
        return i + 1
    return None


def _span_start(stream: _Stream, anchor: int, floor: int, headings: set[int]) -> int:
    """Where a table's header begins: back from its anchor over short, non-sentence tokens."""
    i = anchor
    while i - 1 > floor and (i - 1) not in headings:
        text = stream.tokens[i - 1].text
        if len(text) > _HEADER_MAX or _SENTENCE.search(text):
            break
        i -= 1
    return i


def _blank_table(name: str, table: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    values: dict[str, Any] = {}
    provenance: dict[str, dict[str, Any]] = {}
    for row in describe(name).tables[table].rows:
        for column in row.columns:
            _put(values, row.path, column.key, None)
            provenance[row.cell(column.key)] = {"raw": ""}
    return values, provenance


# --- the whole report --------------------------------------------------------------------------


def assemble(tokens: list[Token], hints: Hints | None = None) -> dict[str, Any]:
    """The report model of ``tokens`` (see report-model.md), or :class:`ReadError` when they
    are not a report (``not-a-report``) or a report without the templates (``free-form``)."""
    hints = hints or Hints()
    stream = _Stream(list(tokens))
    notes: list[str] = []
    provenance: dict[str, dict[str, Any]] = {}
    headings = _headings(stream)
    heading_at = {h.index for h in headings}
    first_heading = headings[0].index if headings else min(len(stream), 60)

    title = _title(stream, first_heading, hints)
    period = _period(stream)
    year: int | None = None
    if title:
        folded = nz.nfkc(title[0])
        m = _YEAR.search(folded)
        note = _TITLE_NOTE.search(folded)
        if m is None and note:  # …年度报告（2021）
            m = _BARE_YEAR.search(note.group("note"))
        year = int(m.group(1)) if m else None
        provenance["/meta/title"] = {"raw": title[0], **title[1]}
    if year is None and period:
        year = int(period[0]["end"][:4])
    if year is not None and year <= 2018:
        raise ReadError(
            "free-form",
            f"a report for year {year}: the 2019/2021 templates (tables 二、三、四) apply from the 2019 report on, "
            "so this is a free-form report; nianbao does not check free-form reports",
        )

    anchors: dict[str, int] = {}
    a3 = _anchor(stream, "applications")
    for table, begin in (("active_disclosure", 0), ("applications", 0), ("review_litigation", a3 or 0)):
        at = a3 if table == "applications" else _anchor(stream, table, begin)
        if at is not None:
            anchors[table] = at
    if not anchors:
        if title or headings:
            what = f"titled {title[0]!r}" if title else f"with the section heading {headings[0].heading!r}"
            raise ReadError(
                "free-form",
                f"a report {what}{f' (year {year})' if year else ''} but none of the three tables of the "
                "2019/2021 templates (主动公开政府信息情况, 收到和处理政府信息公开申请情况, 行政复议/行政诉讼): "
                "a free-form report; nianbao does not check free-form reports",
            )
        raise ReadError(
            "not-a-report",
            "not an annual report on government information disclosure: no title ending in 年度报告, none of the "
            "six section headings (一、总体情况 …) and none of the three tables (第二十条 blocks, "
            "本年新收政府信息公开申请数量, 行政复议) were found",
        )

    # each table runs to the next table or the next section heading after it
    order = sorted(anchors.items(), key=lambda kv: kv[1])
    limits: dict[str, int] = {}
    for n, (table, at) in enumerate(order):
        stop = order[n + 1][1] if n + 1 < len(order) else len(stream)
        later = [h for h in heading_at if h > at]
        limits[table] = min([stop, *later])

    shapes: dict[str, str] = {}
    if "active_disclosure" in anchors:
        shape = _disclosure_shape(stream, anchors["active_disclosure"], limits["active_disclosure"])
        if shape:
            shapes["active_disclosure"] = shape
    if "applications" in anchors:
        shape = _applications_shape(stream, anchors["applications"], limits["applications"])
        if shape:
            shapes["applications"] = shape
    template = "2021" if "2021" in shapes.values() else ("2019" if shapes else None)
    if template is None:
        # no shape told: table 四 is the same in both; the year decides, and the note says so
        template = "2021" if (year or 2021) >= 2021 else "2019"
        notes.append(f"no table shows a template's own shape; read with the {template} template for year {year}")
    for table in anchors:
        shapes.setdefault(table, template)

    tables: dict[str, Any] = {}
    spans: list[tuple[int, int]] = []
    table_sections: dict[str, int | None] = {}
    floor = -1
    for table in TABLES:
        name = shapes.get(table, template)
        if table not in anchors:
            values, prov = _blank_table(name, table)
            tables[table] = values
            provenance.update(prov)
            table_sections[table] = None
            notes.append(f"table {describe(name).tables[table].number} not found; its cells are blank")
            continue
        at = anchors[table]
        if table == "review_litigation":
            read = _read_review(stream, name, at, limits[table])
        else:
            read = _read_rows(stream, name, table, at, limits[table])
        tables[table] = read.values
        if read.extras:
            tables[table]["extras"] = read.extras
        provenance.update(read.provenance)
        notes.extend(read.notes)
        spans.append((_span_start(stream, at, floor, heading_at), read.end))
        floor = max(floor, read.end)
        under = [h for h in headings if h.index < at]
        table_sections[table] = sections()[under[-1].section].number if under else None

    sixth = next((h.index for h in headings if sections()[h.section].key == "other"), None)
    published = _published(stream, hints, sixth, len(stream))
    if published:
        provenance["/meta/published"] = {"raw": published[1], **published[2]}
    if period:
        provenance["/meta/period"] = {"raw": period[1], **period[2]}

    in_table = [False] * len(stream)
    for a, b in spans:
        for i in range(a, b + 1):
            in_table[i] = True
    out_sections: list[dict[str, Any]] = []
    for n, h in enumerate(headings):
        stop = headings[n + 1].index if n + 1 < len(headings) else len(stream)
        lines = [h.rest] if h.rest else []
        lines.extend(stream.tokens[i].text for i in range(h.index + 1, stop) if not in_table[i])
        section = sections()[h.section]
        out_sections.append(
            {"number": section.number, "key": section.key, "heading": h.heading, "text": "\n".join(lines).strip()}
        )
        provenance[f"/sections/{n}"] = {"raw": h.heading, **stream.tokens[h.index].loc}
        # extension: each prose token as a paragraph with its own place, so a finding about one
        # sentence (the N rules) points at its line, not at the section heading
        paragraphs = [(h.rest, stream.tokens[h.index].loc)] if h.rest else []
        paragraphs.extend(
            (stream.tokens[i].text, stream.tokens[i].loc) for i in range(h.index + 1, stop) if not in_table[i]
        )
        out_sections[-1]["paragraphs"] = [{"text": text} for text, _ in paragraphs]
        for k, (text, loc) in enumerate(paragraphs):
            provenance[f"/sections/{n}/paragraphs/{k}"] = {"raw": text, **loc}

    organ = _organ(title[0]) if title else None
    return {
        "model": MODEL,
        "template": template,
        "table_templates": {t: shapes[t] for t in TABLES if t in shapes},
        "table_sections": table_sections,
        "source": {"encoding": hints.encoding} if hints.encoding else {},
        "meta": {
            "title": title[0] if title else None,
            "organ": organ,
            "organ_kind": organ_kind(organ),
            "year": year,
            "published": published[0] if published else None,
            "period": period[0] if period else None,
        },
        "sections": out_sections,
        "tables": tables,
        "provenance": provenance,
        "notes": notes,
    }

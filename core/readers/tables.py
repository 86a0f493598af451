"""The three tables: locating them in the token stream, telling their template (2019 or 2021)
and reading their cells with provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nianbao import normalize as nz
from nianbao.readers.stream import SENTENCE, Stream, fold, keys
from nianbao.template import describe

#: the longest token taken for part of a table's header (the 勾稽关系 note is 38 characters)
_HEADER_MAX = 50
#: cells of table 四: 行政复议 · 未经复议直接起诉 · 复议后起诉, five each
_REVIEW_CELLS = 15


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


def _header_unit(stream: Stream, start: int, stop: int, column_keys: tuple[str, ...]) -> str | None:
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


def read_rows(stream: Stream, name: str, table: str, start: int, stop: int) -> _Read:
    """A table whose rows are a label followed by values (二 and 三)."""
    tk = keys(name, table)
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
        cols = tuple(k for r in tk.rows for c in r.row.columns if c.kind == "amount_yuan" for k in fold(c.labels))
        unit = _header_unit(stream, start, out.end + 1, cols)
    anchor = stream.tokens[start].loc
    for r, rk in enumerate(tk.rows):
        row = rk.row
        at = found_at.get(r)
        if at is None:
            out.notes.append(f"table {label}: row {row.label!r} not found; its cells are blank")
        label_at, cells = at if at else (None, [])
        surplus = len(cells) - len(row.columns)
        if at and surplus > 0 and all(nz.is_blank(stream.tokens[c].text) for c in cells[:surplus]):
            # a label column left unmerged (（七）总计 beside an empty sub-label cell): the
            # row's figures are its last cells
            cells = cells[surplus:]
            out.notes.append(
                f"table {label}: row {row.label!r} starts with {surplus} empty cell(s); read its last cells"
            )
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


def read_review(stream: Stream, name: str, start: int, stop: int) -> _Read:
    """Table 四: fifteen values after its header, or three labelled rows of five."""
    tk = keys(name, "review_litigation")
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


def _review_row(stream: Stream, start: int, stop: int) -> list[int]:
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


def disclosure_shape(stream: Stream, start: int, stop: int) -> str | None:
    """2019 or 2021 by the labels only one of them prints (本年新制作数量 · 本年制发件数 …)."""
    score = {"2021": 0, "2019": 0}
    for name in score:
        only = keys(name, "active_disclosure").only
        for i in range(start, stop):
            k = stream.keys[i]
            if k and (k in only or any(len(o) >= 4 and k.startswith(o) for o in only)):
                score[name] += 1
    if score["2021"] == score["2019"]:
        return None
    return "2021" if score["2021"] > score["2019"] else "2019"


def applications_shape(stream: Stream, start: int, stop: int) -> str | None:
    """2019 when （六）其他处理 carries numbers; 2021 when it heads the rows 1./2./3."""
    six = keys("2019", "applications").rows
    other = next(rk for rk in six if rk.row.path == ("other",))
    first = keys("2021", "applications").rows
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


def anchor(stream: Stream, table: str, begin: int = 0) -> int | None:
    """The first token of ``table``: a block label (二), a first-row label (三), a row label (四)."""
    candidates: list[tuple[str, ...]] = []
    blocks: frozenset[str] = frozenset()
    for name in ("2021", "2019"):
        tk = keys(name, table)
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
        for wanted in candidates:
            end = stream.match(i, wanted) if table != "review_litigation" else _review_label(stream, i, wanted)
            if end is None:
                continue
            if table != "review_litigation" and not (end < len(stream) and stream.values[end]):
                continue
            return i
    return None


def _review_label(stream: Stream, i: int, keys: tuple[str, ...]) -> int | None:
    """Table 四's header: 行政复议 alone, or a header line typed whole (行政复议 行政诉讼)."""
    k = stream.keys[i]
    if k in keys or any(k.startswith(w) and k[len(w) :].startswith("行政诉讼") for w in keys):
        return i + 1
    return None


def span_start(stream: Stream, anchor: int, floor: int, headings: set[int]) -> int:
    """Where a table's header begins: back from its anchor over short, non-sentence tokens."""
    i = anchor
    while i - 1 > floor and (i - 1) not in headings:
        text = stream.tokens[i - 1].text
        if len(text) > _HEADER_MAX or SENTENCE.search(text):
            break
        i -= 1
    return i


def blank_table(name: str, table: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    values: dict[str, Any] = {}
    provenance: dict[str, dict[str, Any]] = {}
    for row in describe(name).tables[table].rows:
        for column in row.columns:
            _put(values, row.path, column.key, None)
            provenance[row.cell(column.key)] = {"raw": ""}
    return values, provenance

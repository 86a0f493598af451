"""The three tables: locating them in the token stream, telling their template (2019 or 2021)
and reading their cells with provenance."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import product
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


def _huge(raw: str, where: str, notes: list[str]) -> None:
    shown = nz.nfkc(raw).strip()
    shown = shown[:12] + "…" if len(shown) > 16 else shown
    notes.append(f"{where}: {shown!r} has more than {nz.MAX_DIGITS} digits, beyond any figure; read as blank")


def _cell_value(raw: str, kind: str, unit: str | None, where: str, notes: list[str]) -> int | float | None:
    if kind in ("amount", "amount_yuan"):
        number, own = nz.parse_amount(raw)
        if number.huge:
            _huge(raw, where, notes)
            return None
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
    if number.huge:
        _huge(raw, where, notes)
    elif not number.ok:
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
    retried: set[int] = set()
    is_value, folded, labels, rows = stream.values, stream.keys, tk.labels, len(tk.rows)
    while i < stop and expect < rows:
        if is_value[i] or not folded[i]:
            i += 1
            continue
        hit = None
        # (a label that matches no row of the table matches none of the rows tried here)
        for r in range(expect, min(rows, expect + 8)) if stream.match(i, labels) is not None else ():
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
        if not cells and r not in retried:
            # a converter's heading naming the row (### 二、上年结转…) above the row itself: the
            # label is printed again with its figures; look on (blank if it is not)
            retried.add(r)
            found_at[r] = (i, cells)
            i += 1
            continue
        found_at[r] = (i, cells)
        seen_first = True
        expect, out.end, i = r + 1, max(end - 1, nxt - 1), nxt
    if found_at and table == "active_disclosure":
        _out_of_turn(stream, tk, start, stop, found_at, out, label)
    if table == "applications" and _incomplete(stream, tk, found_at):
        placed = _by_position(stream, tk, start, stop)
        if placed is not None:
            found_at = placed
            # the rows the labels missed are placed now: no extra rows are left
            out.extras = []
            out.notes = [n for n in out.notes if "kept the extra row" not in n]
            out.end = max(out.end, *(c for _, cells in placed.values() for c in cells))
            out.notes.append(
                f"table {label}: its labels are detached from their figures; read by position "
                "(every row of figures in the template's order, the labels printed beside them at their "
                "places), confirmed by the table's identities"
            )
    unit = None
    if any(c.kind == "amount_yuan" for r in tk.rows for c in r.row.columns):
        cols = tuple(k for r in tk.rows for c in r.row.columns if c.kind == "amount_yuan" for k in fold(c.labels))
        unit = _header_unit(stream, start, out.end + 1, cols)
    anchor = stream.tokens[start].loc
    shaped = _shape_runs(stream, name, table, found_at, out.notes)
    for r, rk in enumerate(tk.rows):
        row = rk.row
        at = found_at.get(r)
        if r in shaped:
            _put_pieces(out, row, shaped[r], unit)
            continue
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
        node: dict[str, Any] | None = None
        for k, (column, pointer, where) in enumerate(_cells_of(row)):
            if k < len(cells):
                token = stream.tokens[cells[k]]
                value = _cell_value(token.text, column.kind, unit, where, out.notes)
                out.provenance[pointer] = {"raw": token.text, **token.loc}
            else:
                value = None
                loc = stream.tokens[label_at].loc if label_at is not None else anchor
                out.provenance[pointer] = {"raw": "", **_place(loc)}
            if node is None:  # (as _put walks it, once per row)
                node = out.values
                for part in row.path:
                    node = node.setdefault(part, {})
            node[column.key] = value
    return out


_CELLS: dict[int, tuple[Any, tuple[tuple[Any, str, str], ...]]] = {}


def _cells_of(row: Any) -> tuple[tuple[Any, str, str], ...]:
    """Each column of a template row with its cell's pointer and its name in the notes
    (the template's rows live as long as the process: kept by the row's id, the row beside it)."""
    held = _CELLS.get(id(row))
    if held is not None and held[0] is row:
        return held[1]
    cells = tuple((c, row.cell(c.key), f"{row.label} / {c.label}") for c in row.columns)
    if len(_CELLS) >= 4096:  # (the templates have a few hundred rows)
        _CELLS.clear()
    _CELLS[id(row)] = (row, cells)
    return cells


def _incomplete(stream: Stream, tk: Any, found_at: dict[int, tuple[int, list[int]]]) -> bool:
    """Whether some row of the table was not found, or found without all its figures."""
    for r, rk in enumerate(tk.rows):
        at = found_at.get(r)
        if at is None:
            return True
        if sum(1 for c in at[1] if not nz.is_blank(stream.tokens[c].text)) < len(rk.row.columns) - 1:
            return True
    return False


def _by_position(stream: Stream, tk: Any, start: int, stop: int) -> dict[int, tuple[int, list[int]]] | None:
    """Table 三 read by its shape when a converter detached the labels from the figures (labels
    left as loose lines, rows of figures without their label): the rows of exactly seven figures
    (a trailing or leading empty cell aside) are the template's rows in order, when there are as
    many of them as the template has rows, no label printed beside a row names another row, and
    the identities hold (each row's 总计; （七）总计 = Σ outcomes and 一 + 二 = （七） + 四 per
    column, wherever every cell is a figure). None when any of that fails."""
    n = len(tk.rows[0].row.columns)
    rows: list[tuple[list[int], list[int]]] = []  # (label tokens, figure tokens) per row of figures
    line: list[int] = []
    for i in range(start, stop):
        line.append(i)
        if not stream.tokens[i].row_end:
            continue
        labels = [c for c in line if not stream.values[c] and not nz.is_blank(stream.tokens[c].text)]
        figures = [c for c in line if c not in labels]
        line = []
        if labels and figures and min(figures) < max(labels):
            continue  # words after a figure: not a row of figures
        while len(figures) > n and nz.is_blank(stream.tokens[figures[-1]].text):
            figures.pop()
        while len(figures) > n and nz.is_blank(stream.tokens[figures[0]].text):
            figures.pop(0)
        printed = [c for c in figures if not nz.is_blank(stream.tokens[c].text)]
        if len(figures) == n and len(printed) >= n - 1:
            rows.append((labels, figures))
    if len(rows) != len(tk.rows):
        return None
    for k, (labels, _) in enumerate(rows):
        for i in labels:
            named = [r for r, rk in enumerate(tk.rows) if stream.row_match(i, rk, r == k) is not None]
            if named and k not in named:
                return None
    grid: list[list[float | None]] = []
    for _, figures in rows:
        values: list[float | None] = []
        for c in figures:
            text = nz.nfkc(stream.tokens[c].text).strip()
            values.append(float(text) if re.fullmatch(r"\d+", text) else None)
        grid.append(values)
    paths = [rk.row.path for rk in tk.rows]
    ends = {("new_received",), ("carried_over",), ("handled_total",), ("carried_forward",)}
    outcome_rows = [k for k, p in enumerate(paths) if p not in ends]
    at = {p: k for k, p in enumerate(paths)}
    checked = 0

    def holds(left: list[float | None], right: list[float | None]) -> bool | None:
        if None in left or None in right:
            return None
        return sum(left) == sum(right)  # type: ignore[arg-type]

    for values in grid:
        ok = holds(values[-1:], values[:-1])
        if ok is False:
            return None
        checked += ok is True
    for col in range(n):
        column = [values[col] for values in grid]
        for ok in (
            holds([column[at[("handled_total",)]]], [column[k] for k in outcome_rows]),
            holds(
                [column[at[("new_received",)]], column[at[("carried_over",)]]],
                [column[at[("handled_total",)]], column[at[("carried_forward",)]]],
            ),
        ):
            if ok is False:
                return None
            checked += ok is True
    if checked < len(grid):
        return None
    return {k: (labels[-1] if labels else figures[0], figures) for k, (labels, figures) in enumerate(rows)}


def _out_of_turn(
    stream: Stream, tk: Any, start: int, stop: int, found_at: dict[int, tuple[int, list[int]]], out: _Read, label: str
) -> None:
    """Rows of table 二 printed after rows that follow them in the template (a converter that
    put 规章 and 行政规范性文件 after 第二十条第（八）项): a row not found in turn is looked for in
    the whole table, by its own label, with figures after it."""
    used = {at for at, _ in found_at.values()}
    for r, rk in enumerate(tk.rows):
        if r in found_at:
            continue
        for i in range(start, stop):
            if i in used or stream.values[i] or not stream.keys[i]:
                continue
            end = stream.row_match(i, rk, False)
            if end is None or end >= stop or not stream.values[end]:
                continue
            cells, nxt = stream.read_values(end, len(rk.row.columns), stop)
            found_at[r] = (i, cells)
            used.add(i)
            out.end = max(out.end, nxt - 1)
            out.notes.append(f"table {label}: row {rk.row.label!r} is printed out of the template's order")
            break


@dataclass
class _Shaped:
    """A row whose figures are run together, as read by the table's shape: per column its
    figure as (raw, place), or None where the readings that fit disagree (then ``run`` and
    ``loc`` say where it is printed and ``readings`` what that cell may be)."""

    pieces: list[tuple[str, dict[str, Any]] | None]
    run: str = ""
    loc: dict[str, Any] = field(default_factory=dict)
    readings: list[list[str]] = field(default_factory=list)


def _put_pieces(out: _Read, row: Any, shaped: _Shaped, unit: str | None) -> None:
    for k, column in enumerate(row.columns):
        pointer = row.cell(column.key)
        piece = shaped.pieces[k] if k < len(shaped.pieces) else None
        if piece is not None:
            raw, loc = piece
            out.provenance[pointer] = {"raw": raw, **loc}
            value = _cell_value(raw, column.kind, unit, f"{row.label} / {column.label}", out.notes)
        else:
            # not blank but unread: its digits as printed run together (so that no rule takes
            # it for a blank or a word), the run itself, and what this cell may be
            digits = re.sub(r"[^0-9.]", "", shaped.run)
            out.provenance[pointer] = {
                "raw": digits,
                **shaped.loc,
                "run": shaped.run,
                "readings": [r[k] for r in shaped.readings],
            }
            value = None
        _put(out.values, row.path, column.key, value)


def _piece_loc(stream: Stream, piece: Piece) -> dict[str, Any]:
    loc = dict(stream.tokens[piece.token].loc)
    if "column" in loc:
        loc["column"] += piece.offset
    return loc


def _shape_runs(
    stream: Stream, name: str, table: str, found_at: dict[int, tuple[int, list[int]]], notes: list[str]
) -> dict[int, _Shaped]:
    """Rows whose figures are run together ("640020470" for 64 0 0 2 0 4 70), read by the
    table's shape: the template fixes how many figures each row has; a reading is taken only
    when it is the one reading left once the row's 总计 (table 三), the column identities of
    table 三, or plain arithmetic (no leading zeros) are applied. Returns row → its figures as
    (raw, place), or the run and its readings when they could not be told apart."""
    tk = keys(name, table)
    number = describe(name).tables[table].number
    options: dict[int, list[list[Piece]]] = {}
    forced: set[int] = set()
    for r, (_, cells) in found_at.items():
        row = tk.rows[r].row
        n = len(row.columns)
        if not 0 < len(cells) < n:
            continue  # a full row (the common case), or none
        texts = [stream.tokens[c].text for c in cells]
        digits = sum(len(re.sub(r"\D", "", t)) for t in texts)
        # "00000" is several figures, never one: a row holding it is figures run together even
        # when too few digits are left for every cell (then no reading fits and it stays unread)
        several = any(re.fullmatch(r"0\d+", t) for t in texts)
        if not (0 < len(cells) < n and (n <= digits or several) and all(is_run(t) for t in texts)):
            continue  # a short row of figures (the rest blank), not figures run together
        totals = row.columns[-1].key == "total"
        signed = [c.kind == "signed" for c in row.columns]
        chunks = [(c, stream.tokens[c].text) for c in cells]
        options[r] = readings(chunks, [n], totals, signed)
        if not options[r]:
            options[r] = _forced(chunks, [n], signed)
            forced.add(r)
    if not options:
        return {}
    chosen: dict[int, list[Piece] | None] = {r: (o[0] if len(o) == 1 else None) for r, o in options.items()}
    open_rows = [r for r, o in options.items() if len(o) > 1]
    how = dict.fromkeys(options, "its row total" if table == "applications" else "the only reading")
    for r in forced:
        how[r] = "the digits force (its 总计 does not hold)"
    if open_rows and table == "applications":
        settled = _settle(stream, name, tk, found_at, options, chosen, open_rows)
        for r, settled_reading in settled.items():
            chosen[r] = settled_reading
            how[r] = "the identities of table 三"
    out: dict[int, _Shaped] = {}
    for r, o in options.items():
        row = tk.rows[r].row
        printed = " ".join(stream.tokens[c].text for c in found_at[r][1])
        reading = chosen.get(r)
        if reading is not None:
            notes.append(
                f"table {number}: row {row.label!r} prints its figures run together ({printed!r}); read by position "
                f"as {' '.join(p.text for p in reading)}, the one reading {how[r]} confirms"
            )
            out[r] = _Shaped([(p.text, _piece_loc(stream, p)) for p in reading])
            continue
        # the cells on which every reading agrees are read; the others stay unread
        agreed: list[tuple[str, dict[str, Any]] | None] = []
        for k in range(len(row.columns)):
            same = {(x[k].text, x[k].token, x[k].offset) for x in o}
            agreed.append((o[0][k].text, _piece_loc(stream, o[0][k])) if o and len(same) == 1 else None)
        shown = "; ".join(" ".join(p.text for p in x) for x in o[:3]) or "none"
        notes.append(
            f"table {number}: row {row.label!r} prints its figures run together ({printed!r}) and the table's shape "
            f"does not tell them apart ({len(o)} readings fit: {shown}); "
            f"{sum(a is not None for a in agreed)} of {len(agreed)} cells read, the others left unread"
        )
        first = found_at[r][1][0]
        out[r] = _Shaped(agreed, printed, stream.tokens[first].loc, [[p.text for p in x] for x in o[:3]])
    return out


def _settle(
    stream: Stream,
    name: str,
    tk: Any,
    found_at: dict[int, tuple[int, list[int]]],
    options: dict[int, list[list[Piece]]],
    chosen: dict[int, list[Piece] | None],
    open_rows: list[int],
) -> dict[int, list[Piece]]:
    """The readings of the rows left open that table 三's column identities single out: the
    combination that fails the fewest identities, or the rows on which all such agree."""
    from nianbao.rules._identities import applications as identities  # only for run-together figures

    base: dict[str, Any] = {}
    for r, (_, cells) in found_at.items():
        row = tk.rows[r].row
        if r in options:
            picked = chosen.get(r)
            figures: list[float | int | None] = [float(p.text) for p in picked] if picked else [None] * len(row.columns)
        else:
            figures = [nz.parse_number(stream.tokens[c].text).value for c in cells]
        for k, column in enumerate(row.columns):
            base[row.cell(column.key)] = figures[k] if k < len(figures) else None
    checks = [i for i in identities(name) if i.kind in ("column", "outcome")]
    combos = list(product(*(options[r] for r in open_rows)))
    if len(combos) > _MAX_READINGS:
        return {}
    scored: list[tuple[int, tuple[list[Piece], ...]]] = []
    for combo in combos:
        values = dict(base)
        for r, reading in zip(open_rows, combo, strict=True):
            row = tk.rows[r].row
            for k, column in enumerate(row.columns):
                values[row.cell(column.key)] = float(reading[k].text)
        failing = sum(1 for i in checks if (res := i.residual(values)) is not None and abs(res) > 1e-9)
        scored.append((failing, combo))
    best = min(f for f, _ in scored)
    winners = [c for f, c in scored if f == best]
    settled: dict[int, list[Piece]] = {}
    for n, r in enumerate(open_rows):
        texts = {tuple(p.text for p in c[n]) for c in winners}
        if len(texts) == 1:
            settled[r] = winners[0][n]
    return settled


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
    pieces: list[tuple[str, dict[str, Any]]] | None = None
    present = [c for c in cells if c >= 0]
    if 0 < found < _REVIEW_CELLS and all(is_run(stream.tokens[c].text) for c in present):
        # the fifteen figures run together: three groups of five, each ending in its 总计
        chunks = [(c, stream.tokens[c].text) for c in present]
        options = readings(chunks, [5, 5, 5], True)
        confirm = "the one reading the three 总计 confirm"
        if not options:
            options = _forced(chunks, [5, 5, 5])
            confirm = "the one reading the digits allow (not every 总计 holds)"
        printed = " ".join(stream.tokens[c].text for c in present)
        if len(options) == 1:
            pieces = [(p.text, _piece_loc(stream, p)) for p in options[0]]
            out.notes.append(
                f"table 四: its figures are printed run together ({printed!r}); read by position as "
                f"{' '.join(p.text for p in options[0])}, {confirm}"
            )
            out.end = max(out.end, *present)
        else:
            out.notes.append(
                f"table 四: its figures are printed run together ({printed!r}) and {len(options)} readings fit; "
                "its cells are blank"
            )
            cells = []
    elif found < _REVIEW_CELLS:
        out.notes.append(f"table 四: {found} of {_REVIEW_CELLS} values found; the rest are blank")
    anchor = stream.tokens[start].loc
    k = 0
    for row in rows:
        for column in row.columns:
            c = cells[k] if k < len(cells) else -1
            here = k
            k += 1
            pointer = row.cell(column.key)
            if pieces is not None:
                raw, loc = pieces[here]
                value = _cell_value(raw, column.kind, None, f"{row.label} / {column.label}", out.notes)
                out.provenance[pointer] = {"raw": raw, **loc}
            elif c >= 0:
                token = stream.tokens[c]
                value = _cell_value(token.text, column.kind, None, f"{row.label} / {column.label}", out.notes)
                out.provenance[pointer] = {"raw": token.text, **token.loc}
                out.end = max(out.end, c)
            else:
                value = None
                out.provenance[pointer] = {"raw": "", **_place(anchor)}
            _put(out.values, row.path, column.key, value)
    return out


def _review_row(stream: Stream, start: int, stop: int) -> list[int]:
    """The data row of table 四: a row of values only, when the format knows rows (a header
    with merged cells has blank cells too, but never values only); else the first run of values."""
    row: list[int] = []
    fives: list[list[int]] = []  # rows of five values: 复议 and the two 诉讼 as three small tables
    for i in range(start, stop):
        row.append(i)
        if stream.tokens[i].row_end:
            if len(row) >= 10 and all(stream.values[c] for c in row):
                while len(row) > _REVIEW_CELLS and nz.is_blank(stream.tokens[row[0]].text):
                    row.pop(0)  # a merged first column left an empty cell
                return row[:_REVIEW_CELLS]
            if len(row) == 5 and all(stream.values[c] for c in row):
                fives.append(row)
            row = []
    if len(fives) == 3:
        return [c for five in fives for c in five]
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
        noted = {o for o in only if len(o) >= 4}
        lengths = sorted({len(o) for o in noted})
        for i in range(start, stop):
            k = stream.keys[i]
            if k and (k in only or any(k[:n] in noted for n in lengths)):
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
    # a token that matches none of the candidates together matches none of them one by one
    together = tuple(k for wanted in candidates for k in wanted)
    folded, is_value = stream.keys, stream.values
    for i in range(begin, len(stream)):
        k = folded[i]
        if not k or is_value[i]:
            continue
        if table == "active_disclosure" and k in blocks:
            return i
        if table != "review_litigation" and stream.match(i, together) is None:
            continue
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
    if k in keys:
        return i + 1
    if "行政诉讼" in k and any(k.startswith(w) and k[len(w) :].startswith("行政诉讼") for w in keys):
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


# --- figures run together (a crawler's flattened text) -----------------------------------------

#: a token that may hold several figures run together: digits, a decimal part, a sign, a unit
_RUN = re.compile(r"^-?\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)*(?:万元|元)?$")
_UNIT = re.compile(r"(万元|元)$")
#: readings enumerated at most for one run (a longer list is as good as "cannot tell")
_MAX_READINGS = 5000


@dataclass(frozen=True)
class Piece:
    """One figure cut out of a run: its text and where it starts in its token."""

    text: str
    token: int
    offset: int


def is_run(text: str) -> bool:
    return bool(_RUN.match(text.replace(" ", "").replace("\u00a0", "")))


def _forced(chunks: list[tuple[int, str]], sizes: list[int], signed: list[bool] | None = None) -> list[list[Piece]]:
    """The reading the digits force when no reading keeps the 总计: exactly as many digits as
    figures (0100… for fifteen cells) leave no choice; the failed total is then the report's
    own, for the identity rules to flag. Anything less forced stays unread."""
    found = readings(chunks, sizes, False, signed)
    return found if len(found) == 1 and all(len(p.text.lstrip("-")) == 1 for p in found[0]) else []


def readings(
    chunks: list[tuple[int, str]],
    sizes: list[int],
    totals: bool,
    signed: list[bool] | None = None,
    cap: int = _MAX_READINGS,
) -> list[list[Piece]]:
    """Every way to read the runs ``chunks`` ((token index, text), in order; each ends a figure)
    as consecutive groups of ``sizes`` figures, none with a leading zero. With ``totals`` the
    last figure of each group must be the sum of the others (the table's 总计 column); only a
    figure whose column may be negative (``signed``, 本年增/减) may carry a sign."""
    parts: list[tuple[int, int, str]] = []  # (token, offset, text): a sign or a space cuts too
    unit = ""
    for n, (token, text) in enumerate(chunks):
        if n == len(chunks) - 1:
            m = _UNIT.search(text)
            if m:
                unit, text = m.group(1), text[: m.start()]
        for m in re.finditer(r"-?[0-9.]+", text):
            parts.append((token, m.start(), m.group(0)))
    need = sum(sizes)
    found: list[list[Piece]] = []

    def valid(s: str) -> bool:
        digits = s.lstrip("-")
        if not digits or digits.startswith(".") or digits.endswith(".") or digits.count(".") > 1:
            return False
        return digits == "0" or not digits.startswith("0") or digits.startswith("0.")

    def value(s: str) -> float:
        return float(s)

    def walk(part: int, at: int, group: int, in_group: list[float], acc: list[Piece]) -> None:
        if len(found) >= cap:
            return
        if group == len(sizes):
            if part == len(parts):
                found.append(list(acc))
            return
        if part == len(parts):
            return
        token, offset, text = parts[part]
        left_here = len(text) - at
        remaining = need - len(acc)
        # every later part needs a figure of its own, and no figure is empty
        if remaining < len(parts) - part or sum(len(p[2]) for p in parts[part + 1 :]) + left_here < remaining:
            return
        last = len(in_group) == sizes[group] - 1
        for end in range(at + 1, len(text) + 1):
            s = text[at:end]
            if s == "-" or not valid(s):
                continue
            if s.startswith("-") and not (signed and signed[len(acc)]):
                continue
            if last and totals and abs(value(s) - sum(in_group)) > 1e-9:
                continue
            acc.append(Piece(s, token, offset + at))
            nxt = (part + 1, 0) if end == len(text) else (part, end)
            if last:
                walk(*nxt, group + 1, [], acc)
            else:
                walk(*nxt, group, [*in_group, value(s)], acc)
            acc.pop()

    walk(0, 0, 0, [], [])
    if unit:
        for reading in found:
            reading[-1] = Piece(reading[-1].text + unit, reading[-1].token, reading[-1].offset)
    return found


def _place(loc: dict[str, Any]) -> dict[str, Any]:
    """Where a cell that is not printed would be (its row label's place), without what was read
    there: an OCR's confidence in the label is no reading of the absent cell."""
    return {k: v for k, v in loc.items() if k != "ocr"}

"""The templates as the readers and rules see them, derived from the JSON Schemas in
:mod:`nianbao.schemas` (the one place where each template is described).

``describe("2021").tables["applications"].rows`` lists the rows in printed order, each with
its pointer, printed label, aliases and cells (column key, label, aliases, kind).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import nianbao.schemas as schemas
from nianbao.model import derived, join
from nianbao.normalize import strip_ordinal

if TYPE_CHECKING:
    from nianbao.model import Report

TEMPLATES = schemas.TEMPLATES
TABLES = ("active_disclosure", "applications", "review_litigation")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...]
    kind: str  # count | signed | amount | amount_yuan
    group: str | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


def ordinal(label: str) -> str:
    """The printed ordinal of a label ("一、本年新收…" → "一", "（七）总计" → "（七）"), or the label
    itself when it has none. Ordinal prefixes are NFKC-stable in length, so the printed form is kept."""
    label = label.strip()
    rest = strip_ordinal(label)
    prefix = label[: len(label) - len(rest)]
    return prefix.rstrip("、.．，,") or label


@dataclass(frozen=True)
class Row:
    pointer: str  # e.g. /tables/applications/denied/state_secret
    path: tuple[str, ...]  # keys under the table, e.g. ("denied", "state_secret")
    label: str
    aliases: tuple[str, ...]
    columns: tuple[Column, ...]
    group: str | None = None  # label of the enclosing group heading, e.g. （三）不予公开
    block: str | None = None  # table 二: 第二十条第（一）项 …
    #: the printed band heading the row sits under (table 三: 三、本年度办理结果), for drawing
    band: str | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)

    def cell(self, column: str) -> str:
        return f"{self.pointer}/{column}"

    @property
    def printed(self) -> str:
        """The row's label as printed, with its group's ordinal when it sits in a group:
        "（三）1.属于国家秘密"."""
        return f"{ordinal(self.group)}{self.label}" if self.group else self.label


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    key: str
    number: str  # 二 三 四
    label: str
    rows: tuple[Row, ...]
    groups: tuple[Group, ...]
    #: how the form prints it: "rows" (a row per row), or "columns" (table 四: each row of
    #: the model is a block of columns of one printed row)
    layout: str = "rows"

    def row(self, *path: str) -> Row:
        for r in self.rows:
            if r.path == path:
                return r
        raise KeyError(path)

    def cells(self) -> list[tuple[Row, Column]]:
        return [(r, c) for r in self.rows for c in r.columns]


@dataclass(frozen=True)
class Section:
    key: str
    number: int
    label: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Template:
    name: str
    tables: dict[str, Table]

    def cell_count(self) -> int:
        return sum(len(t.cells()) for t in self.tables.values())

    def locate(self, pointer: str) -> tuple[Row, Column] | None:
        """The row and column description of a cell pointer, or None."""
        for table in self.tables.values():
            for row in table.rows:
                if pointer.startswith(row.pointer + "/"):
                    key = pointer[len(row.pointer) + 1 :]
                    for column in row.columns:
                        if column.key == key:
                            return row, column
        return None

    def column(self, pointer: str) -> Column | None:
        found = self.locate(pointer)
        return found[1] if found else None

    def label(self, pointer: str) -> str:
        """A cell pointer's printed labels, row / column: "（三）1.属于国家秘密 / 自然人"."""
        found = self.locate(pointer)
        return f"{found[0].printed} / {found[1].label}" if found else pointer

    def table_number(self, pointer: str) -> str | None:
        """The printed number (二, 三, 四) of the table a pointer is in."""
        for table in self.tables.values():
            if pointer.startswith(f"/tables/{table.key}/"):
                return table.number
        return None


def _deref(node: dict[str, Any], report_schema: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref", "")
    for prefix in ("urn:nianbao:schema:report#/$defs/", "#/$defs/"):
        if ref.startswith(prefix):
            return {**report_schema["$defs"][ref[len(prefix) :]], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _columns(node: dict[str, Any], base: dict[str, Any]) -> tuple[Column, ...]:
    node = _deref(node, base)
    return tuple(
        Column(k, v["title"], tuple(v.get("x-aliases", ())), v.get("x-kind", "count"), v.get("x-group"))
        for k, v in node["properties"].items()
    )


def _is_row(node: dict[str, Any], base: dict[str, Any]) -> bool:
    """A row's properties are cells; a group's properties are rows."""
    props = _deref(node, base).get("properties", {})
    return all(_deref(v, base).get("type") == ["number", "null"] for v in props.values())


@cache
def describe(name: str) -> Template:
    """The description of template ``name`` ("2021" or "2019")."""
    base = schemas.load("report")
    schema = schemas.load(f"template-{name}")
    tables: dict[str, Table] = {}
    for tkey, tnode in schema["properties"]["tables"]["properties"].items():
        rows: list[Row] = []
        groups: list[Group] = []
        for rkey, rnode in tnode["properties"].items():
            if rkey == "extras":
                continue
            if _is_row(rnode, base):
                rows.append(_row(tkey, (rkey,), rnode, base, None))
            else:
                groups.append(Group(rkey, rnode["title"], tuple(rnode.get("x-aliases", ()))))
                for ckey, cnode in rnode["properties"].items():
                    rows.append(_row(tkey, (rkey, ckey), cnode, base, rnode["title"], rnode.get("x-group")))
        layout = tnode.get("x-print", "rows")
        tables[tkey] = Table(tkey, tnode["x-number"], tnode["title"], tuple(rows), tuple(groups), layout)
    return Template(name, tables)


def _row(
    table: str,
    path: tuple[str, ...],
    node: dict[str, Any],
    base: dict[str, Any],
    group: str | None,
    band: str | None = None,
) -> Row:
    return Row(
        pointer=join("tables", table, *path),
        path=path,
        label=node["title"],
        aliases=tuple(node.get("x-aliases", ())),
        columns=_columns(node, base),
        group=group,
        block=node.get("x-block"),
        band=node.get("x-group") or band,
    )


@cache
def sections() -> tuple[Section, ...]:
    """The six sections, in order, with their printed headings and aliases."""
    return tuple(
        Section(s["key"], s["number"], s["title"], tuple(s.get("x-aliases", ())))
        for s in schemas.load("report")["x-sections"]
    )


@derived
def cell_values(report: Report) -> dict[str, Any]:
    """Every cell of the report's described tables, pointer → value (None for a blank), walked
    once per report and shared by the rules: a pointer absent here is absent from the report.
    Each table is read in the shape it shows (:meth:`Report.table_template`)."""
    out: dict[str, Any] = {}
    tables = report.tables
    for key in TABLES:
        table = tables.get(key)
        shape = report.table_template(key)
        if not isinstance(table, dict) or shape not in TEMPLATES:
            continue
        for path, cells in _cell_layout(shape, key):
            node: Any = table
            for part in path:
                node = node.get(part) if isinstance(node, dict) else None
            if not isinstance(node, dict):
                continue
            for column, pointer in cells:
                if column in node:
                    out[pointer] = node[column]
    return out


@cache
def _cell_layout(shape: str, table: str) -> tuple[tuple[tuple[str, ...], tuple[tuple[str, str], ...]], ...]:
    """Each row of a described table: its path and its (column key, cell pointer) pairs, made
    once per template rather than once per report."""
    return tuple(
        (row.path, tuple((column.key, row.cell(column.key)) for column in row.columns))
        for row in describe(shape).tables[table].rows
    )


def printed_cell(report: Report | None, pointer: str) -> str:
    """A cell by its table and printed labels, in the run's language: 表三“（一）予以公开 / 自然人”
    (table 三 “（一）予以公开 / 自然人”); the pointer itself when it is not a cell of the template."""
    from nianbao.i18n import _

    parts = pointer.split("/")
    shape = report.table_template(parts[2]) if report is not None and len(parts) > 2 else None
    if shape not in TEMPLATES:
        return pointer
    template = describe(shape)
    label, number = template.label(pointer), template.table_number(pointer)
    if label == pointer or number is None:
        return pointer
    return _("table {number} \u201c{label}\u201d", number=number, label=label)

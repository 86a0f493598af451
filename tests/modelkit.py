"""Build clean report models for rule tests: a consistent 2021 or 2019 report from a few figures.

The kit derives every figure the form derives, so a model it builds satisfies every identity:
row 总计 = the six applicant columns, （七）总计 = the outcome rows, 一 = （七）总计 + 四 − 二 (per
column), table 四 总计 = its four results. Rows and columns come from the template description,
and every cell, the meta dates and the section headings get a provenance line in printed order
(so a finding's location can be asserted). Mutate the result with :func:`set_cell` and friends.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from nianbao.model import MODEL, Report, join
from nianbao.template import describe, sections

Figures = Mapping[str, Mapping[str, int | float | None]]
#: rows of table 三 that the kit derives or takes as given (everything else is an outcome)
_DERIVED = ("new_received", "handled_total")
_GIVEN = ("carried_over", "carried_forward")


def _path(row_path: tuple[str, ...]) -> str:
    return "/".join(row_path)


def build(
    template: str = "2021",
    year: int | None = None,
    *,
    applications: Figures | None = None,
    review: Figures | None = None,
    disclosure: Figures | None = None,
    organ: str = "示例县",
    organ_kind: str | None = "government",
    published: str | None = None,
    period: bool = True,
    other_text: str | None = None,
) -> dict[str, Any]:
    """A clean model. ``applications`` maps a row path of table 三 ("granted", "denied/state_secret",
    "carried_over", "carried_forward") to applicant-column figures (missing ones are 0); 一, （七）总计
    and 总计 are computed. ``review`` maps a group of table 四 to its four results; ``disclosure``
    maps a row of table 二 to its cells (missing ones are 0)."""
    year = year if year is not None else (2021 if template == "2021" else 2019)
    desc = describe(template)
    line = iter(range(1, 100_000))
    provenance: dict[str, dict[str, Any]] = {}
    title = f"{organ}{year}年政府信息公开工作年度报告"
    meta = {
        "title": title,
        "organ": organ,
        "organ_kind": organ_kind,
        "year": year,
        "published": published or f"{year + 1}-01-20",
        "period": {"start": f"{year}-01-01", "end": f"{year}-12-31"} if period else None,
    }
    provenance["/meta/title"] = {"raw": title, "line": next(line)}
    provenance["/meta/published"] = {"raw": meta["published"], "line": next(line)}
    if period:
        provenance["/meta/period"] = {"raw": f"{year}年1月1日至{year}年12月31日", "line": next(line)}

    tables = {
        "active_disclosure": _disclosure(desc.tables["active_disclosure"], disclosure or {}),
        "applications": _applications(desc.tables["applications"], applications or {}),
        "review_litigation": _review(desc.tables["review_litigation"], review or {}),
    }
    texts = {
        "problems": "存在的主要问题是公开内容不够全面。下一步将完善公开目录。",
        "other": other_text if other_text is not None else "本年度未收取信息处理费。",
    }
    out_sections = []
    for section in sections():
        index = len(out_sections)
        out_sections.append(
            {
                "number": section.number,
                "key": section.key,
                "heading": section.label,
                "text": texts.get(section.key, f"{section.label}的内容。"),
            }
        )
        provenance[join("sections", index)] = {"raw": section.label, "line": next(line)}
        if section.key in tables:
            for row, column in desc.tables[section.key].cells():
                pointer = row.cell(column.key)
                value = get(tables, pointer)
                provenance[pointer] = {"raw": _raw(value), "line": next(line)}
    return {
        "model": MODEL,
        "template": template,
        "table_templates": dict.fromkeys(tables, template),
        "table_sections": {s.key: s.number for s in sections() if s.key in tables},
        "source": {"uri": f"modelkit-{year}.txt", "format": "text"},
        "meta": meta,
        "sections": out_sections,
        "tables": tables,
        "provenance": provenance,
    }


def report(*args: Any, **kwargs: Any) -> Report:
    return Report(build(*args, **kwargs))


def _raw(value: Any) -> str:
    return "" if value is None else str(value)


def get(tables: dict[str, Any], pointer: str) -> Any:
    """The value at a /tables/… pointer inside ``tables``."""
    node: Any = {"tables": tables}
    for token in pointer.strip("/").split("/"):
        node = node[token]
    return node


def _put(node: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for token in path[:-1]:
        node = node.setdefault(token, {})
    node[path[-1]] = value


def _disclosure(table: Any, figures: Figures) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for row in table.rows:
        given = figures.get(_path(row.path), {})
        _put(out, row.path, {c.key: given.get(c.key, 0) for c in row.columns})
    return out


def _review(table: Any, figures: Figures) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for row in table.rows:
        given = figures.get(_path(row.path), {})
        cells = {c.key: given.get(c.key, 0) for c in row.columns if c.key != "total"}
        cells["total"] = sum(cells.values())
        _put(out, row.path, cells)
    return out


def _applications(table: Any, figures: Figures) -> dict[str, Any]:
    out: dict[str, Any] = {}
    columns = [c.key for c in table.rows[0].columns if c.key != "total"]
    handled = dict.fromkeys(columns, 0)
    rows: dict[str, dict[str, Any]] = {}
    for row in table.rows:
        name = _path(row.path)
        if row.path[0] in _DERIVED:
            continue
        given = figures.get(name, {})
        unknown = set(given) - set(columns)
        if unknown:
            raise ValueError(f"{name}: unknown columns {sorted(unknown)} (total is computed)")
        rows[name] = {c: given.get(c, 0) for c in columns}
        if row.path[0] not in _GIVEN:
            for c in columns:
                handled[c] += rows[name][c]
    unknown_rows = set(figures) - set(rows)
    if unknown_rows:
        raise ValueError(f"unknown or derived rows of table 三: {sorted(unknown_rows)}")
    rows["handled_total"] = handled
    new = {c: handled[c] + rows["carried_forward"][c] - rows["carried_over"][c] for c in columns}
    if any(v < 0 for v in new.values()):
        raise ValueError(f"一 would be negative: {new}")
    rows["new_received"] = new
    for row in table.rows:
        cells = dict(rows[_path(row.path)])
        cells["total"] = sum(cells.values())
        _put(out, row.path, cells)
    return out


def set_cell(data: dict[str, Any], pointer: str, value: Any, raw: str | None = None) -> dict[str, Any]:
    """A copy of ``data`` with one cell changed (its provenance raw too)."""
    data = copy.deepcopy(data)
    _put(data, tuple(pointer.strip("/").split("/")), value)
    entry = data["provenance"].setdefault(pointer, {"line": 0})
    entry["raw"] = raw if raw is not None else _raw(value)
    return data


def line_of(data: dict[str, Any], pointer: str) -> int:
    return data["provenance"][pointer]["line"]


def run(rule_id: str, data: dict[str, Any], **options: Any) -> Any:
    """Run one rule through the engine (levels, locations filled in); the report's result."""
    from nianbao.config import Config
    from nianbao.engine import run as run_rules
    from nianbao.loader import Loaded

    loaded = Loaded(data["source"]["uri"], report=Report(data), format=data["source"]["format"])
    config = Config(select=[rule_id], options={rule_id: options} if options else {})
    result = run_rules([loaded], config).results[0]
    assert result.passed + result.failed + list(result.skipped) == [rule_id], "the rule did not run alone"
    return result


def set_sections(data: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    """A copy of ``data`` whose sections are those of ``keys``, in that order (each keeps its text
    and heading line; the /sections/N provenance follows the new indices)."""
    data = copy.deepcopy(data)
    by_key = {s["key"]: (s, data["provenance"].get(join("sections", i))) for i, s in enumerate(data["sections"])}
    for pointer in [p for p in data["provenance"] if p.startswith("/sections/")]:
        del data["provenance"][pointer]
    data["sections"] = []
    for index, name in enumerate(keys):
        section, entry = by_key[name]
        data["sections"].append(section)
        if entry:
            data["provenance"][join("sections", index)] = entry
    return data


def with_table(data: dict[str, Any], table: str, template: str) -> dict[str, Any]:
    """A copy of ``data`` whose ``table`` shows the other template's shape (clean figures), as a
    report that pasted last year's table would; its cells take the old cells' first line on."""
    data = copy.deepcopy(data)
    old = [p for p in data["provenance"] if p.startswith(join("tables", table) + "/")]
    first = min(data["provenance"][p]["line"] for p in old)
    for pointer in old:
        del data["provenance"][pointer]
    donor = build(template, data["meta"]["year"])
    data["tables"][table] = donor["tables"][table]
    data["table_templates"][table] = template
    for offset, (row, column) in enumerate(describe(template).tables[table].cells()):
        pointer = row.cell(column.key)
        data["provenance"][pointer] = {"raw": donor["provenance"][pointer]["raw"], "line": first + offset}
    shapes = set(data["table_templates"].values())
    data["template"] = "2021" if "2021" in shapes else "2019"
    return data

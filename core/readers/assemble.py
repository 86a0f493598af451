"""The shared assembler: a format reader's token stream → the report model (report-model.md).

It finds the title, organ, year, publication date and statistics period, the six section
headings and the three tables, all through the template description (``nianbao.template``),
so that no reader keeps its own label lists. Every cell gets a provenance entry with the
text as printed and the place of its token.

Tables are read label by label: a row's label, then as many values as the template has
columns (the rest of the row when the format knows rows). Labels are matched in template
order, which is what keeps the column header 其他 from being taken for the row 3.其他, and the
rows 一、本年新收… of table 三 from being taken for section headings.

This module puts the parts together: :mod:`~nianbao.readers.stream` (the token stream and the folded
template), :mod:`~nianbao.readers.meta`, :mod:`~nianbao.readers.headings` and :mod:`~nianbao.readers.tables`.
"""

from __future__ import annotations

from typing import Any

from nianbao.i18n import _
from nianbao.model import MODEL
from nianbao.readers import ReadError, meta
from nianbao.readers.headings import headings as find_headings
from nianbao.readers.stream import Stream
from nianbao.readers.tables import (
    anchor,
    applications_shape,
    blank_table,
    disclosure_shape,
    read_review,
    read_rows,
    span_start,
)
from nianbao.readers.tokens import Hints, Token
from nianbao.template import TABLES, describe, sections

# --- the whole report --------------------------------------------------------------------------


def assemble(tokens: list[Token], hints: Hints | None = None) -> dict[str, Any]:
    """The report model of ``tokens`` (see report-model.md), or :class:`ReadError` when they
    are not a report (``not-a-report``) or a report without the templates (``free-form``)."""
    hints = hints or Hints()
    stream = Stream(list(tokens))
    notes: list[str] = list(stream.repairs)
    provenance: dict[str, dict[str, Any]] = {}
    headings = find_headings(stream)
    heading_at = {h.index for h in headings}
    first_heading = headings[0].index if headings else min(len(stream), 60)

    title = meta.title(stream, first_heading, hints)
    period = meta.period(stream)
    year: int | None = None
    if title:
        year = meta.title_year(title[0])
        provenance["/meta/title"] = {"raw": title[0], **title[1]}
    if year is None and period:
        year = int(period[0]["end"][:4])
    if year is not None and year <= 2018:
        raise ReadError(
            "free-form",
            _(
                "a report for year {year}: the 2019/2021 templates (tables 二、三、四) apply from the 2019 report on, "
                "so this is a free-form report; nianbao does not check free-form reports",
                year=year,
            ),
        )

    anchors: dict[str, int] = {}
    a3 = anchor(stream, "applications")
    for table, begin in (("active_disclosure", 0), ("applications", 0), ("review_litigation", a3 or 0)):
        at = a3 if table == "applications" else anchor(stream, table, begin)
        if at is not None:
            anchors[table] = at
    if not anchors:
        if title or headings:
            what = (
                _("titled {title!r}", title=title[0])
                if title
                else _("with the section heading {heading!r}", heading=headings[0].heading)
            )
            raise ReadError(
                "free-form",
                _(
                    "a report {what}{year} but none of the three tables of the "
                    "2019/2021 templates (主动公开政府信息情况, 收到和处理政府信息公开申请情况, 行政复议/行政诉讼): "
                    "a free-form report; nianbao does not check free-form reports",
                    what=what,
                    year=_(" (year {year})", year=year) if year else "",
                ),
            )
        raise ReadError(
            "not-a-report",
            _(
                "not an annual report on government information disclosure: no title ending in 年度报告, none of the "
                "six section headings (一、总体情况 …) and none of the three tables (第二十条 blocks, "
                "本年新收政府信息公开申请数量, 行政复议) were found"
            ),
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
        shape = disclosure_shape(stream, anchors["active_disclosure"], limits["active_disclosure"])
        if shape:
            shapes["active_disclosure"] = shape
    if "applications" in anchors:
        shape = applications_shape(stream, anchors["applications"], limits["applications"])
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
            values, prov = blank_table(name, table)
            tables[table] = values
            provenance.update(prov)
            # not found (e.g. printed as an image): it sits under no section, so none is recorded
            # (recording None would claim it was found before the first heading: a false S102)
            notes.append(f"table {describe(name).tables[table].number} not found; its cells are blank")
            continue
        at = anchors[table]
        if table == "review_litigation":
            read = read_review(stream, name, at, limits[table])
        else:
            read = read_rows(stream, name, table, at, limits[table])
        tables[table] = read.values
        if read.extras:
            tables[table]["extras"] = read.extras
        provenance.update(read.provenance)
        notes.extend(read.notes)
        spans.append((span_start(stream, at, floor, heading_at), read.end))
        floor = max(floor, read.end)
        under = [h for h in headings if h.index < at]
        table_sections[table] = sections()[under[-1].section].number if under else None

    sixth = next((h.index for h in headings if sections()[h.section].key == "other"), None)
    published = meta.published(stream, hints, sixth, len(stream))
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
        paragraphs: list[tuple[str, dict[str, Any], list[Any]]] = (
            [(h.rest, stream.tokens[h.index].loc, [])] if h.rest else []
        )
        paragraphs.extend(
            (t.text, t.loc, t.lines) for i in range(h.index + 1, stop) if not in_table[i] for t in [stream.tokens[i]]
        )
        out_sections[-1]["paragraphs"] = [{"text": text} for text, _, _ in paragraphs]
        for k, (text, loc, wrapped) in enumerate(paragraphs):
            entry = {"raw": text, **loc}
            if wrapped:  # where each of its source lines starts, for a sentence's own line
                entry["lines"] = [[offset, place] for offset, place in wrapped]
            provenance[f"/sections/{n}/paragraphs/{k}"] = entry

    organ = meta.organ(title[0]) if title else None
    return {
        "model": MODEL,
        "template": template,
        "table_templates": {t: shapes[t] for t in TABLES if t in shapes},
        "table_sections": table_sections,
        "source": {"encoding": hints.encoding} if hints.encoding else {},
        "meta": {
            "title": title[0] if title else None,
            "organ": organ,
            "organ_kind": meta.organ_kind(organ),
            "year": year,
            "published": published[0] if published else None,
            "period": period[0] if period else None,
        },
        "sections": out_sections,
        "tables": tables,
        "provenance": provenance,
        "notes": notes,
    }

"""``nianbao export``: every cell of every report of a corpus as one table, a row per report.

Columns: the report's source and meta, its template, the counts of its findings by level, then one
column per table cell of either template (2021 first, then the cells only the 2019 template has),
each headed by its key (the JSON pointer under ``/tables``) and its printed label, both from the
template description in ``schemas/``. A file that cannot be read is a row too (``status`` error,
with why). The format follows the file's suffix: ``.csv`` (UTF-8 with a BOM, so that Excel reads
it right), ``.xlsx`` (openpyxl: sheets ``tables``, ``findings`` and ``unreadable``), ``.jsonl``,
``.parquet`` (when pyarrow is installed).

It streams: reports are read (and checked) one at a time, in worker processes with ``jobs`` > 1,
and each row is written as it comes, so memory does not grow with the corpus. The counts are of
the rules that judge one report; the rules across reports (X…) need the whole run at once
(``nianbao check``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nianbao.i18n import _
from nianbao.model import LEVELS

SUFFIXES = (".csv", ".xlsx", ".jsonl", ".parquet")

#: the columns before the cells: (key, what it holds)
META = (
    "uri",
    "format",
    "sha256",
    "status",
    "error_kind",
    "error_message",
    "template",
    "title",
    "organ",
    "organ_kind",
    "year",
    "published",
    "period_start",
    "period_end",
    *LEVELS,
)


class ExportError(Exception):
    """Something the user must fix (an unknown suffix, a missing library): exit status 2."""


@dataclass(frozen=True)
class Column:
    key: str  # a META key, or a cell's pointer under /tables (applications/granted/total)
    label: str
    pointer: str = ""

    @property
    def header(self) -> str:
        """Key and printed label in one heading: ``applications/granted/total 表三 （一）予以公开 / 总计``."""
        return f"{self.key} {self.label}" if self.label else self.key


def _meta_labels() -> dict[str, str]:
    return {
        "uri": _("file"),
        "format": _("format"),
        "sha256": "SHA-256",
        "status": _("status"),
        "error_kind": _("kind of error"),
        "error_message": _("why it could not be read"),
        "template": _("template"),
        "title": _("title"),
        "organ": _("body"),
        "organ_kind": _("kind of body"),
        "year": _("year"),
        "published": _("published"),
        "period_start": _("statistics period from"),
        "period_end": _("statistics period to"),
        "error": _("errors"),
        "warning": _("warnings"),
        "note": _("notes"),
    }


def columns() -> list[Column]:
    from nianbao.template import TEMPLATES, describe

    labels = _meta_labels()
    out = [Column(k, labels.get(k, "")) for k in META]
    seen: set[str] = set()
    for name in sorted(TEMPLATES, reverse=True):  # 2021, then what only 2019 has
        template = describe(name)
        for table in template.tables.values():
            for row, column in table.cells():
                pointer = row.cell(column.key)
                if pointer in seen:
                    continue
                seen.add(pointer)
                label = f"表{table.number} {row.label} / {column.label}"
                out.append(Column(pointer[len("/tables/") :], label, pointer))
    return out


@dataclass
class Row:
    """One report, as the writers take it: its values by column key, its findings, its error."""

    values: dict[str, Any]
    findings: list[dict[str, Any]] = field(default_factory=list)
    error: dict[str, str] | None = None


def _row(path: str) -> Row:
    """Read and check one report (in a worker process when ``jobs`` > 1); without checking
    (``check=False`` given to :func:`rows`) the counts stay empty."""
    from nianbao import engine
    from nianbao.loader import load
    from nianbao.template import cell_values

    loaded = load(path)
    values: dict[str, Any] = {"uri": loaded.uri, "format": loaded.format, "status": "checked"}
    if loaded.error is not None:
        values |= {"status": "error", "error_kind": loaded.error.kind, "error_message": loaded.error.message}
        return Row(values, error={"kind": loaded.error.kind, "message": loaded.error.message})
    report = loaded.report
    assert report is not None
    findings_of = engine.run([loaded], _config()).results[0].findings if _CHECK else []
    meta = report.meta
    period = meta.get("period") or {}
    values |= {
        "sha256": report.data.get("source", {}).get("sha256"),
        "template": report.template,
        "title": meta.get("title"),
        "organ": meta.get("organ"),
        "organ_kind": meta.get("organ_kind"),
        "year": meta.get("year"),
        "published": meta.get("published"),
        "period_start": period.get("start"),
        "period_end": period.get("end"),
    }
    for level in LEVELS:
        values[level] = sum(1 for f in findings_of if (f.level or "error") == level) if _CHECK else None
    for pointer, value in cell_values(report).items():
        values[pointer[len("/tables/") :]] = value
    findings = [{"uri": loaded.uri, **f.to_dict()} for f in findings_of]
    return Row(values, findings)


_CONFIG: Any = None
_CHECK = True


def _config() -> Any:
    """The configuration the export runs with (set in each worker by :func:`_init`)."""
    global _CONFIG
    if _CONFIG is None:
        from nianbao.config import Config

        _CONFIG = Config()
    return _CONFIG


def _init(config: Any, lang: str, check: bool = True) -> None:
    global _CONFIG, _CHECK
    from nianbao import i18n

    _CONFIG, _CHECK = config, check
    i18n.set_language(lang)


def rows(paths: Iterable[str], config: Any = None, jobs: int = 1, check: bool = True) -> Iterator[Row]:
    """Each report's row, in the order of ``paths``; with ``jobs`` > 1 read in worker processes
    (results come back in order, a few at a time, so memory stays flat)."""
    from nianbao import i18n

    if jobs <= 1:
        _init(config, i18n.language(), check)
        for path in paths:
            yield _row(path)
        return
    import multiprocessing

    context = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
    with context.Pool(jobs, initializer=_init, initargs=(config, i18n.language(), check)) as pool:
        yield from pool.imap(_row, paths, chunksize=8)


# --- writers ------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _csv(target: Path, cols: list[Column], source: Iterable[Row]) -> int:
    import csv

    n = 0
    with target.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.header for c in cols])
        for row in source:
            writer.writerow(["" if (v := _cell(row.values.get(c.key))) is None else v for c in cols])
            n += 1
    return n


def _jsonl(target: Path, cols: list[Column], source: Iterable[Row]) -> int:
    n = 0
    with target.open("w", encoding="utf-8", newline="\n") as fh:
        for row in source:
            record = {c.key: _cell(row.values.get(c.key)) for c in cols}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


FINDING_COLUMNS = ("uri", "rule", "level", "message", "location", "pointers", "fix")


def _xlsx(target: Path, cols: list[Column], source: Iterable[Row]) -> int:
    try:
        from openpyxl import Workbook
    except ImportError:
        raise ExportError(_("writing .xlsx needs openpyxl: pip install 'nianbao[xlsx]'")) from None
    # write-only: rows go to disk as they come (memory stays flat for any number of reports)
    book = Workbook(write_only=True)
    tables = book.create_sheet("tables")
    findings = book.create_sheet("findings")
    unreadable = book.create_sheet("unreadable")
    tables.append([c.key for c in cols])
    tables.append([c.label for c in cols])
    findings.append(list(FINDING_COLUMNS))
    unreadable.append(["uri", "kind", "message"])
    n = 0
    for row in source:
        tables.append([_cell(row.values.get(c.key)) for c in cols])
        for f in row.findings:
            where = f.get("location") or {}
            findings.append(
                [
                    f.get("uri"),
                    f.get("rule"),
                    f.get("level"),
                    f.get("message"),
                    ", ".join(f"{k} {v}" for k, v in where.items() if k != "uri"),
                    " ".join(f.get("pointers") or []),
                    json.dumps(f["fix"], ensure_ascii=False) if f.get("fix") else None,
                ]
            )
        if row.error:
            unreadable.append([row.values.get("uri"), row.error.get("kind"), row.error.get("message")])
        n += 1
    book.save(str(target))
    return n


def _parquet(target: Path, cols: list[Column], source: Iterable[Row]) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ExportError(_("writing .parquet needs pyarrow: pip install pyarrow")) from None
    ints = {"year", *LEVELS}
    types = []
    for c in cols:
        kind = pa.float64() if c.pointer else pa.int64() if c.key in ints else pa.string()
        types.append(pa.field(c.header, kind))
    schema = pa.schema(types)
    n = 0
    batch: list[Row] = []

    def flush(writer: Any) -> None:
        arrays = []
        for c, f in zip(cols, schema, strict=True):
            values = [_cell(r.values.get(c.key)) for r in batch]
            if f.type == pa.float64():
                values = [None if v is None else float(v) for v in values]
            arrays.append(pa.array(values, type=f.type))
        writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
        batch.clear()

    with pq.ParquetWriter(str(target), schema) as writer:
        for row in source:
            batch.append(row)
            n += 1
            if len(batch) >= 1000:
                flush(writer)
        if batch:
            flush(writer)
    return n


WRITERS: dict[str, Callable[[Path, list[Column], Iterable[Row]], int]] = {
    ".csv": _csv,
    ".jsonl": _jsonl,
    ".xlsx": _xlsx,
    ".parquet": _parquet,
}


def export(paths: Iterable[str], output: str, config: Any = None, jobs: int = 1, check: bool = True) -> int:
    """Write the rows of ``paths`` to ``output`` (format by suffix); the number of rows."""
    suffix = Path(output).suffix.lower()
    writer = WRITERS.get(suffix)
    if writer is None:
        raise ExportError(
            _(
                "{file}: unknown format {suffix}; known: {known}",
                file=output,
                suffix=suffix or "''",
                known=", ".join(SUFFIXES),
            )
        )
    from nianbao.atomic import replacing

    with replacing(output) as part:  # OUTPUT.part, renamed once every row is written
        return writer(Path(part), columns(), rows(paths, config, jobs, check))

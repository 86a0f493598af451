"""Reporters turn a :class:`~nianbao.results.RunResult` into one output format. Each format is a
module with ``render(run) -> str``; it reads only the run (its results, rule metadata and
plugins) and knows nothing of individual rules. Modules are imported on demand, so choosing
``--format text`` never pays for the XML or SARIF code.

A format that can be written as results come (every built-in one) also has ``Writer(run, out,
**options)`` with ``add(result)`` per report, in order, and ``close()`` once the run's
notifications are final: a run of 100,000 reports never holds them all. ``run.results`` is then
empty and ``run.streamed`` holds the totals. A format module without a ``Writer`` is given the
whole run at the end, as before; one that sets ``KEEP_MODEL = True`` gets each result with its
full report model (the others get the provenance of the cells their findings name).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from io import StringIO
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from nianbao.i18n import N_, _, language

if TYPE_CHECKING:
    from nianbao.model import Finding, Fix, Report
    from nianbao.results import ReportResult, RunResult


class Writer(Protocol):
    def add(self, result: ReportResult) -> None: ...
    def close(self) -> None: ...


class _Whole:
    """A format without a Writer: collects the results and renders the run at the end."""

    def __init__(self, render: Callable[..., str], run: RunResult, out: TextIO, **options: Any) -> None:
        self.render, self.run, self.out, self.options = render, run, out, options
        self.results: list[ReportResult] = []

    def add(self, result: ReportResult) -> None:
        self.results.append(result)

    def close(self) -> None:
        from dataclasses import replace

        self.out.write(self.render(replace(self.run, results=self.results, streamed=None), **self.options))


def keeps_model(name: str) -> bool:
    """Does format ``name`` need each report's whole model (not only what its findings name)?"""
    return bool(getattr(import_module(f"nianbao.reporters.{name}"), "KEEP_MODEL", False))


def writer(name: str, run: RunResult, out: TextIO, **options: Any) -> Writer:
    """A writer of format ``name`` to ``out``, fed one result at a time."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; known: {', '.join(FORMATS)}")
    module = import_module(f"nianbao.reporters.{name}")
    if hasattr(module, "Writer"):
        made: Writer = module.Writer(run, out, **options)
        return made
    return _Whole(module.render, run, out, **options)


def through(writer_class: Callable[..., Writer], run: RunResult, **options: Any) -> str:
    """``render(run)`` for a format with a Writer: the streamed output, as one string."""
    out = StringIO()
    w = writer_class(run, out, **options)
    for result in run.results:
        w.add(result)
    w.close()
    return out.getvalue()


FORMATS = ("text", "json", "junit", "sarif", "html")

#: location keys that name a place in a text file; every other key (page, table, row, cell,
#: paragraph) is a place in a paged or structured document
_TEXT_KEYS = ("line", "column")


def renderer(name: str) -> Callable[..., str]:
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; known: {', '.join(FORMATS)}")
    render: Callable[..., str] = import_module(f"nianbao.reporters.{name}").render
    return render


def render(name: str, run: RunResult, **options: Any) -> str:
    """The run in format ``name``; ``options`` (colour, verbosity) reach the text reporter,
    ``lang`` the HTML one, ``flavor`` (jenkins, gitlab) the JUnit one."""
    if name == "text":
        return renderer(name)(run, **{k: v for k, v in options.items() if k != "lang"})
    if name == "html":
        return renderer(name)(run, **{k: v for k, v in options.items() if k == "lang"})
    if name == "junit":
        return renderer(name)(run, **{k: v for k, v in options.items() if k == "flavor"})
    return renderer(name)(run)


def is_text_position(location: dict[str, Any] | None) -> bool:
    """True when the location is a line (and column) in the file as given, which editors and
    SARIF regions understand; a PDF's page/line or a DOCX table cell is not. (An HTML cell may
    also carry ``element``, the line and column where its ``<td>`` starts.)"""
    if not location or "line" not in location:
        return False
    return all(k in (*_TEXT_KEYS, "uri", "element") for k in location)


#: the words of a place that is not a text position, by location key
_PLACES = {
    "page": N_("page {n}"),
    "line": N_("line {n}"),
    "column": N_("column {n}"),
    "table": N_("table {n}"),
    "row": N_("row {n}"),
    "cell": N_("cell {n}"),
    "paragraph": N_("paragraph {n}"),
}


def place(location: dict[str, Any] | None) -> str:
    """A place that is not a text position, in words: ``page 3 line 12``, ``table 2 row 4 cell 3``
    (第3页第12行, 第2个表格第4行第3格)."""
    words = [
        _(_PLACES[k], n=v) if k in _PLACES else f"{k} {v}"
        for k, v in (location or {}).items()
        if k not in ("uri", "element") and v is not None
    ]
    return ("" if language() == "zh" else " ").join(words)


def cell_label(report: Report | None, pointer: str) -> str:
    """A cell by its printed labels, as a reader of the report finds it: 表三“（一）予以公开 / 自然人”
    (never a JSON pointer, unless the cell is not one of the template's)."""
    from nianbao.template import printed_cell

    return printed_cell(report, pointer)


def fix_text(report: Report | None, fix: Fix, old: str | None = None) -> str:
    """The correction in words, by label: 将表三“（七）总计 / 自然人”由 5 改为 6."""
    value = fix.value
    new = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    where = cell_label(report, fix.pointer)
    if old is None:
        return _("Set {cell} to {new}", cell=where, new=new)
    return _("Set {cell} from {old} to {new}", cell=where, old=old, new=new)


def where(uri: str, location: dict[str, Any] | None) -> str:
    """``path:line:col`` for text positions, ``path:page 3 line 12`` (and the like) otherwise."""
    loc = {k: v for k, v in (location or {}).items() if k not in ("uri", "element") and v is not None}
    if not loc:
        return uri
    if is_text_position(loc):
        return ":".join([uri, *(str(loc[k]) for k in _TEXT_KEYS if k in loc)])
    return f"{uri}:{place(loc)}"


def finding_line(uri: str, finding: Finding) -> str:
    """One finding as one line: ``path:line:col: ID level message``."""
    return f"{where(uri, finding.location)}: {finding.rule} {finding.level} {finding.message}"

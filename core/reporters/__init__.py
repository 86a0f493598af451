"""Reporters turn a :class:`~nianbao.results.RunResult` into one output format. Each format is a
module with ``render(run) -> str``; it reads only the run (its results, rule metadata and
plugins) and knows nothing of individual rules. Modules are imported on demand, so choosing
``--format text`` never pays for the XML or SARIF code.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nianbao.model import Finding
    from nianbao.results import RunResult

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
    ``lang`` the HTML one."""
    if name == "text":
        return renderer(name)(run, **{k: v for k, v in options.items() if k != "lang"})
    if name == "html":
        return renderer(name)(run, **{k: v for k, v in options.items() if k == "lang"})
    return renderer(name)(run)


def is_text_position(location: dict[str, Any] | None) -> bool:
    """True when the location is a line (and column) in the file as given, which editors and
    SARIF regions understand; a PDF's page/line or a DOCX table cell is not. (An HTML cell may
    also carry ``element``, the line and column where its ``<td>`` starts.)"""
    if not location or "line" not in location:
        return False
    return all(k in (*_TEXT_KEYS, "uri", "element") for k in location)


def place(location: dict[str, Any] | None) -> str:
    """A place that is not a text position, in words: ``page 3 line 12``, ``table 2 row 4 cell 3``."""
    return " ".join(f"{k} {v}" for k, v in (location or {}).items() if k != "uri" and v is not None)


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

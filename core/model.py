"""The report model (``nianbao.report/1``) and the finding a rule returns.

A parsed report stays the plain JSON document of report-model.md: plugins, ``nianbao parse``
and people analysing a corpus all read the same shape. :class:`Report` only wraps it with
look-ups by JSON Pointer (RFC 6901).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from typing import Any, TypeVar

T = TypeVar("T")

MODEL = "nianbao.report/1"
FINDINGS_MODEL = "nianbao.findings/1"
LEVELS = ("error", "warning", "note")
_MISSING = object()


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(*tokens: str | int) -> str:
    return "".join("/" + escape(str(t)) for t in tokens)


def split(pointer: str) -> list[str]:
    return list(_tokens(pointer))


@lru_cache(maxsize=65536)
def _tokens(pointer: str) -> tuple[str, ...]:
    # rules look up the same template pointers in every report: parse each once
    if not pointer:
        return ()
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return tuple(unescape(t) for t in pointer[1:].split("/"))


def resolve(document: Any, pointer: str, default: Any = _MISSING) -> Any:
    """The value at ``pointer``; ``default`` (or KeyError) when it is not there."""
    node = document
    for token in _tokens(pointer):
        if isinstance(node, list):
            try:
                node = node[int(token)]
                continue
            except (ValueError, IndexError):
                node = _MISSING
        elif isinstance(node, dict) and token in node:
            node = node[token]
            continue
        else:
            node = _MISSING
        if node is _MISSING:
            if default is _MISSING:
                raise KeyError(pointer)
            return default
    return node


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class Report:
    """A parsed report: the JSON document plus look-ups that rules need."""

    __slots__ = ("_derived", "data")

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        #: what :func:`derived` functions computed from this report, by function
        self._derived: dict[Callable[..., Any], Any] = {}

    # The look-ups give the type they promise whatever the document holds (a model from
    # another tool may have a number for a table): the engine and reporters read them too,
    # before M001 has said what is wrong with the model.

    @property
    def template(self) -> str | None:
        value = self.data.get("template")
        return value if isinstance(value, str) else None

    @property
    def meta(self) -> dict[str, Any]:
        return _dict(self.data.get("meta"))

    @property
    def year(self) -> int | None:
        value = self.meta.get("year")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def uri(self) -> str:
        uri = _dict(self.data.get("source")).get("uri", "")
        return uri if isinstance(uri, str) else ""

    @property
    def tables(self) -> dict[str, Any]:
        return _dict(self.data.get("tables"))

    @property
    def sections(self) -> list[dict[str, Any]]:
        value = self.data.get("sections")
        return value if isinstance(value, list) else []

    @property
    def provenance(self) -> dict[str, dict[str, Any]]:
        return _dict(self.data.get("provenance"))

    def table_template(self, table: str) -> str | None:
        """The template the shape of ``table`` shows (falls back to the report's)."""
        shape = _dict(self.data.get("table_templates")).get(table, self.template)
        return shape if isinstance(shape, str) else None

    def get(self, pointer: str, default: Any = None) -> Any:
        return resolve(self.data, pointer, default)

    def has(self, pointer: str) -> bool:
        return resolve(self.data, pointer, _MISSING) is not _MISSING

    def raw(self, pointer: str) -> str | None:
        entry = self.provenance.get(pointer)
        return None if entry is None else entry.get("raw")

    def section(self, key: str) -> tuple[int, dict[str, Any]] | None:
        """(index, section) of the first section with ``key``, or None."""
        for index, section in enumerate(self.sections):
            if section.get("key") == key:
                return index, section
        return None

    def cells(self, pointer: str = "/tables") -> Iterator[tuple[str, Any]]:
        """Every leaf (pointer, value) under ``pointer``, in document order; extras excluded."""
        node = self.get(pointer)
        if isinstance(node, dict):
            for key in node:
                if key != "extras":
                    yield from self.cells(pointer + "/" + escape(key))
        elif not isinstance(node, list):
            yield pointer, node


def derived(compute: Callable[[Report], T]) -> Callable[[Report], T]:
    """Make ``compute(report)`` run once per report: later calls, from any rule, get the value
    the first one computed (sentences, table identities, look-ups several rules share). The
    value lives on the report and goes with it; rules must treat it as read-only.

        @derived
        def sentences(report: Report) -> list[Sentence]: ...
    """

    @wraps(compute)
    def shared(report: Report) -> T:
        memo = report._derived
        try:
            return memo[shared]  # type: ignore[no-any-return]
        except KeyError:
            value = memo[shared] = compute(report)
            return value

    return shared


@dataclass(frozen=True)
class Fix:
    """One corrected value that would make the failed identities hold."""

    pointer: str
    value: Any

    def to_dict(self) -> dict[str, Any]:
        return {"pointer": self.pointer, "value": self.value}


@dataclass
class Finding:
    """What a rule found. The engine fills in ``rule``, ``level`` (default: the rule's) and
    ``location`` (from the provenance of the first pointer that has one)."""

    message: str
    pointers: list[str] = field(default_factory=list)
    level: str | None = None
    fix: Fix | None = None
    rule: str | None = None
    location: dict[str, Any] | None = None
    #: stable key of what was compared, for SARIF partialFingerprints; defaults to the pointers
    key: str | None = None
    #: the words of the report the finding is about (a narrative sentence), as the rule read
    #: them, so that a reporter can mark them in the text; optional
    excerpt: str | None = None
    #: set when a waiver covers the finding: {"reason", "expires"[, "pointer"]}; it then does
    #: not count for the exit status
    waived: dict[str, str] | None = None
    #: "new" when the run compares with a baseline (--baseline) and the finding is not in it
    baseline: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "level": self.level,
            "message": self.message,
            "pointers": list(self.pointers),
            "location": self.location,
        }
        if self.fix is not None:
            out["fix"] = self.fix.to_dict()
        if self.excerpt:
            out["excerpt"] = self.excerpt
        if self.waived is not None:
            out["waived"] = dict(self.waived)
        if self.baseline is not None:
            out["baseline"] = self.baseline
        return out

"""Limits on what one input may make nianbao read, so that a hostile or broken file (a zip
bomb, a page nested a million deep, a PDF of a hundred thousand pages) costs a clear error
naming the file instead of the machine's memory or the run's time.

Every limit is far above what a real annual report needs (the largest seen: a 60-page PDF, a
12 MB .docx with photos, a 2 MB web page) and can be raised in the configuration
(``limits:`` in nianbao.yaml, see README). A file past a limit is a :class:`ReadError` of kind
``too-large`` (or ``too-deep``) whose message names the limit and how to raise it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nianbao.readers import ReadError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    #: bytes of one input file
    file_size: int = 256 * MB
    #: uncompressed bytes of all the parts of a .docx together
    docx_uncompressed: int = 128 * MB
    #: uncompressed / compressed size of one part of a .docx (parts under 1 MB are not held to it)
    docx_ratio: int = 200
    #: nesting depth of the elements of a .docx part or a web page
    xml_depth: int = 200
    #: pages of a PDF
    pdf_pages: int = 2000
    #: cells of one table (a <table>, a Word table, a table drawn on a PDF page)
    table_cells: int = 50_000
    #: characters of the text of one report (decoded text, or the text of a PDF or .docx)
    text_chars: int = 20_000_000
    #: seconds to read one file (where the reading can be interrupted); 0 = no limit
    read_seconds: float = 300.0

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def from_mapping(cls, given: dict[str, Any], where: str = "limits") -> Limits:
        """Limits from a configuration mapping; ValueError naming the key for a bad one."""
        from nianbao.i18n import _

        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in given.items():
            name = str(key).replace("-", "_")
            if name not in known:
                raise ValueError(
                    _("{where}: unknown limit {key!r} (known: {known})", where=where, key=key, known=", ".join(known))
                )
            kind = float if name == "read_seconds" else int
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < float("inf"):
                raise ValueError(
                    _("{where}: {key} must be a number ≥ 0, not {value!r}", where=where, key=key, value=value)
                )
            if kind is int and not float(value).is_integer():
                raise ValueError(
                    _("{where}: {key} must be a whole number, not {value!r}", where=where, key=key, value=value)
                )
            values[name] = kind(value)
        return cls(**values)


DEFAULT = Limits()


def _raise_hint(name: str) -> str:
    from nianbao.i18n import _

    return _("raise limits.{name} in nianbao.yaml if the file is genuine", name=name)


def too_large(what: str, size: int | float, name: str, limit: int | float, *, at_least: bool = False) -> ReadError:
    """``too-large``; ``at_least``: for a size known only from below (the characters of text not
    yet decoded)."""
    from nianbao.i18n import _
    from nianbao.readers import ReadError  # nianbao.readers imports this module

    fields = {"what": what, "size": f"{size:,}", "limit": f"{limit:,}", "hint": _raise_hint(name)}
    if at_least:
        message = _("{what} (at least {size}) exceeds the limit of {limit} ({hint})", **fields)
    else:
        message = _("{what} ({size}) exceeds the limit of {limit} ({hint})", **fields)
    return ReadError("too-large", message)


def too_large_at_least(what: str, fewest: int, name: str, limit: int | float) -> ReadError:
    return too_large(what, fewest, name, limit, at_least=True)


def check(what: str, size: int | float, name: str, limits: Limits) -> None:
    """Raise ``too-large`` when ``size`` exceeds limit ``name``."""
    limit = getattr(limits, name)
    if size > limit:
        raise too_large(what, size, name, limit)


def check_depth(root: Any, limits: Limits, what: str = "the document") -> None:
    """Raise ``too-deep`` when an lxml element tree nests deeper than ``limits.xml_depth``."""
    from nianbao.i18n import _
    from nianbao.readers import ReadError

    limit = limits.xml_depth
    if limit < 1 or _below(limit)(root):
        hint = _raise_hint("xml_depth")
        raise ReadError(
            "too-deep",
            _("{what} nests elements more than {limit} deep ({hint})", what=what, limit=limit, hint=hint),
        )


@lru_cache(maxsize=8)
def _below(limit: int) -> Any:
    """An XPath to what an element's iteration yields (elements, comments, processing
    instructions) ``limit`` levels below the root, i.e. deeper than ``limit`` with the root at
    depth 1: libxml2 walks the tree level by level without a Python object per element."""
    from lxml import etree

    return etree.XPath("/".join(["*"] * (limit - 1) + ["node()[not(self::text())]"]))

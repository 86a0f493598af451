"""Readers turn a file's bytes into the report model. Each reader knows its format and nothing
of rules. Readers are registered through the ``nianbao_readers`` hook, so a plugin can add one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from nianbao.i18n import N_
from nianbao.readers.limits import DEFAULT, Limits

#: the kinds of unreadable file: a machine word in JSON and in English, in words in Chinese (the
#: reporters show ``i18n.translate(kind)``)
KINDS = (
    N_("empty"),
    N_("binary"),
    N_("not-a-report"),
    N_("free-form"),
    N_("encoding"),
    N_("scanned-pdf"),
    N_("corrupt"),
    N_("unsupported"),
    N_("not-found"),
    N_("unreadable"),
    N_("reader-crash"),
    N_("not-a-file"),
    N_("symlink-loop"),
    N_("timeout"),
    N_("too-deep"),
    N_("too-large"),
)


class ReadError(Exception):
    """A file that could not be read as a report. ``kind`` is a short machine word
    (``empty``, ``binary``, ``not-a-report``, ``free-form``, ``encoding``, ``scanned-pdf``,
    ``corrupt``, ``unsupported``), the message says what was wrong in words a user can act on."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class Source:
    """The bytes of one input and where they came from."""

    uri: str  # as given on the command line (relative paths stay relative)
    data: bytes
    sha256: str
    #: how much the reader may read of it (sizes, depth, pages, cells); see nianbao.readers.limits
    limits: Limits = DEFAULT
    #: when pages are read by OCR: auto (a page without a text layer, an image file), always, never
    ocr: str = "auto"


class Reader(Protocol):
    #: the format word in ``source.format`` (text, html, pdf, docx, json)
    format: str

    def sniff(self, source: Source) -> int:
        """How sure this reader is that it can read ``source``: 0 = not mine, 100 = certain."""
        ...

    def read(self, source: Source) -> dict[str, Any]:
        """The report model (a dict), or raise :class:`ReadError`."""
        ...

"""The one thing a format reader produces: the report as a stream of tokens in reading order.

A token is a line of prose or one table cell, with its text as printed and its place in the
source file. The shared assembler (:mod:`nianbao.readers.assemble`) turns the stream into the
report model through the template description, so no reader keeps its own copy of the labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Token:
    #: the text as printed, outer white space stripped (a wrapped label stays split, e.g. 商业 / 企业)
    text: str
    #: where it is: {"line", "column"} (text, HTML; 1-based), {"page", "line"} (PDF) or
    #: {"table", "row", "cell"} / {"paragraph"} (DOCX); copied into provenance as is
    loc: dict[str, Any] = field(default_factory=dict)
    #: "line" for prose (a paragraph or a line of text), "cell" for a table cell
    kind: str = "line"
    #: True on the last cell of a table row, when the format knows rows (HTML, DOCX, tabbed text)
    row_end: bool = False
    #: a paragraph joined from several source lines (a PDF's wrapped lines): where each line
    #: starts in ``text`` and its place, the first at offset 0 with ``loc``; empty otherwise
    lines: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def join(self, text: str, loc: dict[str, Any]) -> None:
        """Append the next source line of a wrapped paragraph, remembering where it starts."""
        if not self.lines:
            self.lines.append((0, dict(self.loc)))
        joined = join_wrapped([self.text, text])
        self.lines.append((len(joined) - len(text.strip()), dict(loc)))
        self.text = joined


@dataclass
class Hints:
    """What a format knows outside the body: an HTML <title> or 发布日期 field, the encoding."""

    title: str | None = None
    published: str | None = None  # ISO date
    published_loc: dict[str, Any] = field(default_factory=dict)
    title_loc: dict[str, Any] = field(default_factory=dict)
    encoding: str | None = None


#: a CJK character or full-width form (no space is put between such and a neighbour)
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def join_wrapped(parts: list[str]) -> str:
    """Lines of one cell or paragraph joined as one text: nothing between Chinese characters
    (商业 / 企业 → 商业企业), a space between two Latin words or figures."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and not (CJK.match(out[-1]) or CJK.match(part[0])):
            out += " "
        out += part
    return out

"""Reads a report published as a web page: recognises it by content, decodes it, tokenises it
(:mod:`nianbao.readers.html_tokens`, imported only here) and hands the tokens to the shared
assembler."""

from __future__ import annotations

import re
from typing import Any

from nianbao.i18n import _
from nianbao.readers import ReadError, Source
from nianbao.readers.limits import check

# ---- the reader --------------------------------------------------------------------------

_HTML_START = re.compile(rb"^(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|\?xml[^>]*>\s*<html)", re.I | re.S)
_HTML_TAGS = re.compile(rb"<(?:html|head|body|meta|title|table|tr|td|p|div|span|br)[\s>/]", re.I)


def _head(data: bytes) -> bytes:
    """The first bytes as ASCII-compatible text (UTF-16 pages narrowed), white space stripped."""
    head = data[:8192]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = head.decode("utf-16", "ignore").encode("utf-8", "ignore")
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()


class HtmlReader:
    format = "html"

    def sniff(self, source: Source) -> int:
        """By content, not extension: a .txt or .doc that is really HTML is HTML."""
        head = _head(source.data)
        if b"\x00" in head:
            return 0
        if _HTML_START.match(head):
            return 95
        # a fragment saved without <html>: the more kinds of tag, the surer (the text reader
        # declines anything with block tags, so even one kind must claim the file)
        kinds = {m.group(0)[1:-1].lower() for m in _HTML_TAGS.finditer(head)}
        return (0, 50, 70)[len(kinds)] if len(kinds) < 3 else 85

    def read(self, source: Source) -> dict[str, Any]:
        from nianbao.readers.assemble import assemble
        from nianbao.readers.charset import decode
        from nianbao.readers.html_tokens import tokenize

        text, encoding = decode(source.data)
        check(_("the page's text, in characters"), len(text), "text_chars", source.limits)
        tokens, hints = tokenize(text, source.limits)
        hints.encoding = encoding
        if not tokens:
            raise ReadError("not-a-report", _("an HTML page with no text in its body"))
        # the assembler judges whether the text is a report (and says why not)
        model = assemble(tokens, hints)
        model.setdefault("source", {})["encoding"] = encoding
        return model

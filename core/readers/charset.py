"""Decode the bytes of a web page or text file into text.

Order: a byte-order mark; then the page's own declaration (``<meta charset>``, the
``http-equiv`` Content-Type or an XML declaration); then UTF-8; then detection. Chinese
government pages very often declare GB2312 while their bytes use characters only GBK or
GB18030 have (朱镕基's 镕, rare given names), so every GB declaration is decoded as GB18030,
the superset, and the name returned says so.
"""

from __future__ import annotations

import codecs
import re

#: how far into the file a declaration is looked for (Word exports carry long <head>s)
_HEAD = 8192

_DECLARED = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([a-z0-9_.:-]+)""",
    re.IGNORECASE,
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: every name a page uses for the GB family; all are read as GB18030
_GB = frozenset(
    {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "gb_2312-80", "gb_2312", "euc-cn", "hz-gb-2312"}
)

#: declarations that are never right for a Chinese report (editor defaults); the bytes decide
_DOUBTFUL = frozenset({"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "us-ascii", "ascii"})


def declared(data: bytes) -> str | None:
    """The charset a page declares in its head, lower-cased, or None."""
    m = _DECLARED.search(data[:_HEAD])
    if not m:
        return None
    return (m.group(1) or m.group(2)).decode("ascii", "replace").lower()


def _codec(name: str) -> str | None:
    """The Python codec for a declared name (GB names → gb18030), None when Python knows none."""
    if name in _GB:
        return "gb18030"
    try:
        codec = codecs.lookup(name).name
        # a name Python knows need not be a text encoding a page can be in: "undefined" (which
        # pages do declare) raises on every byte, rot13 and base64 are not bytes-to-text, UTF-16
        # cannot have held an ASCII <meta>: only a codec that reads ASCII as ASCII is taken
        if b"<meta charset>".decode(codec) != "<meta charset>":
            return None
    except (LookupError, UnicodeError, TypeError, ValueError):
        return None
    return codec


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeError, LookupError):
        return None


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was read with (a Python codec name:
    ``utf-8``, ``gb18030``, ``big5``, …). Never raises: undecodable bytes become U+FFFD only
    when no encoding fits them all."""
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(bom_codec, "replace"), bom_codec.removesuffix("-le").removesuffix("-be")

    name = declared(data)
    codec = _codec(name) if name and name not in _DOUBTFUL else None
    if codec:
        text = _strict(data, codec)
        if text is not None:
            return text, codec
    # no usable declaration, or the bytes contradict it: UTF-8 is strict enough that a
    # successful decode is reliable; GB18030 accepts nearly anything, so it only comes after
    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    guessed = _detect(data)
    if guessed:
        text = _strict(data, guessed)
        if text is not None:
            return text, guessed
    fallback = codec or "gb18030"
    return data.decode(fallback, "replace"), fallback


def _detect(data: bytes) -> str | None:
    """charset_normalizer's best guess (GB answers widened to gb18030), None without it."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return "gb18030" if _strict(data, "gb18030") is not None else None
    best = from_bytes(data[:65536]).best()
    if best is None:
        return None
    return _codec(best.encoding.lower().replace("_", "-"))

"""Text that is safe to show and to write in any output format, whatever its source.

A file name on Linux is bytes: Python hands the ones that are not UTF-8 over as lone
surrogates (``os.fsdecode``'s surrogateescape), which no UTF-8 writer accepts; a name, a cell
or a sentence may also hold control characters (an ESC that repaints a terminal, a NUL or a
form feed that XML 1.0 cannot carry at all) or the bidirectional controls of "Trojan source"
text. :func:`shown` spells each of them out as an escape (``\\xff``, ``\\x1b``, ``\\u202e``), so that
the text stays readable, says what was there, and is valid UTF-8, JSON, XML and terminal
output. :func:`tree` does the same to every string of a JSON document and refuses the numbers
JSON cannot hold (NaN, ±Infinity), which become null.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

#: C0 controls but tab and newline, DEL, C1 controls, surrogates, the bidirectional embeddings,
#: overrides and isolates, and the two non-characters XML forbids
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
#: in a file name, tab and newline too
_UNSAFE_NAME = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group(0))
    if 0xDC80 <= c <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode kept it
        return f"\\x{c - 0xDC00:02x}"
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def shown(text: str) -> str:
    """``text`` with every character no output should carry raw spelled as an escape."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def shown_path(path: str) -> str:
    """A path as nianbao shows and reports it: like :func:`shown`, tab and newline escaped too."""
    return _UNSAFE_NAME.sub(_escape, path) if _UNSAFE_NAME.search(path) else path


_SURROGATE = re.compile("[\ud800-\udfff]")


def strict(value: Any) -> Any:
    """A JSON document as ``json.dumps(..., allow_nan=False)`` and UTF-8 take it, otherwise
    unchanged (``nianbao parse`` keeps the text as read): non-finite numbers become None,
    lone surrogates their escapes."""
    if isinstance(value, str):
        return _SURROGATE.sub(_escape, value) if _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {(strict(k) if isinstance(k, str) else k): strict(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strict(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def tree(value: Any) -> Any:
    """A JSON document with :func:`shown` applied to every string (keys too) and every
    non-finite number replaced by None, so that ``json.dumps(..., allow_nan=False)`` and a
    UTF-8 encoder accept it whatever a model or a plugin put into it."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, dict):
        return {(shown(k) if isinstance(k, str) else k): tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [tree(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


#: what, in a document orjson wrote, tells that it is not already what :func:`dumps` must
#: write: a raw character :func:`shown` spells out (orjson escapes the C0 controls itself and
#: refuses lone surrogates), an escape other than \" \\ \n \t (a C0 control shown() spells
#: out), or a number with an exponent or below 0.0001 (where orjson's float text and Python's
#: repr part: 1e-5 against 1e-05). It may also match inside a string ("0.00001" after ": "):
#: that only sends the document the slow way.
_DIFFERS = re.compile(
    "[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
    r'|\\[^"\\nt]'
    r"|(?:^|: |\n *)-?(?:\d[\d.]*[eE]|0\.0000)"
)


def dumps(value: Any) -> str:
    """``json.dumps(tree(value), ensure_ascii=False, indent=2, allow_nan=False)``, byte for byte.
    The reporters write every result so, and the standard library indents in pure Python (about
    0.2 ms a report, in the one process that writes all of them): orjson encodes it in C, and
    its text is kept when it shows that tree() would have changed nothing; otherwise (an unsafe
    character, a float orjson spells differently, a type orjson leaves to the standard library:
    subclasses, dataclasses, dates, keys not strings, integers past 64 bits) the standard
    library's encoding, or its error, is the answer."""
    import orjson

    options = (
        orjson.OPT_INDENT_2
        | orjson.OPT_PASSTHROUGH_SUBCLASS
        | orjson.OPT_PASSTHROUGH_DATACLASS
        | orjson.OPT_PASSTHROUGH_DATETIME
    )
    try:
        text: str = orjson.dumps(value, option=options).decode()
    except TypeError:  # orjson.JSONEncodeError
        text = ""
    if not text or _DIFFERS.search(text):
        return json.dumps(tree(value), ensure_ascii=False, indent=2, allow_nan=False)
    return text

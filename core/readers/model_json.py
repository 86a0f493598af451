"""Reads a report model that is already JSON (``nianbao parse`` output, or a model written by
another tool) so that it can be checked again; validation against the schema is a rule (M001)."""

from __future__ import annotations

import json
from typing import Any

from nianbao.i18n import _
from nianbao.model import MODEL
from nianbao.normalize import MAX_DIGITS
from nianbao.readers import ReadError, Source
from nianbao.readers.limits import check

#: digits of a number in a model: the printed readers' limit too (a count or an amount in 万元
#: has far fewer; Python refuses integers of more than 4300 digits, a float of 400 is infinite)
_DIGITS = MAX_DIGITS
#: nesting of a model: a cell is five levels down, a provenance entry's line list six; the
#: validator and the rules walk a model recursively, so a deeper one is refused here
_DEPTH = 32


class _RefusedError(ValueError):
    """A JSON token that parses but is no number a report model can hold."""


def _constant(name: str) -> Any:
    # json.loads accepts NaN, Infinity and -Infinity, which JSON (RFC 8259) does not have
    raise _RefusedError(_("{name} is not a JSON number", name=name))


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > _DIGITS:
        raise _RefusedError(_("an integer of {n} digits is beyond any figure of a report", n=len(text.lstrip("-"))))
    return int(text)


def _decimal(text: str) -> float:
    value = float(text)
    if len(text) > 2 * _DIGITS or value != value or value in (float("inf"), float("-inf")):
        shown = text[:40] + ("…" if len(text) > 40 else "")
        raise _RefusedError(_("the number {value} is beyond any figure of a report", value=shown))
    return value


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > _DEPTH:
            break
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return deepest


class ModelJsonReader:
    format = "json"

    def sniff(self, source: Source) -> int:
        head = source.data[:2048].lstrip()
        return 90 if head.startswith(b"{") and MODEL.encode() in source.data[:4096] else 0

    def read(self, source: Source) -> dict[str, Any]:
        try:
            text = source.data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ReadError("corrupt", _("not valid JSON: not UTF-8 (byte {offset})", offset=exc.start)) from exc
        check(_("the JSON text, in characters"), len(text), "text_chars", source.limits)
        try:
            data = json.loads(text, parse_constant=_constant, parse_int=_integer, parse_float=_decimal)
        except json.JSONDecodeError as exc:
            raise ReadError("corrupt", _("not valid JSON: {reason}", reason=exc)) from exc
        except _RefusedError as exc:
            raise ReadError("corrupt", _("not valid JSON: {reason}", reason=exc)) from exc
        except RecursionError as exc:
            raise ReadError("too-deep", _("the JSON nests arrays or objects too deep to be a report model")) from exc
        if _depth(data) > _DEPTH:
            raise ReadError(
                "too-deep", _("the JSON nests arrays or objects more than {n} deep: no report model does", n=_DEPTH)
            )
        if not isinstance(data, dict) or data.get("model") != MODEL:
            raise ReadError("not-a-report", _('JSON, but not a report model (no "model": "{model}")', model=MODEL))
        # the places in its provenance are places in the document it was parsed from, not in
        # this JSON file: that document is kept as source.parsed_from
        original = data.get("source") or {}
        data["source"] = {"parsed_from": original} if original else {}
        return data

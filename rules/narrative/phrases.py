"""The phrases the narrative rules recognise, read from ``schemas/narrative-phrases.json``.

The file holds every word list as regular-expression alternatives; the rules keep only the
grammar that puts them together. It is read on first use, not at import (start-up stays fast),
and a province pack extends it with :func:`extend` (from its ``nianbao_rules`` hook, say)::

    from nianbao.rules.narrative import phrases
    phrases.extend({"other_topic": ["民情通"], "subjects": {"received": ["收件"]}})
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from importlib.resources import files
from typing import Any

try:  # the parser behind re (Python 3.11+); sre_parse before
    from re import _constants, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as _constants  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

_data: dict[str, Any] | None = None
_compiled: dict[str, Any] = {}


def data() -> dict[str, Any]:
    """Every phrase list: the shipped file plus what :func:`extend` added."""
    global _data
    if _data is None:
        text = files("nianbao.schemas").joinpath("narrative-phrases.json").read_text(encoding="utf-8")
        _data = json.loads(text)
    return _data


def extend(extra: Mapping[str, Any]) -> None:
    """Add alternatives: ``{list: [alternative, …]}`` appends to a list, ``{group: {name: [alternative, …]}}``
    to a named list of a group (``subjects``, ``breakdown_categories``, ``average_periods``; a new
    name is added last). Raises ValueError naming the entry when an alternative is not a valid
    regular expression or a list is unknown."""
    base = data()
    for name, value in extra.items():
        if name not in base or name.startswith("$"):
            raise ValueError(f"narrative phrases: no list named {name!r}")
        target = base[name]
        if isinstance(target, dict):
            if not isinstance(value, Mapping):
                raise ValueError(f"narrative phrases: {name!r} maps names to lists of alternatives")
            for key, alternatives in value.items():
                target.setdefault(str(key), []).extend(_checked(f"{name}.{key}", alternatives))
        else:
            target.extend(_checked(name, value))
    _compiled.clear()


def _checked(name: str, alternatives: Any) -> list[str]:
    if isinstance(alternatives, str) or not isinstance(alternatives, list):
        raise ValueError(f"narrative phrases: {name!r} takes a list of alternatives")
    for alt in alternatives:
        try:
            re.compile(alt)
        except (re.error, TypeError) as exc:
            raise ValueError(f"narrative phrases: {name!r}: {alt!r} is not a regular expression ({exc})") from exc
    return [str(a) for a in alternatives]


def alternation(alternatives: list[str]) -> str:
    return "(?:" + "|".join(alternatives) + ")"


def words(name: str) -> str:
    """The list ``name`` (``group.key`` for a named list of a group) as one non-capturing group."""
    node: Any = data()
    for part in name.split("."):
        node = node[part]
    return alternation(node)


def compiled(name: str, build: Callable[[], Any]) -> Any:
    """``build()`` once until the phrases change: a rule's pattern made from the lists."""
    found = _compiled.get(name)
    if found is None:
        found = _compiled[name] = build()
    return found


def pattern(name: str) -> re.Pattern[str]:
    """The list ``name`` compiled as it stands."""
    found = _compiled.get(name)  # the common case first: no closure made for a look-up
    if found is None:
        found = _compiled[name] = regex(words(name))
    return found  # type: ignore[no-any-return]


def regex(source: str) -> re.Pattern[str]:
    """``re.compile(source)``, faster where it fails: when every match must start with one of a
    set of characters, the pattern is prefixed with a look-ahead for that set, so the engine
    passes over a position that cannot start a match at once instead of trying each alternative
    there. The matches, groups and spans are the same (the look-ahead consumes nothing)."""
    first = first_characters(source)
    return re.compile(source if first is None else f"(?={first})(?:{source})")


class _UnknownError(Exception):
    pass


def first_characters(source: str) -> str | None:
    """A character class holding every character a match of ``source`` can start with, or None
    when that cannot be told (a pattern that may match the empty string, ``.``, a negated class,
    a back-reference, flags)."""
    try:
        parsed = _parser.parse(source)
        if parsed.state.flags & ~_constants.SRE_FLAG_UNICODE:
            return None
        parts, nullable = _first(list(parsed))
    except (_UnknownError, re.error, TypeError, ValueError, RecursionError):
        return None
    if nullable or not parts:
        return None
    return "[" + "".join(dict.fromkeys(parts)) + "]"


_CATEGORIES = {
    _constants.CATEGORY_DIGIT: r"\d",
    _constants.CATEGORY_NOT_DIGIT: r"\D",
    _constants.CATEGORY_SPACE: r"\s",
    _constants.CATEGORY_NOT_SPACE: r"\S",
    _constants.CATEGORY_WORD: r"\w",
    _constants.CATEGORY_NOT_WORD: r"\W",
}


def _char(code: int) -> str:
    return re.escape(chr(code)) if chr(code) not in "-]\\^" else "\\" + chr(code)


def _first(items: list[tuple[Any, Any]]) -> tuple[list[str], bool]:
    """(what the sequence can start with, whether it can match the empty string)."""
    out: list[str] = []
    for op, av in items:
        got, nullable = _first_of(op, av)
        out += got
        if not nullable:
            return out, False
    return out, True


def _first_of(op: Any, av: Any) -> tuple[list[str], bool]:
    c = _constants
    if op is c.LITERAL:
        return [_char(av)], False
    if op is c.IN:
        parts = []
        for kind, value in av:
            if kind is c.LITERAL:
                parts.append(_char(value))
            elif kind is c.RANGE:
                parts.append(_char(value[0]) + "-" + _char(value[1]))
            elif kind is c.CATEGORY and value in _CATEGORIES:
                parts.append(_CATEGORIES[value])
            else:
                raise _UnknownError  # a negated class, among others
        return parts, False
    if op is c.SUBPATTERN:
        _, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            raise _UnknownError
        return _first(list(sub))
    if op is c.BRANCH:
        parts, nullable = [], False
        for alternative in av[1]:
            got, empty = _first(list(alternative))
            parts += got
            nullable = nullable or empty
        return parts, nullable
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, _, sub = av
        got, empty = _first(list(sub))
        return got, empty or low == 0
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _first(list(av))
    if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
        return [], True  # zero width: the first character is the next item's
    raise _UnknownError

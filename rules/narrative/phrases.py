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
from typing import Any

from nianbao.regex import derived

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
        from nianbao import schemas

        _data = json.loads(schemas.text("narrative-phrases.json"))
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
    there. The matches, groups and spans are the same (the look-ahead consumes nothing).

    Not where ``re`` finds that set itself (a pattern that starts with a literal, a class, or a
    branch whose every alternative starts with a literal): its search then skips to the next
    such character without entering the pattern, 2-7 times faster than a look-ahead tested at
    every position.

    What is put in front is remembered between runs of the command (:func:`nianbao.regex.derived`):
    finding it takes the pattern apart with re's parser, in Python (with :func:`loose`, a tenth
    of a cold check)."""
    first = derived(_guard, source)
    return re.compile(source if first is None else f"(?={first})(?:{source})")


def _guard(source: str) -> str | None:
    """The look-ahead class :func:`regex` puts in front of ``source``, or None (one parse)."""
    try:
        parsed = _parser.parse(source)
    except (re.error, TypeError, ValueError, RecursionError):
        return None
    if _engine_skips(list(parsed)):
        return None
    return _first_characters(parsed)


def _engine_skips(items: list[tuple[Any, Any]]) -> bool:
    """Does ``re``'s compiler find the characters a match starts with on its own? As its
    ``_get_literal_prefix`` and ``_get_charset_prefix`` do (3.11-3.13): through groups without
    flags to the first item, a literal, a class, or a branch of alternatives that each start
    with a literal. (A pattern that can match the empty string gets no look-ahead either way.)"""
    c = _constants
    while items and items[0][0] is c.SUBPATTERN:
        _, add_flags, del_flags, sub = items[0][1]
        if add_flags or del_flags:
            return False
        items = list(sub)
    if not items:
        return False
    op, av = items[0]
    if op is c.LITERAL or op is c.IN:
        return True
    if op is c.BRANCH:
        return all(len(alt) > 0 and alt[0][0] is c.LITERAL for alt in av[1])
    return False


def anywhere(name: str) -> Callable[[str], object]:
    """A pre-test for the list ``name`` searched in the pieces of a text (the clauses of a
    sentence): ``anywhere(name)(text)`` is False only when the list matches in no piece of
    ``text``, so a rule may skip the pieces then (true: a match). It searches the whole text
    once with :func:`loose` (always True when that cannot be made)."""
    return compiled("anywhere:" + name, lambda: _anywhere(words(name)))  # type: ignore[no-any-return]


def anywhere_of(*names: str) -> Callable[[str], object]:
    """:func:`anywhere` for several lists in one search: False only when none of them matches
    in any piece of the text."""
    return compiled("anywhere:" + "|".join(names), lambda: _anywhere_of(names))  # type: ignore[no-any-return]


def _anywhere_of(names: tuple[str, ...]) -> Callable[[str], object]:
    parts = [loose(words(name)) for name in names]
    if any(p is None or re.compile(p).groups for p in parts):
        # (a group would be renumbered in the union): each list on its own
        tests = [anywhere(name) for name in names]
        return lambda text: any(test(text) for test in tests)
    return regex("|".join(f"(?:{p})" for p in parts if p is not None)).search


def _anywhere(source: str) -> Callable[[str], object]:
    relaxed = loose(source)
    if relaxed is None:
        return lambda text: True
    return regex(relaxed).search


def loose(source: str) -> str | None:
    """``source`` with its negative look-arounds and its anchors (``^ $ \\b \\B \\A \\Z``) left out,
    or None when that cannot be told (flags, atomic groups, possessive repeats, comments).

    What is left matches wherever ``source`` does and depends on nothing but the characters it
    consumes (a positive look-around only on characters it reads): so when ``source`` matches in
    a piece of a text, the loose pattern matches in the whole text at the same place. Searched in
    the whole text and not found, the pattern is in none of its pieces. Remembered between runs
    of the command, as :func:`regex`'s look-ahead is."""
    return derived(_loose, source)


def _loose(source: str) -> str | None:
    out: list[str] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c == "\\":
            if source[i + 1 : i + 2] in ("b", "B", "A", "Z"):
                i += 2  # an anchor: left out
                continue
            out.append(source[i : i + 2])
            i += 2
        elif c == "[":
            end = _class_end(source, i)
            out.append(source[i:end])
            i = end
        elif c in "^$":
            i += 1
        elif source.startswith(("(?!", "(?<!"), i):
            i = _group_end(source, i)
        elif source.startswith("(?", i) and not source.startswith(("(?:", "(?=", "(?<=", "(?P<", "(?P=", "(?("), i):
            return None  # flags, an atomic group, a comment: not taken apart here
        else:
            out.append(c)
            i += 1
    relaxed = "".join(out)
    try:
        parsed = _parser.parse(relaxed)
    except (re.error, RecursionError):
        return None
    if parsed.state.flags & ~_constants.SRE_FLAG_UNICODE or not _consuming(list(parsed)):
        return None
    return relaxed


def _class_end(source: str, i: int) -> int:
    """Where the character class opened at ``i`` ends (one past its ``]``)."""
    j = i + 1
    if source[j : j + 1] == "^":
        j += 1
    if source[j : j + 1] == "]":
        j += 1
    while j < len(source) and source[j] != "]":
        j += 2 if source[j] == "\\" else 1
    return j + 1


def _group_end(source: str, i: int) -> int:
    """One past the ``)`` that closes the group opened at ``i``."""
    depth, j = 0, i
    while j < len(source):
        c = source[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = _class_end(source, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return j


def _consuming(items: list[tuple[Any, Any]]) -> bool:
    """No negative look-around, anchor, atomic group or possessive repeat is left in the parse."""
    c = _constants
    refused = (c.ASSERT_NOT, c.AT, getattr(c, "ATOMIC_GROUP", None), getattr(c, "POSSESSIVE_REPEAT", None))
    for op, av in items:
        if op in refused:
            return False
        if op is c.SUBPATTERN:
            if av[1] or av[2]:
                return False  # scoped flags
            subs = [av[3]]
        elif op is c.BRANCH:
            subs = av[1]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            subs = [av[2]]
        elif op is c.ASSERT:
            subs = [av[1]]
        elif op is c.GROUPREF_EXISTS:
            subs = [b for b in av[1:] if b is not None]
        else:
            subs = []
        if not all(_consuming(list(sub)) for sub in subs):
            return False
    return True


class _UnknownError(Exception):
    pass


def first_characters(source: str) -> str | None:
    """A character class holding every character a match of ``source`` can start with, or None
    when that cannot be told (a pattern that may match the empty string, ``.``, a negated class,
    a back-reference, flags)."""
    try:
        parsed = _parser.parse(source)
    except (re.error, TypeError, ValueError, RecursionError):
        return None
    return _first_characters(parsed)


def _first_characters(parsed: Any) -> str | None:
    try:
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
